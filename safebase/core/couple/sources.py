"""The articles the couple practices are built on, and the label for safebase's own words.

Every claim shown to a couple carries one of these: either the article it comes from (written in
safebase's words, never copied) or ``SAFEBASE_SUMMARY``, which says plainly that the sentence is
safebase's summary and not a finding of the article or of the person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    title: str
    site: str
    url: str = ""

    def cite(self) -> str:
        where = f", {self.site}" if self.site else ""
        return f'"{self.title}"{where}'


SIMPLY_PSYCHOLOGY = Source(
    "Secure Attachment Style",
    "simplypsychology.org",
    "https://www.simplypsychology.org/secure-attachment.html",
)
LASTING_BONDS = Source("Secure Attachment: Building Safe, Strong, and Lasting Bonds", "")
DEVELOP_IT = Source("Secure Attachment Style: Characteristics and How to Develop It", "")
COPEHOUSE = Source(
    "Secure Attachment Guide: Building Lasting Bonds in 2026", "CopeHouse Collective"
)

SAFEBASE_SUMMARY = "safebase's summary, not a finding of a study or of your answers"


@dataclass(frozen=True)
class Claim:
    """One sentence for the page and where it comes from."""

    text: str
    source: Source | None = None  # None: safebase's own summary

    @property
    def attribution(self) -> str:
        return f"Source: {self.source.cite()}" if self.source else SAFEBASE_SUMMARY.capitalize()
