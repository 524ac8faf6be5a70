"""Practice pages: saving, encryption at rest, the safety screen, ownership, export and delete."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from safebase.web.assessments import services as assessment_services
from safebase.web.practice import services
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog

pytestmark = pytest.mark.django_db

SECRET_WORDS = "marmalade lighthouse quietly"


def _anxious(owner):
    # ECR-S: anxiety items at 7 (item 8 reversed → 1), avoidance at 1 (1, 5, 9 reversed → 7).
    answers = {str(n): 7 if n % 2 == 0 else 1 for n in range(1, 13)}
    answers["8"] = 1
    answers.update({"1": 7, "5": 7, "9": 7})
    return assessment_services.record_assessment(
        owner=owner, instrument_id="ecr-s", answers=answers
    )


def test_plan_page_follows_the_latest_result(as_alice, alice):
    assert "Take the ECR-S" in as_alice.get("/practice/").content.decode()
    a = _anxious(alice)
    assert a.style == "anxious-preoccupied"
    page = as_alice.get("/practice/").content.decode()
    assert "Self-soothing repertoire" in page
    assert "Graduated vulnerability ladder" not in page
    assert "Pattern recognition — you are here" in page
    assert "This plan follows your" in page and "ECR-S result of" in page


def test_plan_ignores_rq_and_reflections_and_can_follow_a_chosen_result(as_alice, alice):
    first = _anxious(alice)
    # Later: a secure ECR-R, then an RQ and the reflection checklist, which must not move the plan.
    secure = assessment_services.record_assessment(
        owner=alice, instrument_id="ecr-r", answers={str(n): 1 for n in range(1, 37)}
    )
    rq = {str(n): 4 for n in range(1, 5)} | {"5": 2}
    assessment_services.record_assessment(owner=alice, instrument_id="rq", answers=rq)
    assessment_services.record_assessment(
        owner=alice, instrument_id="secure-signs", answers={str(n): 3 for n in range(1, 11)}
    )
    assert services.plan_basis(alice).pk == secure.pk
    assert "ECR-R result of" in as_alice.get("/practice/").content.decode()
    response = as_alice.post("/practice/", {"result": str(first.pk)})
    assert response.status_code == 302
    assert services.plan_basis(alice).pk == first.pk
    assert services.current_plan(alice).pattern == "anxious"
    # Another person's result cannot be chosen; the latest again with an empty choice.
    assert as_alice.post("/practice/", {"result": "999999"}).status_code == 400
    as_alice.post("/practice/", {"result": ""})
    assert services.plan_basis(alice).pk == secure.pk


def test_checkin_saves_and_validates(as_alice, alice):
    response = as_alice.post(
        "/practice/checkin/",
        {"emotion": "lonely", "intensity": "7", "need": "connection", "note": "late"},
    )
    assert response.status_code == 302
    c = CheckIn.objects.get(owner=alice)
    assert (c.family, c.intensity, c.need, c.note) == ("sadness", 7, "connection", "late")
    bad = as_alice.post(
        "/practice/checkin/", {"emotion": "glorbish", "intensity": "7", "need": "connection"}
    )
    assert bad.status_code == 400
    assert "Feeling: Select a valid choice. glorbish is not one" in bad.content.decode()
    bad = as_alice.post("/practice/checkin/", {"emotion": "sad", "intensity": "11", "need": "rest"})
    assert "Intensity: Ensure this value is less than or equal to 10." in bad.content.decode()
    assert CheckIn.objects.count() == 1


def test_free_text_is_encrypted_at_rest(as_alice, alice):
    as_alice.post("/practice/journal/", {"body": f"Today: {SECRET_WORDS}."})
    as_alice.post(
        "/practice/checkin/",
        {
            "emotion": "calm" if False else "peaceful",
            "intensity": "2",
            "need": "rest",
            "note": SECRET_WORDS,
        },
    )
    services.record_exercise(
        owner=alice, exercise_id="repair", data={"situation": SECRET_WORDS, "own_part": "x"}
    )
    services.log_trigger(owner=alice, situation=SECRET_WORDS, pattern="protest")
    # Read back through the models: the words are there.
    assert SECRET_WORDS in JournalEntry.objects.get().body
    assert ExerciseRecord.objects.get().data["situation"] == SECRET_WORDS
    # The raw columns hold only ciphertext.
    with connection.cursor() as cur:
        for table, column in [
            ("practice_journalentry", "body"),
            ("practice_checkin", "note"),
            ("practice_exerciserecord", "data"),
            ("practice_triggerlog", "situation"),
        ]:
            cur.execute(f"SELECT {column} FROM {table}")
            raw = cur.fetchone()[0]
            assert "marmalade" not in raw and raw.startswith("gAAAA"), table


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_file_reveals_none_of_it(alice, tmp_path):
    """The whole SQLite file (and its WAL) searched byte by byte for the entry's words."""
    if connection.vendor != "sqlite":
        pytest.skip("file-level check is for the SQLite database file")
    services.add_journal_entry(owner=alice, body=f"Dear diary, {SECRET_WORDS}.")
    name = settings.DATABASES["default"]["NAME"]
    test_name = connection.settings_dict["NAME"]
    path = Path(test_name if test_name and ":memory:" not in str(test_name) else name)
    if "mode=memory" in str(path) or not path.exists():
        # An in-memory test database: copy it to a real file with SQLite's own backup.
        path = tmp_path / "copy.sqlite3"
        dest = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(dest)
        dest.close()
    blob = path.read_bytes()
    wal = Path(f"{path}-wal")
    if wal.exists():
        blob += wal.read_bytes()
    assert b"Dear diary" not in blob and b"marmalade" not in blob
    assert b"practice_journalentry" in blob  # it is the right file, holding the table


