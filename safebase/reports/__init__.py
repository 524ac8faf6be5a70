"""Printable reports: the PDF layout (``pdf``) and its charts (``charts``), given plain data.

Neither module knows Django or the database; ``safebase.web.reports`` gathers the numbers from
the app's services and hands them here, so the therapist side can reuse the same layout.
"""
