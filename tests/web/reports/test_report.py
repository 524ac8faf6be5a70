"""The person's own PDF report: its numbers against an independent scoring of the answers, the
period, sources and the not-a-diagnosis statement, privacy (never journal text, never another
person's numbers), the form's validation, and the time it takes.

Expected scores come from the answers through the core scorer (``score_responses``) and the
reference sample (``default_reference_sample``) directly, not from the stored results the report
reads; so a report that showed other numbers than the result page would fail here.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from safebase.core.change import compare
from safebase.core.instrument import get_instrument
from safebase.core.norms import default_reference_sample
from safebase.core.profile import build_profile
from safebase.core.scoring import score_responses
from safebase.core.styles import NOT_A_DIAGNOSIS
from safebase.web.assessments import services
from safebase.web.assessments.models import Assessment
from safebase.web.practice import services as practice
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry
from safebase.web.reports import services as reports
from tests.reports.pdftext import flat, pdf_text, score_rows

pytestmark = pytest.mark.django_db

ECR5 = "ecr-5pt"
JOURNAL_SECRET = "marmalade-lighthouse"


def ecr5_answers(seed: int) -> dict[str, int]:
    """36 answers on 1-5 that differ from seed to seed (and so do their scores)."""
    return {str(n): 1 + (n * 7 + seed * 3 + n * seed) % 5 for n in range(1, 37)}


def ecr_s_answers(anxious: int, avoidant: int) -> dict[str, int]:
    """ECR-S (Wei et al., 2007): anxiety items 2, 4, 6, 8 (reversed), 10, 12; avoidance items 1
    (reversed), 3, 5 (reversed), 7, 9 (reversed), 11; reversal on 1-7 is 8 - x."""
    answers = {}
    for n in (2, 4, 6, 10, 12):
        answers[str(n)] = anxious
    answers["8"] = 8 - anxious
    for n in (3, 7, 11):
        answers[str(n)] = avoidant
    for n in (1, 5, 9):
        answers[str(n)] = 8 - avoidant
    return answers


def finished(owner, instrument_id: str, answers: dict, when: datetime) -> Assessment:
    a = services.record_assessment(owner=owner, instrument_id=instrument_id, answers=answers)
    Assessment.objects.filter(pk=a.pk).update(completed_at=when)
    a.refresh_from_db()
    return a


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def expected_scores(instrument_id: str, answers: dict) -> dict[str, str]:
    inst = get_instrument(instrument_id)
    scored = score_responses(inst, answers)
    return {inst.scale(sid).name: f"{s.value:.2f}" for sid, s in scored.scales.items()}


@pytest.fixture()
def alices_quarter(alice):
    """alice's ECR (5-point) results: one before, three inside and one after Q1 2026."""
    days = ["2025-12-20", "2026-01-10", "2026-02-10", "2026-03-10", "2026-04-05"]
    return [
        (day, seed, finished(alice, ECR5, ecr5_answers(seed), at(day)))
        for seed, day in enumerate(days)
    ]


def test_the_scores_table_equals_an_independent_scoring_of_the_answers(alice, alices_quarter):
    body = reports.own_report(
        owner=alice, start=date(2026, 1, 1), end=date(2026, 3, 31), include_practice=False
    )
    rows = score_rows(body)
    expected = []
    for number, (_day, seed, _a) in enumerate(alices_quarter[1:4], start=1):
        for scale, value in expected_scores(ECR5, ecr5_answers(seed)).items():
            expected.append((str(number), scale, value))
    assert [(r[0], r[2], r[3]) for r in rows] == expected
    assert [r[1][:11] for r in rows[::2]] == ["10 Jan 2026", "10 Feb 2026", "10 Mar 2026"]


def test_bands_percentiles_and_reliable_change_match_the_core(alice, alices_quarter):
    inst = get_instrument(ECR5)
    reference = default_reference_sample(inst)
    assert reference is not None  # the 5-point ECR has a cited reference sample
    body = reports.own_report(
        owner=alice, start=date(2026, 1, 1), end=date(2026, 3, 31), include_practice=False
    )
    text = flat(pdf_text(body))
    scored = [score_responses(inst, ecr5_answers(seed)) for _d, seed, _a in alices_quarter[1:4]]
    for s in scored:
        profile = build_profile(inst, s, reference=reference)
        for d in (profile.anxiety, profile.avoidance):
            row = f"{d.name} {d.score:.2f} {d.band[0]:.2f}–{d.band[1]:.2f} {d.percentile:.0f}"
            assert row in text, row
    pairs = [("1 → 2", scored[0], scored[1]), ("2 → 3", scored[1], scored[2])]
    pairs.append(("1 → 3", scored[0], scored[2]))  # the period as a whole
    for label, before, after in pairs:
        for c in compare(inst, before, after, reference):
            row = f"{label} {c.name} {c.before:.2f} {c.after:.2f} {c.difference:+.2f} {c.rci:+.2f}"
            assert f"{row} {c.verdict.value}" in text, row
    # where the numbers come from: the sample, by its label, and the reliable-change method
    assert reference.label in text
    assert "Jacobson & Truax, 1991" in text