def test_risky_text_shows_crisis_resources_without_blocking(as_alice, alice):
    response = as_alice.post(
        "/practice/journal/", {"body": "I don't want to live anymore"}, follow=True
    )
    page = response.content.decode()
    assert 'role="alert"' in page and "immediate danger" in page
    assert JournalEntry.objects.filter(owner=alice).count() == 1
    # Shown once, not on every later page.
    assert "immediate danger" not in as_alice.get("/practice/journal/").content.decode()
    idiom = as_alice.post(
        "/practice/journal/", {"body": "I'm dying to see her on Friday"}, follow=True
    )
    assert "immediate danger" not in idiom.content.decode()


def test_local_crisis_number_comes_first(as_alice, settings):
    settings.SAFEBASE_CRISIS_NUMBER = "0800 000 000"
    settings.SAFEBASE_CRISIS_LABEL = "Our local line"
    page = as_alice.post(
        "/practice/journal/", {"body": "I want to kill myself"}, follow=True
    ).content.decode()
    first = page.index("Our local line")
    assert "0800 000 000" in page and first < page.index("Samaritans")


def test_safety_screen_logs_nothing_of_the_text(as_alice, caplog):
    with caplog.at_level("DEBUG"):
        as_alice.post("/practice/journal/", {"body": "I want to end my life tonight"})
    assert "end my life" not in caplog.text


def test_coach_explains_and_offers_a_rewrite(as_alice):
    html = as_alice.post("/practice/coach/", {"original": "You never listen to me"}).content
    text = html.decode()
    assert "<mark>You never</mark>" in text
    assert "Try: <em>I feel" in text


def test_exercise_record_validates_fields(as_alice, alice):
    bad = as_alice.post("/practice/exercise/body-scan/", {"minutes": "abc", "after": ""})
    assert bad.status_code == 400
    assert "Minutes practised: Enter a whole number." in bad.content.decode()
    ok = as_alice.post("/practice/exercise/body-scan/", {"minutes": "12", "after": "calmer"})
    assert ok.status_code == 302
    assert ExerciseRecord.objects.get(owner=alice).data == {"minutes": 12, "after": "calmer"}
    assert as_alice.get("/practice/exercise/nope/").status_code == 404


