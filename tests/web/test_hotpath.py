"""The single-statement session, user and result lookups behave as Django's own would.

They replace ORM calls on every signed-in request (safebase.web.hotpath), so each rule those
calls enforced is checked here, on SQLite and (in the second run) PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from safebase.web import hotpath
from safebase.web.assessments import services


def test_an_expired_session_signs_nobody_in(as_alice, alice_result):
    assert as_alice.get(f"/assessments/{alice_result.pk}/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = as_alice.get(f"/assessments/{alice_result.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/?next=")


def test_a_deleted_session_signs_nobody_in(as_alice, alice_result):
    Session.objects.all().delete()
    assert as_alice.get(f"/assessments/{alice_result.pk}/")["Location"].startswith("/?next=")


def test_the_user_comes_back_with_python_types_and_inactive_users_do_not(alice):
    alice.last_login = timezone.now()
    alice.save()
    backend = hotpath.UserBackend()
    loaded = backend.get_user(alice.pk)
    assert loaded == alice
    assert isinstance(loaded.last_login, datetime) and loaded.last_login == alice.last_login
    assert loaded.is_active is True and loaded.password == alice.password
    assert backend.get_user(alice.pk + 1000) is None
    assert backend.get_user("not-a-number") is None
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert backend.get_user(alice.pk) is None


def test_a_deactivated_user_is_signed_out_on_the_next_request(as_alice, alice, alice_result):
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert as_alice.get(f"/assessments/{alice_result.pk}/")["Location"].startswith("/?next=")


def test_result_state_is_only_for_the_owner(alice, charlie, alice_result):
    status, completed_at, instrument_id = hotpath.result_state(alice_result.pk, alice.pk)
    assert (status, instrument_id) == ("complete", "ecr-s") and completed_at is not None
    assert hotpath.result_state(alice_result.pk, charlie.pk) is None
    started = services.start_assessment(owner=alice, instrument_id="ecr-r")
    assert hotpath.result_state(started.pk, alice.pk)[0] == "in_progress"
