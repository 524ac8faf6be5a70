"""Linking by invitation with consent on both sides, item-by-item sharing, unlinking."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from safebase.core.errors import SafebaseError
from safebase.web.practice import services as practice
from safebase.web.relationships import services
from safebase.web.relationships.models import LinkEvent, PartnerInvitation, PartnerLink, Share

pytestmark = pytest.mark.django_db


def _code_from_page(html: str) -> str:
    start = html.index('aria-label="Invitation code"><strong>') + len(
        'aria-label="Invitation code"><strong>'
    )
    return html[start : html.index("</strong>", start)]


def test_invitation_through_the_web_links_both_and_is_single_use(
    alice, bob, charlie, as_alice, as_bob
):
    page = as_alice.post("/together/invite/")
    assert page.status_code == 200
    code = _code_from_page(page.content.decode())
    assert len(services.normalise_code(code)) == services.CODE_LENGTH
    # Only a fingerprint is stored.
    assert not PartnerInvitation.objects.filter(code_hash__icontains=code).exists()
    join = f"/together/join/{services.normalise_code(code)}/"
    assert "alice" in as_bob.get(join).content.decode()  # looking does not spend it
    assert services.partner_of(bob) is None
    response = as_bob.post("/together/accept/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert services.partner_of(bob) == alice and services.partner_of(alice) == bob
    # The code worked once: charlie cannot use it, nor the link.
    with pytest.raises(SafebaseError, match="not valid"):
        services.accept(charlie, code)
    as_charlie = Client()
    as_charlie.force_login(charlie)
    assert as_charlie.get(join).status_code == 404
    assert services.partner_of(charlie) is None
    events = list(LinkEvent.objects.filter(owner=alice).values_list("event", "partner_name"))
    assert events == [("linked", "bob")]


def test_invitation_expires_after_48_hours(alice, bob):
    code = services.invite(alice).code
    later = timezone.now() + timedelta(hours=48, seconds=1)
    with time_machine.travel(later), pytest.raises(SafebaseError, match="not valid"):
        services.accept(bob, code)
    assert services.partner_of(bob) is None


def test_one_partner_link_per_person_and_no_linking_with_oneself(alice, bob, charlie):
    own = services.invite(alice).code
    with pytest.raises(SafebaseError, match="your own invitation"):
        services.accept(alice, own)
    services.accept(bob, own)
    with pytest.raises(SafebaseError, match="already linked"):
        services.invite(alice)
    charlies = services.invite(charlie).code
    with pytest.raises(SafebaseError, match="already linked"):
        services.accept(bob, charlies)
    assert PartnerLink.objects.count() == 2
    # A newer invitation replaces the older one.
    first = services.invite(charlie).code
    second = services.invite(charlie).code
    assert services.inviter_for(first) is None
    assert services.inviter_for(second) == charlie


def test_sharing_is_item_by_item_and_shown_on_the_item(linked, alice_result, as_alice, as_bob):
    alice, _ = linked
    entry = practice.add_journal_entry(owner=alice, body="Private thought kumquat").obj
    other = practice.add_journal_entry(owner=alice, body="Shared thought persimmon").obj
    journal = as_alice.get("/practice/journal/").content.decode()
    assert journal.count("Only you can see this") == 2 and "Share with bob" in journal
    response = as_alice.post(
        "/together/share/",
        {"kind": "journal", "item": other.pk, "share": "1", "next": "/practice/journal/"},
    )
    assert response.status_code == 302 and response["Location"] == "/practice/journal/"
    journal = as_alice.get("/practice/journal/").content.decode()
    assert "Shared with bob (read-only)" in journal and "Only you can see this" in journal
    together = as_bob.get("/together/").content.decode()
    assert "Journal entries</h3>" in together
    assert f"/together/shared/journal/{other.pk}/" in together
    assert f"/together/shared/journal/{entry.pk}/" not in together
    assert "persimmon" in as_bob.get(f"/together/shared/journal/{other.pk}/").content.decode()
    assert as_bob.get(f"/together/shared/journal/{entry.pk}/").status_code == 404
    # Unshare: gone at once.
    as_alice.post("/together/share/", {"kind": "journal", "item": other.pk, "share": "0"})
    assert as_bob.get(f"/together/shared/journal/{other.pk}/").status_code == 404
    # The partner can never share, unshare or open the owner's working pages.
    as_alice.post("/together/share/", {"kind": "result", "item": alice_result.pk, "share": "1"})
    assert as_bob.get(f"/together/shared/result/{alice_result.pk}/").status_code == 200
    assert as_bob.get(f"/assessments/{alice_result.pk}/").status_code == 404
    unshare = {"kind": "result", "item": alice_result.pk, "share": "0"}
    assert as_bob.post("/together/share/", unshare).status_code == 404
    assert Share.objects.filter(owner=alice, kind="result").exists()


def test_shared_result_shows_the_stored_scores(linked, alice_result, as_bob):
    alice, _ = linked
    services.share(alice, alice_result)
    page = as_bob.get(f"/together/shared/result/{alice_result.pk}/").content.decode()
    for value in alice_result.scores.values():
        if isinstance(value, float):
            assert f"{value:.2f}" in page
    assert "alice" in page and "read-only" in page


def test_nothing_can_be_shared_without_a_partner_or_before_a_result_is_finished(
    alice, alice_result
):
    with pytest.raises(SafebaseError, match="link with a partner first"):
        services.share(alice, alice_result)
    from safebase.web.assessments import services as assessments

    started = assessments.start_assessment(owner=alice, instrument_id="ecr-r")
    with pytest.raises(SafebaseError, match="finished result"):
        services.share(alice, started)


def test_sharing_a_risk_flagged_entry_asks_once_more(linked, as_alice, as_bob):
    alice, _ = linked
    entry = practice.add_journal_entry(owner=alice, body="I want to kill myself tonight").obj
    data = {"kind": "journal", "item": entry.pk, "share": "1", "next": "/practice/journal/"}
    page = as_alice.post("/together/share/", data)
    assert page.status_code == 200 and "Yes, share it" in page.content.decode()
    assert not Share.objects.exists()
    as_alice.post("/together/share/", data | {"confirm": "on"})
    assert Share.objects.filter(object_id=entry.pk).exists()
    # The partner reading it gets the crisis resources, worded for them, not a diagnosis.
    seen = as_bob.get(f"/together/shared/journal/{entry.pk}/").content.decode()
    assert "If your partner may need support" in seen and 'role="alert"' in seen


def test_unlinking_ends_all_access_and_is_recorded_for_both(linked, alice_result, as_bob):
    alice, bob = linked
    services.share(alice, alice_result)
    bobs = practice.record_checkin(owner=bob, emotion="lonely", intensity=2, need="rest").obj
    services.share(bob, bobs)
    response = as_bob.post("/together/unlink/")
    assert response.status_code == 302
    assert as_bob.get(f"/together/shared/result/{alice_result.pk}/").status_code == 404
    assert not Share.objects.exists() and not PartnerLink.objects.exists()
    for person in (alice, bob):
        events = list(LinkEvent.objects.filter(owner=person).values_list("event", "by_name"))
        assert events == [("linked", "bob"), ("unlinked", "bob")]
    # Relinking later resurrects nothing: sharing starts over.
    services.accept(bob, services.invite(alice).code)
    assert as_bob.get(f"/together/shared/result/{alice_result.pk}/").status_code == 404


def test_export_lists_who_each_item_is_shared_with_and_the_link_history(
    linked, alice_result, as_alice
):
    alice, _ = linked
    services.share(alice, alice_result)
    practice.add_journal_entry(owner=alice, body="not shared")
    data = json.loads(as_alice.get("/export.json").content)
    assert data["partner"] == "bob"
    assert data["assessments"][0]["shared_with"] == ["bob"]
    assert data["journal"][0]["shared_with"] == []
    assert [e["event"] for e in data["partner_events"]] == ["linked"]
    csv_text = as_alice.get("/export.csv").content.decode()
    assert f"share,{alice_result.pk},,result,bob" in csv_text


def test_deleting_one_item_deletes_its_shares(linked):
    alice, _ = linked
    entry = practice.add_journal_entry(owner=alice, body="soon gone").obj
    services.share(alice, entry)
    entry.delete()
    assert not Share.objects.exists()


def test_delete_all_removes_every_share_and_leaves_the_partner_untouched(
    linked, alice_result, as_alice
):
    alice, bob = linked
    services.share(alice, alice_result)
    bobs = practice.add_journal_entry(owner=bob, body="bob's own").obj
    services.share(bob, bobs)
    response = as_alice.post("/delete/", {"confirm": "DELETE"})
    assert response.status_code == 200
    assert not Share.objects.exists() and not PartnerLink.objects.exists()
    assert practice.JournalEntry.objects.filter(owner=bob).count() == 1
    events = list(LinkEvent.objects.filter(owner=bob).values_list("event", "partner_name"))
    assert events == [("linked", "alice"), ("unlinked", "alice")]


@pytest.mark.parametrize("code", ["", "x" * 41, "ÄÖÜ", "<script>", "٣٣٣"])
def test_bad_codes_give_a_message_never_an_error(alice, as_alice, code):
    response = as_alice.post("/together/accept/", {"code": code}, follow=True)
    assert response.status_code == 200
    assert services.partner_of(alice) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "nope", "item": "1", "share": "1"},
        {"kind": "journal", "item": "0", "share": "1"},
        {"kind": "journal", "item": str(2**64), "share": "1"},
        {"kind": "journal", "item": "x", "share": "2"},
        {"kind": "journal", "item": "1", "share": "1", "next": "https://evil.example/"},
    ],
)
def test_bad_share_requests_never_error(linked, as_alice, data):
    response = as_alice.post("/together/share/", data)
    assert response.status_code in (302, 404)
    assert "evil.example" not in response.get("Location", "")