def test_progress_and_schedule(as_alice, alice):
    _anxious(alice)
    services.record_checkin(owner=alice, emotion="anxious", intensity=8, need="reassurance")
    services.record_exercise(owner=alice, exercise_id="gratitude", data={"moment": "tea"})
    page = as_alice.get("/practice/progress/").content.decode()
    assert "Check-ins: 1" in page and "Gratitude entries: 1" in page
    assert 'role="img"' in page
    assert "<strong>1 day</strong>" in page
    ics = as_alice.get("/practice/schedule.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"RRULE:FREQ=DAILY" in ics.content


def test_practice_records_are_private(alice, as_charlie, charlie):
    services.add_journal_entry(owner=alice, body="alice's private entry")
    services.record_exercise(owner=alice, exercise_id="gratitude", data={"moment": "alice tea"})
    for url in ("/practice/journal/", "/practice/exercise/gratitude/", "/practice/progress/"):
        assert "alice" not in as_charlie.get(url).content.decode()
    data = as_charlie.get("/export.json").json()
    assert data["journal"] == [] and data["exercises"] == []


def test_export_and_delete_include_practice(as_alice, alice):
    services.add_journal_entry(owner=alice, body="export me")
    services.record_checkin(owner=alice, emotion="hopeful", intensity=4, need="fun", note="n1")
    services.log_trigger(owner=alice, situation="late reply", pattern="protest", repair="said so")
    services.record_exercise(owner=alice, exercise_id="repair", data={"own_part": "mine"})
    data = json.loads(as_alice.get("/export.json").content)
    assert data["journal"][0]["body"] == "export me"
    assert data["checkins"][0]["note"] == "n1"
    assert data["triggers"][0]["repair"] == "said so"
    assert data["exercises"][0]["own_part"] == "mine"
    csv_text = as_alice.get("/export.csv").content.decode()
    assert "export me" in csv_text and "mine" in csv_text
    as_alice.post("/delete/", {"confirm": "DELETE"})
    for model in (JournalEntry, CheckIn, TriggerLog, ExerciseRecord):
        assert model.objects.count() == 0


def test_help_page_is_one_click_from_every_page_and_open_to_anyone(client, as_alice):
    """Crisis resources never depend on the safety screen noticing anything."""
    from django.test import override_settings
    from django.utils.html import escape

    from safebase.core.practice.safety import crisis_resources as listed

    page = client.get("/help/").content.decode()  # signed out
    assert "If you are in immediate danger" in page
    for resource in listed():
        assert escape(resource.name) in page and escape(resource.contact) in page
    for path in ("/", "/about/", "/history/", "/practice/checkin/", "/practice/journal/"):
        body = as_alice.get(path).content.decode()
        assert 'href="/help/">Get help now</a>' in body, path
    with override_settings(SAFEBASE_CRISIS_NUMBER="0800 555 0100", SAFEBASE_CRISIS_LABEL="Clinic"):
        page = client.get("/help/").content.decode()
        assert page.index("Clinic") < page.index(listed()[0].name)


def test_only_the_classifier_flagging_words_the_offer_gently(as_alice, alice):
    from django.utils.html import escape

    from safebase.core.practice.safety import crisis_message, screen_text

    gentle, clear = crisis_message("gentle", "suicide"), crisis_message("flagged", "suicide")
    assert gentle.title != clear.title
    soft = "i keep thinking everyone would be fine without me around"
    assert screen_text(soft).only_by_classifier  # no rule knows this wording
    page = as_alice.post("/practice/journal/", {"body": soft}, follow=True).content.decode()
    assert escape(gentle.title) in page and escape(gentle.body) in page
    assert "immediate danger" in page and "Samaritans" in page
    assert escape(clear.title) not in page
    clear_page = as_alice.post(
        "/practice/journal/", {"body": "I want to kill myself"}, follow=True
    ).content.decode()
    assert escape(clear.title) in clear_page and escape(gentle.title) not in clear_page
    assert JournalEntry.objects.filter(owner=alice).count() == 2


def test_plan_and_calendar_show_the_reliable_change_verdict(as_alice, alice):
    """A large change on the 5-point ECR (it has a reference sample, so an SD and a reliability)
    gets a verdict on the plan and in the re-assessment reminder."""
    from safebase.core.instrument import get_instrument

    inst = get_instrument("ecr-5pt")
    anxious = {k: (5 if k in inst.scale("anxiety").item_keys else 1) for k in inst.item_keys}
    for k in inst.scale("anxiety").reverse_keys:
        anxious[k] = 1
    for k in inst.scale("avoidance").reverse_keys:
        anxious[k] = 5
    calmer = {k: 3 for k in inst.item_keys}
    assessment_services.record_assessment(owner=alice, instrument_id="ecr-5pt", answers=anxious)
    assessment_services.record_assessment(owner=alice, instrument_id="ecr-5pt", answers=calmer)
    page = as_alice.get("/practice/").content.decode()
    assert "Since your previous ECR (5-point)" in page
    assert "unlikely to be measurement error alone (p &lt; .05)" in page
    ics = as_alice.get("/practice/schedule.ics").content.decode().replace("\r\n ", "")
    assert "Last time:" in ics and "unlikely to be measurement error alone" in ics
