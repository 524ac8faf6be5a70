"""Consent: invitation (7 days, single use), per-entry and per-measure sharing, revoking ends
access at once, the one access rule, and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from safebase.core.errors import SafebaseError
from safebase.web import access
from safebase.web.assessments import services as assessments
from safebase.web.assessments.models import Assessment
from safebase.web.clinic import services
from safebase.web.clinic.models import AccessEvent, ClientInvitation
from safebase.web.practice import services as practice
from safebase.web.practice.models import JournalEntry
from tests.web.clinic.conftest import client_for
from tests.web.conftest import ECR_S_ANSWERS

pytestmark = pytest.mark.django_db


def test_invitation_is_single_use_hashed_and_expires_after_7_days(alice, bob, tess):
    token = services.invite_client(tess).token
    assert not ClientInvitation.objects.filter(token_hash__icontains=token[:20]).exists()
    assert services.therapist_for_invitation(token) == tess  # looking does not spend it
    record = services.accept_invitation(alice, token)
    assert record.owner == tess and record.person == alice and record.active
    with pytest.raises(SafebaseError, match="not valid"):
        services.accept_invitation(bob, token)
    late = services.invite_client(tess).token
    with (
        time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)),
        pytest.raises(SafebaseError, match="not valid"),
    ):
        services.accept_invitation(bob, late)


def test_only_a_therapist_invites(alice):
    with pytest.raises(SafebaseError, match="therapist"):
        services.invite_client(alice)


def test_nothing_is_visible_until_shared_then_only_that_item(alice, tess, consented, alice_result):
    entry = practice.add_journal_entry(owner=alice, body="private words").obj
    assert not services.consented_results(tess, alice).exists()
    assert not access.scope(tess, JournalEntry).filter(owner=alice).exists()
    services.share_with_therapist(alice, consented, alice_result)
    assert list(services.consented_results(tess, alice)) == [alice_result]
    assert not access.scope(tess, JournalEntry).filter(pk=entry.pk).exists()
    # View only, never change.
    assert not access.scope(tess, Assessment, access.Action.CHANGE).filter(owner=alice).exists()


def test_another_therapist_sees_nothing_even_with_a_share_row(
    alice, tess, otto, consented, alice_result
):
    from safebase.web.relationships.models import Share

    # A share naming otto without a consent link to otto grants nothing.
    Share.objects.create(owner=alice, audience=otto, kind="result", object_id=alice_result.pk)
    assert not services.consented_results(otto, alice).exists()


def test_revoking_ends_access_at_once(alice, tess, consented, alice_result):
    services.share_with_therapist(alice, consented, alice_result)
    services.revoke(alice, consented)
    assert not services.consented_results(tess, alice).exists()
    assert not access.scope(tess, Assessment).filter(owner=alice).exists()


def test_an_ended_link_grants_nothing_even_if_a_share_row_survived(
    alice, tess, consented, alice_result
):
    """The rule itself requires an active link (not only the deletion of share rows)."""
    services.share_with_therapist(alice, consented, alice_result)
    type(consented).objects.filter(pk=consented.pk).update(ended_at=timezone.now())
    assert not services.consented_results(tess, alice).exists()


def test_sharing_a_measure_covers_past_and_future_results(alice, tess, consented, alice_result):
    other = assessments.record_assessment(
        owner=alice, instrument_id="ecr-r", answers={str(n): 4 for n in range(1, 37)}
    )
    assert services.set_measure_shared(alice, consented, "ecr-s", True) == 1
    later = assessments.record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S_ANSWERS)
    assert set(services.consented_results(tess, alice)) == {alice_result, later}
    assert other not in services.consented_results(tess, alice)
    services.set_measure_shared(alice, consented, "ecr-s", False)
    assert not services.consented_results(tess, alice).exists()


def test_the_client_page_shares_and_revokes(alice, tess, consented, alice_result):
    as_alice, as_tess = client_for(alice), client_for(tess)
    url = f"/clinic/item/result/{alice_result.pk}/"
    assert as_tess.get(url).status_code == 404
    r = as_alice.post(
        "/clinic/my/share/",
        {"record": consented.pk, "kind": "result", "item": alice_result.pk, "share": "1"},
    )
    assert r.status_code == 302
    assert as_tess.get(url).status_code == 200
    page = as_alice.get("/clinic/my/").content.decode()
    assert "tess@example.org" in page and f"Result #{alice_result.pk}" in page  # the read, logged
    assert as_alice.post(f"/clinic/my/revoke/{consented.pk}/").status_code == 302
    assert as_tess.get(url).status_code == 404


def test_every_read_is_logged_for_the_client(alice, tess, consented, alice_result):
    services.share_with_therapist(alice, consented, alice_result)
    as_tess = client_for(tess)
    as_tess.get("/clinic/")
    as_tess.get(f"/clinic/clients/{consented.pk}/")
    as_tess.get(f"/clinic/item/result/{alice_result.pk}/")
    events = list(AccessEvent.objects.filter(owner=alice).order_by("at", "id"))
    assert [e.what.split(":")[0].split(" #")[0] for e in events] == [
        "caseload",
        "since the start",
        "Result",
    ]
    assert {e.therapist_name for e in events} == {"tess@example.org"}
    assert not AccessEvent.objects.exclude(owner=alice).exists()


def test_the_export_holds_the_audit_log_links_and_shared_notes(
    alice, tess, consented, alice_result
):
    import json

    services.share_with_therapist(alice, consented, alice_result)
    client_for(tess).get(f"/clinic/item/result/{alice_result.pk}/")
    note, _ = services.add_note(tess, consented, session_date=timezone.localdate(), body="hello")
    services.set_note_shared(tess, note, True)
    services.add_note(tess, consented, session_date=timezone.localdate(), body="private")
    data = json.loads(client_for(alice).get("/export.json").content)
    assert [r["therapist"] for r in data["therapist_links"]] == ["tess@example.org"]
    assert [(r["therapist"], r["what"]) for r in data["therapist_reads"]] == [
        ("tess@example.org", f"Result #{alice_result.pk}")
    ]
    assert [n["body"] for n in data["notes_shared_by_therapists"]] == ["hello"]
    assert data["my_session_notes"] == []
    [row] = [r for r in data["assessments"] if r["id"] == alice_result.pk]
    assert row["shared_with"] == ["tess@example.org"]
    tess_data = json.loads(client_for(tess).get("/export.json").content)
    assert sorted(n["body"] for n in tess_data["my_session_notes"]) == ["hello", "private"]
    csv = client_for(alice).get("/export.csv").content.decode()
    assert "therapist_read" in csv


def test_the_practice_owner_creates_therapists_on_the_web(polly, tess):
    from django.contrib.auth import authenticate

    from safebase.web.clinic import roles

    assert client_for(tess).get("/clinic/practice/").status_code == 404  # not an owner
    page = client_for(polly).post("/clinic/practice/", {"email": "new@example.org"})
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('id="temp-password">') + len('id="temp-password">')
    password = html[start : html.index("</code>", start)]
    user = authenticate(username="new@example.org", password=password)
    assert user is not None and roles.is_therapist(user)
    again = client_for(polly).post("/clinic/practice/", {"email": "not an email"})
    assert again.status_code == 200 and "Not created" in again.content.decode()
