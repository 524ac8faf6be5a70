"""One administration of one questionnaire by one person."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import models

from safebase.core.instrument import Instrument, get_instrument
from safebase.core.scoring import ResponseRange, ScoredResponse, score_responses


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    instrument_id = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(default=dict)
    # Scores as computed at completion, with the fingerprint of the instrument file they were
    # computed with: the result page, history and comparisons all show these stored values.
    scores = models.JSONField(default=dict)
    instrument_version = models.CharField(max_length=40, blank=True)
    style = models.CharField(max_length=40, blank=True)
    # Charts (SVG) drawn once and kept with the result, shared by every server process: drawing
    # costs ~50 ms, serving the page ~2 ms. The app's one kind of cache: derived markup kept in
    # the database with the row it is drawn from (a clinic record keeps its caseload cells the
    # same way), never in one process's memory (benchmarks/web_load.py shows a chart drawn per
    # process per result missing the p99 target). Not user input.
    charts = models.JSONField(default=dict, blank=True)
    response_low = models.PositiveSmallIntegerField(null=True)
    response_high = models.PositiveSmallIntegerField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["completed_at", "id"]
        indexes = [models.Index(fields=["owner", "instrument_id", "status", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} #{self.pk} ({self.status})"

    @property
    def instrument(self) -> Instrument:
        return get_instrument(self.instrument_id)

    @property
    def response_range(self) -> ResponseRange | None:
        if self.response_low is None or self.response_high is None:
            return None
        return ResponseRange(self.response_low, self.response_high)

    def scored(self) -> ScoredResponse:
        """The scored answers; a completed result carries its stored scores, so every page shows
        the numbers it was given at completion even if the instrument file changed since."""
        scored = score_responses(self.instrument, self.answers, self.response_range)
        if self.status != self.Status.COMPLETE:
            return scored
        scales = {
            sid: replace(s, value=self.scores.get(sid, s.value)) for sid, s in scored.scales.items()
        }
        return replace(scored, scales=scales)
