"""A small installation with one person's whole history, run in a subprocess with its own data
directory (``python -m tests.web.mydata.world COMMAND [ARG]``), so Django's settings, the database
file and the key are the real ones of that directory. Prints one JSON line.

Commands: ``populate``; ``state``; ``backup-while-writing FILE`` (populates, then backs up while a
thread keeps saving check-ins); ``export FILE`` (the JSON export the web app serves).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def _setup():
    from safebase.web.bootstrap import setup_django

    setup_django()
    from safebase.web.assessments.services import local_owner

    return local_owner()


# ECR-S answers (items 1-12): one anxious result, then a later, calmer one.
ANXIOUS = {str(n): v for n, v in enumerate([7, 7, 1, 7, 7, 7, 1, 1, 7, 7, 1, 7], start=1)}
CALMER = {str(n): v for n, v in enumerate([4, 5, 3, 5, 4, 5, 3, 3, 4, 5, 3, 5], start=1)}


def populate(owner) -> None:
    from safebase.web.assessments import services as assessments
    from safebase.web.practice import services as practice

    assessments.record_assessment(owner=owner, instrument_id="ecr-s", answers=ANXIOUS)
    assessments.record_assessment(owner=owner, instrument_id="ecr-s", answers=CALMER)
    unfinished = assessments.start_assessment(owner=owner, instrument_id="ecr-r")
    assessments.save_answers(assessment=unfinished, answers={"1": 3, "2": 5})
    for i, (emotion, need) in enumerate([("anxious", "reassurance"), ("smothered", "space")]):
        practice.record_checkin(
            owner=owner, emotion=emotion, intensity=3 + i, need=need, note=f"note {i} — ünïcode"
        )
    practice.add_journal_entry(owner=owner, body="First entry: he was late and I spiralled.")
    practice.add_journal_entry(owner=owner, body="Second entry\nwith two lines & <markup>.")
    practice.log_trigger(
        owner=owner,
        situation="No reply for an hour",
        pattern="protest",
        what_i_did="Sent four messages",
        repair="Said sorry and what I needed",
    )
    practice.record_exercise(
        owner=owner,
        exercise_id="repair",
        data={"situation": "The argument", "own_part": "I went quiet", "path_forward": "Talk"},
    )
    practice.record_exercise(
        owner=owner, exercise_id="grounding", data={"safe_before": 3, "safe_after": 7}
    )


def state(owner) -> dict:
    """Everything a person would want back, decrypted, with the plan it leads to."""
    from safebase.web.assessments.models import Assessment
    from safebase.web.practice import services as practice
    from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog

    def when(dt) -> str | None:
        return dt.isoformat() if dt else None

    plan = practice.current_plan(owner)
    return {
        "results": [
            {
                "instrument": a.instrument_id,
                "status": a.status,
                "answers": a.answers,
                "scores": a.scores,
                "style": a.style,
                "started_at": when(a.started_at),
                "updated_at": when(a.updated_at),
                "completed_at": when(a.completed_at),
            }
            for a in Assessment.objects.filter(owner=owner).order_by("started_at", "id")
        ],
        "checkins": [
            [when(c.created_at), c.emotion, c.family, c.intensity, c.need, c.note]
            for c in CheckIn.objects.filter(owner=owner).order_by("created_at", "id")
        ],
        "journal": [
            [when(e.created_at), e.body]
            for e in JournalEntry.objects.filter(owner=owner).order_by("created_at", "id")
        ],
        "triggers": [
            [when(t.created_at), t.situation, t.pattern, t.what_i_did, t.repair]
            for t in TriggerLog.objects.filter(owner=owner).order_by("created_at", "id")
        ],
        "exercises": [
            [when(r.created_at), r.exercise_id, r.data]
            for r in ExerciseRecord.objects.filter(owner=owner).order_by("created_at", "id")
        ],
        "plan": None
        if plan is None
        else {
            "pattern": str(plan.pattern),
            "current_phase": plan.current_phase,
            "reassess_due": str(plan.reassess_due),
            "phases": [
                [p.id, p.completed, p.target, [[e.exercise.id, e.completed] for e in p.exercises]]
                for p in plan.phases
            ],
        },
        "streaks": list(practice.streaks(owner)),
    }


def backup_while_writing(owner, out: str) -> dict:
    """Back up while another thread keeps saving check-ins through its own connection."""
    from django.db import connection

    from safebase.web.mydata.backup import write_backup
    from safebase.web.practice import services as practice

    populate(owner)
    stop, written = threading.Event(), []

    def writer() -> None:
        try:
            while not stop.is_set():
                saved = practice.record_checkin(
                    owner=owner, emotion="hopeful", intensity=len(written) % 11, need="rest"
                )
                written.append(saved.obj.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(written) < 20:  # the writer is well under way
        time.sleep(0.005)
    before = state(owner)
    at_start = len(written)
    size = write_backup(out, os.environ["SAFEBASE_BACKUP_PASSPHRASE"])
    at_end = len(written)
    while len(written) < at_end + 20:  # and still writing after the backup
        time.sleep(0.005)
    stop.set()
    thread.join()
    return {
        "before": before,
        "after": state(owner),
        "written_during_backup": at_end - at_start,
        "size": size,
    }


def export(owner, out: str) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(owner)
    response = client.get("/export.json")
    with open(out, "wb") as fh:
        fh.write(response.content)
    return {"status": response.status_code}


def main(argv: list[str]) -> None:
    owner = _setup()
    command, *args = argv
    if command == "populate":
        populate(owner)
        result: object = state(owner)
    elif command == "state":
        result = state(owner)
    elif command == "backup-while-writing":
        result = backup_while_writing(owner, *args)
    elif command == "export":
        result = export(owner, *args)
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
