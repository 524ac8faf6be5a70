"""A JSON export, imported, gives back every record: results with their answers, scores, status
and dates, check-ins, journal (encrypted again with the importing installation's key), trigger
logs, exercise records — and so the same plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safebase.web.assessments.models import Assessment
from safebase.web.mydata.importer import ExportFileError, import_export
from safebase.web.practice.models import JournalEntry
from tests.cli.helpers import run
from tests.web.mydata import installs, world

EVERYTHING = {"assessments": 3, "checkins": 2, "journal": 2, "triggers": 1, "exercises": 2}


def _comparable(export: dict) -> dict:
    """An export without what names its installation: ids, the account name, the export time."""
    out = {k: v for k, v in export.items() if isinstance(v, list)}  # the records, by kind
    return {
        k: [{f: x for f, x in row.items() if f != "id"} for row in rows] for k, rows in out.items()
    }


@pytest.fixture()
def alice_history(alice):
    world.populate(alice)
    return alice


def test_export_then_import_gives_back_every_record_and_the_plan(
    alice_history, as_alice, charlie, as_charlie
):
    exported = as_alice.get("/export.json").json()
    done = import_export(charlie, json.dumps(exported))
    assert done.added == EVERYTHING
    assert world.state(charlie) == world.state(alice_history)
    assert world.state(charlie)["plan"] is not None
    assert _comparable(as_charlie.get("/export.json").json()) == _comparable(exported)
    # The in-progress questionnaire comes back in progress, with its answers, to be finished.
    unfinished = Assessment.objects.get(owner=charlie, status="in_progress")
    assert unfinished.answers == {"1": 3, "2": 5} and unfinished.completed_at is None


def test_the_export_carries_what_a_result_needs(alice_history, as_alice):
    row = as_alice.get("/export.json").json()["assessments"][0]
    assert {"started_at", "updated_at", "completed_at", "response_low", "response_high"} <= set(row)


def test_importing_the_same_file_twice_adds_nothing(alice_history, as_alice, charlie):
    payload = as_alice.get("/export.json").content
    import_export(charlie, payload)
    again = import_export(charlie, payload)
    assert again.total == 0
    assert again.skipped == EVERYTHING


def _broken(path: str, value):
    def change(export: dict) -> dict:
        section, index, field = path.split(".")
        export[section][int(index)][field] = value
        return export

    return change


BROKEN = {
    "not an export": (lambda e: {"hello": 1}, "not a safebase export"),
    "intensity 11": (_broken("checkins.0.intensity", 11), "checkins.0.intensity"),
    "unknown pattern": (_broken("triggers.0.pattern", "sulking"), "'sulking' is not one of"),
    "unknown questionnaire": (_broken("assessments.0.instrument", "nope"), "assessments.0"),
    "answer out of range": (_broken("assessments.1.answers", {"1": 9}), "assessments.1"),
    "time without zone": (_broken("journal.0.created_at", "2024-01-01T10:00:00"), "journal.0"),
    "empty journal entry": (_broken("journal.1.body", ""), "journal.1.body"),
    "nested exercise field": (_broken("exercises.0.situation", {"a": 1}), "text or a number"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_export_is_refused_by_record_and_field_and_saves_nothing(
    case, alice_history, as_alice, charlie
):
    change, expected = BROKEN[case]
    export = change(as_alice.get("/export.json").json())
    with pytest.raises(ExportFileError) as info:
        import_export(charlie, json.dumps(export))
    assert expected in str(info.value) and "\n" not in str(info.value)
    assert not Assessment.objects.filter(owner=charlie).exists()
    assert not JournalEntry.objects.filter(owner=charlie).exists()


def test_not_json_is_refused():
    with pytest.raises(ExportFileError, match="not JSON"):
        import_export(None, b"\x89PNG")


@pytest.mark.django_db(transaction=True)
def test_the_import_command_fills_the_local_owner(tmp_path: Path, capsys, settings):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments.services import local_owner

    giver = get_user_model().objects.create_user("giver")
    world.populate(giver)
    file = tmp_path / "export.json"
    file.write_text(json.dumps(_export_of(giver)))
    assert run(["import", str(file)]) == 0
    out = capsys.readouterr().out
    assert (
        "Imported for local: 3 assessments, 2 checkins, 2 journal, 1 triggers, 2 exercises" in out
    )
    assert world.state(local_owner()) == world.state(giver)
    assert run(["import", str(file), "--user", "nobody"]) == 2
    assert "--user needs multi-account mode" in capsys.readouterr().err
    settings.MULTI_USER = True
    assert run(["import", str(file), "--user", "nobody"]) == 2
    assert "no account named 'nobody'" in capsys.readouterr().err
    assert run(["import", str(file), "--user", "giver"]) == 0
    assert "Imported for giver" in capsys.readouterr().out


def _export_of(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/export.json").json()


@pytest.mark.slow
def test_an_export_imported_into_a_new_installation_reads_the_same(tmp_path: Path):
    """Two data directories, two keys: the text is encrypted again with the new one."""
    first, second, file = tmp_path / "first", tmp_path / "second", tmp_path / "export.json"
    state = installs.world(first, "populate")
    assert installs.world(first, "export", str(file)) == {"status": 200}
    imported = installs.safebase(second, "import", str(file))
    assert imported.returncode == 0, imported.stderr
    assert installs.world(second, "state") == state
    assert (first / "fernet.key").read_bytes() != (second / "fernet.key").read_bytes()