def test_results_outside_the_period_are_left_out(alice, alices_quarter):
    body = reports.own_report(
        owner=alice, start=date(2026, 2, 1), end=date(2026, 2, 28), include_practice=False
    )
    rows = score_rows(body)
    assert {r[0] for r in rows} == {"1"}
    assert all(r[1].startswith("10 Feb 2026") for r in rows)
    text = pdf_text(body)
    for day in ("20 Dec 2025", "10 Jan 2026", "10 Mar 2026", "5 Apr 2026"):
        assert day not in text
    assert "Period: 1 February 2026 – 28 February 2026" in flat(text)


def test_the_period_counts_the_persons_own_days(alice, settings):
    """23:30 UTC on 31 January is already 1 February in Auckland: a February result there."""
    settings.TIME_ZONE = "Pacific/Auckland"
    finished(alice, ECR5, ecr5_answers(1), datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    with timezone.override("Pacific/Auckland"):
        feb = reports.own_report(
            owner=alice, start=date(2026, 2, 1), end=None, include_practice=False
        )
        jan = reports.own_report(
            owner=alice, start=None, end=date(2026, 1, 31), include_practice=False
        )
    assert len(score_rows(feb)) == 2
    assert score_rows(jan) == []


def test_citations_and_the_not_a_diagnosis_statement_are_in(alice):
    finished(alice, ECR5, ecr5_answers(1), at("2026-01-10"))
    finished(alice, "ecr-s", ecr_s_answers(6, 2), at("2026-01-11"))
    finished(alice, "secure-signs", {str(n): 2 for n in range(1, 11)}, at("2026-01-12"))
    text = flat(
        pdf_text(reports.own_report(owner=alice, start=None, end=None, include_practice=False))
    )
    for inst_id in (ECR5, "ecr-s", "secure-signs"):
        inst = get_instrument(inst_id)
        assert f"Source: {flat(inst.spec.citation)}" in text, inst_id
        assert flat(inst.name) in text
    assert "Reflection, not a validated measure." in text  # the checklist says what it is
    assert text.count(flat(NOT_A_DIAGNOSIS)) == 2
    assert "Period: all results to date" in text


def test_the_practice_summary_counts_records_of_the_period_and_never_shows_text(alice):
    practice.add_journal_entry(owner=alice, body=f"Dear diary, {JOURNAL_SECRET}")
    practice.add_journal_entry(owner=alice, body="an older entry")
    practice.record_checkin(
        owner=alice, emotion="lonely", intensity=6, need="comfort", note=JOURNAL_SECRET
    )
    practice.record_checkin(owner=alice, emotion="sad", intensity=3, need="rest")
    practice.record_exercise(owner=alice, exercise_id="gratitude", data={"moment": JOURNAL_SECRET})
    older = JournalEntry.objects.order_by("pk").last()
    JournalEntry.objects.filter(pk=older.pk).update(created_at=at("2025-06-01"))
    finished(alice, "ecr-s", ecr_s_answers(5, 3), at("2026-01-11"))
    body = reports.own_report(owner=alice, start=date(2026, 1, 1), end=None, include_practice=True)
    text = flat(pdf_text(body))
    assert "Emotion check-ins 2" in text
    assert "Exercises done 1" in text
    assert "Journal entries (count only; their text stays private) 1" in text
    assert JOURNAL_SECRET not in text and "diary" not in text
    without = flat(
        pdf_text(reports.own_report(owner=alice, start=None, end=None, include_practice=False))
    )
    assert "Emotion check-ins" not in without and "Practice in this period" not in without
    assert CheckIn.objects.count() == 2 and ExerciseRecord.objects.count() == 1


def test_another_persons_results_never_reach_a_report(alice, charlie):
    mine = finished(alice, "ecr-s", ecr_s_answers(2, 2), at("2026-01-10"))
    theirs = finished(charlie, "ecr-s", ecr_s_answers(7, 6), at("2026-01-11"))
    assert theirs.scores == {"anxiety": 7.0, "avoidance": 6.0}
    own = reports.own_report(owner=alice, start=None, end=None, include_practice=True)
    # and the shared entry point drops them even when a caller hands them over
    handed = reports.report_pdf(person=alice, results=[mine, theirs])
    for body in (own, handed):
        rows = score_rows(body)
        assert [(r[2], r[3]) for r in rows] == [
            ("Attachment anxiety", "2.00"),
            ("Attachment avoidance", "2.00"),
        ]
        text = pdf_text(body)
        assert "7.00" not in text and "6.00" not in text and "charlie" not in text


def test_unfinished_results_are_not_reported(alice):
    started = services.start_assessment(owner=alice, instrument_id="ecr-s")
    services.save_answers(assessment=started, answers=ecr_s_answers(7, 7))
    body = reports.report_pdf(person=alice, results=[started])
    assert "No finished questionnaire results in this period." in pdf_text(body)


@pytest.mark.timed
def test_twenty_results_take_under_two_seconds(alice):
    """Measured here at 0.4-0.8 s (two charts per questionnaire, drawn once per report); the
    faster of two runs, so a busy shared machine does not fail it."""
    for n in range(20):
        finished(alice, ECR5, ecr5_answers(n), at(f"2026-01-{n + 1:02d}"))
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        body = reports.own_report(owner=alice, start=None, end=None, include_practice=True)
        timings.append(time.perf_counter() - started)
    assert len(score_rows(body)) == 40
    assert min(timings) < 2.0, timings


# --- the web page -------------------------------------------------------------------------


def test_the_page_shows_the_form_with_all_time_by_default(as_alice):
    response = as_alice.get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="start"' in html and 'name="end"' in html
    assert re.search(r'name="practice"[^>]*checked', html)


def test_the_download_is_a_pdf_named_by_today(as_alice, alice):
    finished(alice, "ecr-s", ecr_s_answers(3, 5), at("2026-01-10"))
    response = as_alice.get("/report/", {"start": "", "end": "", "practice": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]  # a private download, like the exports
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="safebase-report-{today}.pdf"'
    )
    rows = score_rows(response.content)
    assert [(r[2], r[3]) for r in rows] == [
        ("Attachment anxiety", "3.00"),
        ("Attachment avoidance", "5.00"),
    ]
    assert "Practice in this period" in pdf_text(response.content)


def test_the_download_keeps_to_the_period_asked(as_alice, alice):
    finished(alice, "ecr-s", ecr_s_answers(3, 5), at("2026-01-10"))
    finished(alice, "ecr-s", ecr_s_answers(6, 1), at("2026-03-10"))
    response = as_alice.get("/report/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    rows = score_rows(response.content)
    assert [r[3] for r in rows] == ["6.00", "1.00"]
    assert "Practice in this period" not in pdf_text(response.content)  # unticked box


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "is after"),
        ({"start": "2026-13-45"}, "Enter a valid date"),
        ({"end": "99999-01-01"}, "Enter a valid date"),
        ({"start": "0001-01-01"}, "Choose a date from"),
        ({"start": "\x00"}, "Enter a valid date"),
        ({"start": "x" * 5000}, "Enter a valid date"),
    ],
)
def test_bad_input_shows_the_form_again_with_what_to_fix(as_alice, params, message):
    response = as_alice.get("/report/", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_the_last_possible_day_is_no_error(as_alice, alice):
    finished(alice, "ecr-s", ecr_s_answers(3, 5), at("2026-01-10"))
    response = as_alice.get("/report/", {"start": "2000-01-01", "end": "9999-12-31"})
    assert response.status_code == 200 and len(score_rows(response.content)) == 2


def test_the_report_is_for_signed_in_people_only(alice):
    finished(alice, "ecr-s", ecr_s_answers(3, 5), at("2026-01-10"))
    response = Client().get("/report/", {"start": "", "end": ""})
    assert response.status_code == 302 and "next=/report/" in response["Location"]
    assert not response.content.startswith(b"%PDF")
    assert Client().post("/report/").status_code in (302, 405)


def test_charlies_download_has_none_of_alices_numbers(as_charlie, alice, charlie):
    finished(alice, "ecr-s", ecr_s_answers(7, 6), at("2026-01-10"))
    finished(charlie, "ecr-s", ecr_s_answers(2, 3), at("2026-01-11"))
    response = as_charlie.get("/report/", {"start": "", "end": "", "practice": "on"})
    rows = score_rows(response.content)
    assert [r[3] for r in rows] == ["2.00", "3.00"]
    assert "7.00" not in pdf_text(response.content)


def test_history_links_to_the_report(as_alice, alice_result):
    assert 'href="/report/"' in as_alice.get("/history/").content.decode()
