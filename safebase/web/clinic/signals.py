"""A finished result is shared with the therapists the client chose for that questionnaire, and
counts against what they assigned."""

from __future__ import annotations

from django.db.models.signals import post_save

from safebase.web.assessments.models import Assessment


def _on_result_saved(sender, instance: Assessment, update_fields=None, **kwargs) -> None:
    # Only the save that completes it (a full save): later saves of a finished result (its
    # cached charts) must not count it twice against an assignment.
    if update_fields is not None:
        return
    if instance.status == Assessment.Status.COMPLETE and instance.completed_at is not None:
        from safebase.web.clinic.services import result_completed

        result_completed(instance)


post_save.connect(_on_result_saved, sender=Assessment, weak=False)
