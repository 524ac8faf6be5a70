"""The daily check-in for two: each sees the other's answer only after answering; shared streaks;
nobody else sees anything; an unlink ends the partner's view at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from safebase.web import access
from safebase.web.couple import services
from safebase.web.couple.models import Ritual, RitualAnswer

pytestmark = pytest.mark.django_db

DAILY = "/together/ritual/daily/"


def answer(client: Client, feel: str, need: str = "a quiet evening"):
    return client.post(DAILY, {"feel": feel, "need": need}, follow=True)


def test_the_partners_answer_is_hidden_until_you_answer(linked, as_alice, as_bob, alice, bob):
    assert answer(as_alice, "tired but hopeful zebracorn").status_code == 200
    before = as_bob.get(DAILY).content.decode()
    assert "zebracorn" not in before
    assert "alice has answered" in before  # that she did, never what she wrote
    page = answer(as_bob, "restless quillwort").content.decode()
    assert "zebracorn" in page and "restless quillwort" in page
    assert "quillwort" in as_alice.get(DAILY).content.decode()
    # One joint record of the day, one part each, words encrypted at rest.
    ritual = Ritual.objects.get()
    assert {a.owner for a in RitualAnswer.objects.filter(joint=ritual)} == {alice, bob}
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT answers FROM couple_ritualanswer")
        assert all("zebracorn" not in row[0] for row in cur.fetchall())


def test_changing_ones_answer_keeps_one_part(linked, as_alice, alice):
    answer(as_alice, "first")
    answer(as_alice, "second")
    assert [a.answers["feel"] for a in access.own(alice, RitualAnswer)] == ["second"]


def test_charlie_and_anonymous_see_nothing(linked, as_alice, as_bob, as_charlie):
    answer(as_alice, "zebracorn")
    answer(as_bob, "quillwort")
    ritual = Ritual.objects.get()
    page = as_charlie.get(DAILY).content.decode()
    assert "zebracorn" not in page and "quillwort" not in page
    assert "Link with" in page or "not linked" in page
    anonymous = Client().get(DAILY)
    assert anonymous.status_code == 302
    charlie = as_charlie.get("/").wsgi_request.user
    assert not access.scope(charlie, Ritual).exists()
    assert not access.scope(charlie, RitualAnswer).exists()
    assert access.scope(charlie, Ritual, access.Action.CHANGE).filter(pk=ritual.pk).count() == 0


def test_after_unlink_the_former_partner_sees_nothing_more(
    linked, unlink, as_alice, as_bob, alice, bob
):
    answer(as_alice, "zebracorn")
    answer(as_bob, "quillwort")
    unlink(alice)
    assert not access.scope(bob, RitualAnswer).filter(owner=alice).exists()
    assert not access.scope(alice, RitualAnswer).filter(owner=bob).exists()
    assert "zebracorn" not in as_bob.get(DAILY).content.decode()
    # each keeps their own words
    assert [a.answers["feel"] for a in access.own(bob, RitualAnswer)] == ["quillwort"]


def test_nobody_changes_the_others_part(linked, alice, bob):
    services.answer_ritual(owner=alice, kind="daily", answers={"feel": "a", "need": "b"})
    services.answer_ritual(owner=bob, kind="daily", answers={"feel": "c", "need": "d"})
    hers = RitualAnswer.objects.get(owner=alice)
    assert access.scope(bob, RitualAnswer).filter(pk=hers.pk).exists()
    assert not access.scope(bob, RitualAnswer, access.Action.CHANGE).filter(pk=hers.pk).exists()


def test_shared_streak_counts_days_both_answered(linked, alice, bob):
    today = date(2026, 3, 10)
    # alice answers 5 days in a row, bob only the last 3 and one day a week earlier
    for n in range(5):
        services.answer_ritual(
            owner=alice, kind="daily", answers={"feel": "x", "need": "y"}, day=today - timedelta(n)
        )
    for n in (0, 1, 2, 7):
        services.answer_ritual(
            owner=bob, kind="daily", answers={"feel": "x", "need": "y"}, day=today - timedelta(n)
        )
    s = services.shared_streaks(alice, bob, today=today)
    # Worked by hand: both answered on the 10th, 9th, 8th; the 3rd only bob.
    assert (s.daily, s.daily_best) == (3, 3)
    assert services.shared_streaks(bob, alice, today=today).daily == 3
    assert services.shared_streaks(alice, bob, today=today + timedelta(days=2)).daily == 0


def test_weekly_and_yearly_rituals_and_bad_input(linked, as_alice):
    ok = as_alice.post(
        "/together/ritual/weekly/",
        {"appreciation": "the tea", "hard": "Monday", "request": "a walk"},
        follow=True,
    )
    assert ok.status_code == 200 and "the tea" in ok.content.decode()
    assert as_alice.post("/together/ritual/weekly/", {"appreciation": ""}).status_code == 400
    assert as_alice.get("/together/ritual/yearly/").status_code == 200
    assert as_alice.get("/together/ritual/monthly/").status_code == 404
    big = as_alice.post(DAILY, {"feel": "x" * 30_000, "need": "y"})
    assert big.status_code == 400


def test_without_a_partner_the_page_explains_how_to_link(as_alice):
    page = as_alice.get(DAILY)
    assert page.status_code == 200
    assert 'href="/together/"' in page.content.decode()
    assert as_alice.post(DAILY, {"feel": "x", "need": "y"}).status_code == 200
    assert not RitualAnswer.objects.exists()


def test_coregulation_names_a_feeling_and_a_need(linked, as_alice, as_bob):
    page = as_alice.get("/together/coregulate/").content.decode()
    assert 'src="/static/safebase/breathe.js"' in page and "<script>" not in page
    assert (
        as_alice.post("/together/coregulate/", {"feeling": "calm?", "need": "rest"}).status_code
        == 400
    )
    as_alice.post("/together/coregulate/", {"feeling": "worried", "need": "reassurance"})
    assert "<dd>worried</dd>" not in as_bob.get("/together/coregulate/").content.decode()
    page = as_bob.post(
        "/together/coregulate/", {"feeling": "tender", "need": "connection"}, follow=True
    )
    assert "<dd>worried</dd>" in page.content.decode()


def test_the_calendar_file_has_the_rituals_while_linked(linked, unlink, as_alice, alice):
    from icalendar import Calendar

    cal = Calendar.from_ical(as_alice.get("/practice/schedule.ics").content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert events["couple-daily@safebase.local"]["rrule"]["FREQ"] == ["DAILY"]
    assert events["couple-weekly@safebase.local"]["rrule"]["FREQ"] == ["WEEKLY"]
    assert events["couple-yearly@safebase.local"]["rrule"]["FREQ"] == ["YEARLY"]
    assert "bob" in str(events["couple-daily@safebase.local"]["summary"])
    unlink(alice)
    assert as_alice.get("/practice/schedule.ics").status_code == 404  # no plan, no partner


def test_flagged_ritual_words_bring_crisis_resources_to_both(linked, as_alice, as_bob):
    page = answer(as_alice, "I don't want to live anymore").content.decode()
    assert 'class="card crisis"' in page  # at once, for the writer
    assert 'class="card crisis"' not in as_bob.get(DAILY).content.decode()  # not read yet
    page = answer(as_bob, "worried about us").content.decode()
    assert 'class="card crisis"' in page  # the reader of a partner's flagged words
    assert 'class="card crisis"' not in answer(as_alice, "calmer now").content.decode()
