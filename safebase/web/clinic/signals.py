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


def _on_record_deleted(sender, instance, **kwargs) -> None:
    """A no-login client exists only as the therapist's record: its placeholder person, and every
    answer that person holds, go with the record (also when the therapist's account is deleted,
    which deletes their records)."""
    from safebase.web.clinic.models import ClientRecord

    if instance.kind == ClientRecord.Kind.NO_LOGIN:
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(
            pk=instance.person_id, is_active=False, clinic_records__isnull=True
        ).delete()


def _connect_record_signal() -> None:
    from django.db.models.signals import post_delete

    from safebase.web.clinic.models import ClientRecord

    post_delete.connect(_on_record_deleted, sender=ClientRecord, weak=False)


_connect_record_signal()
