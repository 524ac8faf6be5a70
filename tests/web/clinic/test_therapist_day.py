"""The therapist's day: no-login links, recurring measures, caseload (cheap: same queries for
3 and 12 clients), since the last session, notes."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safebase.core.change import Verdict
from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.web.assessments import services as assessments
from safebase.web.clinic import reads, services
from safebase.web.clinic.models import AnswerLink, ClientRecord, SessionNote
from safebase.web.practice import services as practice
from tests.web.clinic.conftest import client_for
from tests.web.conftest import ECR_S_ANSWERS

pytestmark = pytest.mark.django_db

LOW = {str(n): 2 for n in range(1, 13)}


def _link(tess, record, instrument="ecr-s", **kw):
    a = services.assign(tess, record, instrument_id=instrument, every_weeks=None, **kw)
    return a, services.issue_answer_link(tess, a).token


def test_a_no_login_link_shows_one_questionnaire_and_works_once(tess, nora, client):
    a, token = _link(tess, nora)
    url = f"/clinic/answer/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    inst = get_instrument("ecr-s")
    assert inst.name in html and html.count("<fieldset") == len(inst.items)
    assert not AnswerLink.objects.filter(token_hash__icontains=token[:20]).exists()
    data = {f"item_{k}": v for k, v in ECR_S_ANSWERS.items()}
    done = client.post(url, data)
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    [result] = services.consented_results(tess, nora)
    assert (
        result.owner == nora.person
        and result.scores
        == assessments.record_assessment(
            owner=tess, instrument_id="ecr-s", answers=ECR_S_ANSWERS
        ).scores
    )
    assert not nora.person.is_active and not nora.person.has_usable_password()
    # Once only.
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    a.refresh_from_db()
    assert a.next_due is None  # a one-off, answered


def test_a_no_login_link_closes_with_its_window_and_bad_input_is_a_message(tess, nora, client):
    _, token = _link(tess, nora, window_days=3)
    url = f"/clinic/answer/{token}/"
    bad = client.post(url, {"item_1": "²", "item_2": "9" * 5000})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert client.post(url, {}).status_code == 400  # nothing answered
    with time_machine.travel(timezone.now() + timedelta(days=3, seconds=1)):
        assert client.get(url).status_code == 404


def test_a_full_client_is_not_sent_answer_links(tess, consented):
    a = services.assign(tess, consented, instrument_id="ecr-s", every_weeks=4)
    with pytest.raises(SafebaseError, match="own safebase"):
        services.issue_answer_link(tess, a)


def test_recurring_measure_moves_on_and_is_overdue_after_its_window(alice, tess, consented):
    start = date(2026, 3, 2)
    a = services.assign(
        tess, consented, instrument_id="ecr-s", every_weeks=2, window_days=3, first_due=start
    )
    assert services.assignment_state(a, start - timedelta(days=1)) == "upcoming"
    assert services.assignment_state(a, start + timedelta(days=3)) == "due"
    assert services.assignment_state(a, start + timedelta(days=4)) == "overdue"
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 3, 12))):
        assessments.record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S_ANSWERS)
    a.refresh_from_db()
    assert a.next_due == start + timedelta(weeks=2)
    # The client sees it due and gets it in a calendar file.
    as_alice = client_for(alice)
    assert "ECR-S" in as_alice.get("/clinic/my/").content.decode()
    ics = as_alice.get("/clinic/my/questionnaires.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "DTSTART:20260316T190000" in body and "RRULE:FREQ=WEEKLY;INTERVAL=2" in body


def _clients(tess, n: int, start: int = 0) -> list[ClientRecord]:
    """n clients, each with two shared results and an assignment: alternately without an
    account (answering by link) and with one (joined by invitation, sharing the measure)."""
    records = []
    for i in range(start, start + n):
        if i % 2:
            person = get_user_model().objects.create_user(f"client-{i}")
            r = services.accept_invitation(person, services.invite_client(tess).token)
            services.set_measure_shared(person, r, "ecr-s", True)
            for answers in (ECR_S_ANSWERS, LOW):
                assessments.record_assessment(owner=person, instrument_id="ecr-s", answers=answers)
        else:
            r = services.add_no_login_client(tess, name=f"Client {i}")
            for answers in (ECR_S_ANSWERS, LOW):
                _, token = _link(tess, r)
                services.submit_answers(token, answers)
        services.assign(tess, r, instrument_id="ecr-s", every_weeks=4)
        records.append(r)
    return records


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_caseload_and_client_pages_cost_the_same_for_3_and_12_clients(tess):
    as_tess = client_for(tess)
    first = _clients(tess, 3)
    few = _queries(as_tess, "/clinic/")
    few_client = [_queries(as_tess, f"/clinic/clients/{r.pk}/") for r in first[:2]]
    more = _clients(tess, 9, start=3)
    assert len(services.consented_results(tess, more[-1])) == 2  # what the pages must read
    many = _queries(as_tess, "/clinic/")
    many_client = [_queries(as_tess, f"/clinic/clients/{r.pk}/") for r in first[:2]]
    assert many == few, (few, many)
    assert many_client == few_client, (few_client, many_client)
    assert few <= 12  # session, user, groups, records, results, choices, assignments, log
    # Nor do they grow with the results of one client: 2 then 12 shared results.
    nora = first[0]
    for _ in range(10):
        _, token = _link(tess, nora)
        services.submit_answers(token, LOW)
    assert _queries(as_tess, "/clinic/") == few
    assert _queries(as_tess, f"/clinic/clients/{nora.pk}/") == few_client[0]
    # Every client is listed (full and no-login alike), so the count covers them all.
    html = as_tess.get("/clinic/").content.decode()
    assert all(f'href="/clinic/clients/{r.pk}/"' in html for r in first + more)


def test_the_caseload_comes_a_page_at_a_time_by_name_and_logs_only_that_page(tess, monkeypatch):
    from safebase.web.clinic.models import AccessEvent

    monkeypatch.setattr(reads, "CASELOAD_PAGE_SIZE", 3)
    records = _clients(tess, 7)
    as_tess = client_for(tess)
    by_name = sorted(records, key=lambda r: (r.display_name.lower(), r.pk))
    seen: list[int] = []
    counts = []
    for page in (1, 2, 3):
        before = AccessEvent.objects.count()
        html = as_tess.get(f"/clinic/?page={page}").content.decode()
        listed = [int(pk) for pk in re.findall(r'href="/clinic/clients/(\d+)/"', html)]
        assert listed == [r.pk for r in by_name[(page - 1) * 3 : page * 3]], page
        # Only the clients shown are logged as read (each has shared results).
        assert AccessEvent.objects.count() - before == len(listed)
        assert f"Clients {(page - 1) * 3 + 1}–{min(page * 3, 7)} of 7, by name." in html
        seen += listed
        counts.append(_queries(as_tess, f"/clinic/?page={page}"))
    assert sorted(seen) == sorted(r.pk for r in records)  # every client once
    assert len(set(counts)) == 1, counts  # a page costs the same, full or not
    # A page number out of range or not a number shows a page, never an error.
    assert 'aria-current="page" href="?page=3"' in as_tess.get("/clinic/?page=99").content.decode()
    assert 'aria-current="page" href="?page=1"' in as_tess.get("/clinic/?page=x").content.decode()


def level_answers(instrument_id: str, level: int) -> dict[str, int]:
    """Answers that score exactly ``level`` on every scale (reverse-keyed items mirrored)."""
    inst = get_instrument(instrument_id)
    low, high = inst.response.low, inst.response.high
    out = {}
    for scale in inst.scales:
        for key in scale.item_keys:
            out[key] = low + high - level if key in scale.reverse_keys else level
    return out


def test_caseload_change_flags_match_an_independent_computation(tess, nora):
    # ECR 5-point: the one instrument here with a reference sample (SD and alpha).
    for level in (4, 2):
        _, token = _link(tess, nora, instrument="ecr-5pt")
        services.submit_answers(token, level_answers("ecr-5pt", level))
    [row] = reads.caseload(tess)
    intake, last_session = row.flags()
    assert len(intake.changes) == 2
    for c in intake.changes:
        assert (c.before, c.after) == (4.0, 2.0)
        # Jacobson & Truax: RCI = (x2 - x1) / (sqrt(2) * SD * sqrt(1 - r)), by hand.
        by_hand = (2.0 - 4.0) / (math.sqrt(2) * c.sd * math.sqrt(1 - c.reliability))
        assert c.rci == pytest.approx(by_hand)
        assert c.verdict == (Verdict.IMPROVED if abs(by_hand) > 1.96 else Verdict.NO_CHANGE)
    assert intake.reliable  # a drop of 2 points on a 1-5 scale is beyond measurement error
    before, _ = list(services.consented_results(tess, nora))
    assert last_session.before.pk == before.pk  # no session date: against the previous result
    html = client_for(tess).get("/clinic/").content.decode()
    assert "reliable improvement" in html


def test_caseload_says_why_change_is_not_available(tess, nora):
    _, token = _link(tess, nora)
    services.submit_answers(token, ECR_S_ANSWERS)
    [row] = reads.caseload(tess)
    assert [f.reason for f in row.flags()] == [
        "not available: only one shared result",
        "not available: no earlier shared result",
    ]
    html = client_for(tess).get("/clinic/").content.decode()
    assert "only one shared result" in html


def test_since_last_session_shows_only_shared_items_and_flags_only_shared_text(
    alice, tess, consented
):
    shared = practice.add_journal_entry(owner=alice, body="I want to kill myself").obj
    practice.add_journal_entry(owner=alice, body="I want to die, unshared words")
    checkin = practice.record_checkin(
        owner=alice, emotion="lonely", intensity=7, need="comfort", note=""
    ).obj
    services.share_with_therapist(alice, consented, shared)
    services.share_with_therapist(alice, consented, checkin)
    summary = reads.since_session(tess, consented, None)
    assert [e.obj for e in summary.entries] == [shared]
    assert [e.obj for e in summary.flagged] == [shared]
    assert summary.checkins == 1 and summary.families == {"sadness": 1}
    html = client_for(tess).get(f"/clinic/clients/{consented.pk}/").content.decode()
    assert "unshared words" not in html and "Safety-screen flags" in html


def test_since_date_filters_and_bad_dates_do_not_break_the_page(alice, tess, consented):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = practice.add_journal_entry(owner=alice, body="old entry").obj
    new = practice.add_journal_entry(owner=alice, body="new entry").obj
    for e in (old, new):
        services.share_with_therapist(alice, consented, e)
    since = timezone.localdate() - timedelta(days=2)
    assert [e.obj for e in reads.since_session(tess, consented, since).entries] == [new]
    as_tess = client_for(tess)
    assert as_tess.get(f"/clinic/clients/{consented.pk}/?since=not-a-date").status_code == 200
    as_tess.post(f"/clinic/clients/{consented.pk}/session/", {"session_date": since.isoformat()})
    consented.refresh_from_db()
    assert consented.last_session == since
    assert "old entry" not in as_tess.get(f"/clinic/clients/{consented.pk}/").content.decode()


def test_notes_are_encrypted_and_private_until_shared(alice, tess, consented):
    as_tess, as_alice = client_for(tess), client_for(alice)
    as_tess.post(
        f"/clinic/clients/{consented.pk}/notes/",
        {"session_date": "2026-03-02", "body": "Worked on repair; quillbright"},
    )
    note = SessionNote.objects.get()
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM clinic_sessionnote")
        assert "quillbright" not in cur.fetchone()[0]
    assert "quillbright" not in as_alice.get("/clinic/my/").content.decode()
    as_tess.post(f"/clinic/notes/{note.pk}/share/", {"shared": "1"})
    assert "quillbright" in as_alice.get("/clinic/my/").content.decode()
