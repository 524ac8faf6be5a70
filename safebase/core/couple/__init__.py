"""Practices for two linked partners: the pair on one plane, rituals, repair, the twelve signs.

Pure Python: words, citations and arithmetic over dates. The web app's couple app
stores and shows them.
"""
