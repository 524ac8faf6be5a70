"""``safebase fhir export`` and ``safebase fhir import`` driven in-process: exit 0 with a Bundle or
a stored result; exit 2 with one line naming the problem for anything the person can fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

HAND_WRITTEN = Path(__file__).resolve().parents[1] / "data" / "fhir" / "qr-ecr-s-handwritten.json"
ECR_S = {str(n): 5 for n in range(1, 13)}

pytestmark = pytest.mark.django_db(transaction=True)


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


def kinds(bundle: dict) -> list[str]:
    return [e["resource"]["resourceType"] for e in bundle["entry"]]


def test_export_writes_the_local_owners_results(tmp_path, capsys, settings):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments import services

    services.record_assessment(owner=services.local_owner(), instrument_id="ecr-s", answers=ECR_S)
    someone = get_user_model().objects.create_user("someone")
    services.record_assessment(owner=someone, instrument_id="rq", answers={"1": 1, "2": 2,
                               "3": 3, "4": 4, "5": 1})  # fmt: skip
    out = tmp_path / "bundle.json"
    assert run(["fhir", "export", "--out", str(out)]) == 0
    assert f"Wrote 1 result (2 score observations) to {out}." in capsys.readouterr().out
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert kinds(bundle) == ["Questionnaire", "QuestionnaireResponse", "Observation", "Observation"]
    assert bundle["entry"][0]["resource"]["id"] == "ecr-s"  # not someone's RQ
    settings.MULTI_USER = True  # --user names an account in multi-account mode
    assert run(["fhir", "export", "--out", str(tmp_path / "theirs.json"), "--user", "someone"]) == 0
    theirs = json.loads((tmp_path / "theirs.json").read_text(encoding="utf-8"))
    assert theirs["entry"][0]["resource"]["id"] == "rq"


def test_questionnaire_prints_one_instrument_without_touching_the_database(capsys):
    from fhir.resources.R4B.questionnaire import Questionnaire

    assert run(["fhir", "questionnaire", "ecr-r"]) == 0
    printed = json.loads(capsys.readouterr().out)
    Questionnaire.model_validate(printed)
    assert printed["id"] == "ecr-r"
    assert len([i for i in printed["item"] if i["type"] == "choice"]) == 36
    assert run(["fhir", "questionnaire", "ecr-x"]) == 2
    assert "unknown instrument 'ecr-x'" in one_line_error(capsys)


def test_export_with_client_is_for_therapists_and_their_clients_only(tmp_path, capsys, settings):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments import services
    from safebase.web.clinic import roles
    from safebase.web.clinic import services as clinic

    out = tmp_path / "bundle.json"
    assert run(["fhir", "export", "--client", "sam", "--out", str(out)]) == 2
    assert "only a therapist account has clients" in one_line_error(capsys)
    assert not out.exists()
    settings.MULTI_USER = True
    tess = roles.add_therapist("tess@example.org")[0]
    sam = get_user_model().objects.create_user("sam", password="sam-long-passphrase")
    record = clinic.accept_invitation(sam, clinic.invite_client(tess).token)
    shared = services.record_assessment(owner=sam, instrument_id="ecr-s", answers=ECR_S)
    services.record_assessment(owner=sam, instrument_id="rq", answers={"1": 1, "2": 2,
                               "3": 3, "4": 4, "5": 1})  # fmt: skip
    clinic.share_with_therapist(sam, record, shared)
    me = ["--user", "tess@example.org"]
    assert run([*me, "fhir", "export", "--client", "nobody", "--out", str(out)]) == 2
    assert "no client 'nobody' in your caseload" in one_line_error(capsys)
    assert run([*me, "clinic", "clients"]) == 0
    assert f"{record.pk}  sam" in capsys.readouterr().out
    assert run([*me, "fhir", "export", "--client", str(record.pk), "--out", str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    kinds_found = kinds(bundle)
    assert kinds_found.count("QuestionnaireResponse") == 1  # the shared ECR-S, not the RQ
    assert bundle["entry"][0]["resource"]["id"] == "ecr-s"


def test_export_keeps_an_existing_file_unless_forced(tmp_path, capsys):
    out = tmp_path / "bundle.json"
    out.write_text("mine")
    assert run(["fhir", "export", "--out", str(out)]) == 2
    assert "exists; use --force" in one_line_error(capsys)
    assert out.read_text() == "mine"
    assert run(["fhir", "export", "--out", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    assert run(["fhir", "export", "--out", str(tmp_path / "no" / "b.json")]) == 2
    assert "does not exist" in one_line_error(capsys)


def test_import_of_a_hand_written_response_scores_and_stores_it(capsys):
    from safebase.web.assessments.models import Assessment

    assert run(["fhir", "import", str(HAND_WRITTEN)]) == 0
    out = capsys.readouterr().out
    # Worked by hand in tests/interop/test_fhir.py: anxiety 29 / 5, avoidance 26 / 6.
    assert (
        "Imported ECR-S of 2026-03-01 for local: Attachment anxiety 5.80, "
        "Attachment avoidance 4.33." in out
    )
    saved = Assessment.objects.get()
    assert (saved.owner.username, saved.status) == ("local", "complete")
    assert run(["fhir", "import", str(HAND_WRITTEN)]) == 0
    assert "1 response(s) were already here and were skipped." in capsys.readouterr().out
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda qr: qr["item"].pop(6), "error: item '7' is missing"),
        (
            lambda qr: qr["item"].append({"linkId": "99"}),
            "error: item '99' is not an item of ecr-s",
        ),
        (
            lambda qr: qr["item"][3].update(answer=[{"valueInteger": 12}]),
            "error: item '4': answer 12 is outside its options 1–7",
        ),
        (
            lambda qr: qr.update(questionnaire="http://example.org/Questionnaire/phq-9"),
            "error: unknown questionnaire 'http://example.org/Questionnaire/phq-9'",
        ),
    ],
)
def test_import_refuses_with_exit_2_and_one_line_naming_the_item(tmp_path, capsys, change, message):
    from safebase.web.assessments.models import Assessment

    qr = json.loads(HAND_WRITTEN.read_text(encoding="utf-8"))
    change(qr)
    file = tmp_path / "qr.json"
    file.write_text(json.dumps(qr))
    assert run(["fhir", "import", str(file)]) == 2
    assert one_line_error(capsys).startswith(message)
    assert Assessment.objects.count() == 0


def test_import_of_a_file_that_is_not_json(tmp_path, capsys):
    file = tmp_path / "qr.json"
    file.write_bytes(b"\x89PNG")
    assert run(["fhir", "import", str(file)]) == 2
    assert "not JSON" in one_line_error(capsys)


def test_round_trip_through_the_commands_gives_the_same_scores(tmp_path, capsys):
    from safebase.web.assessments import services
    from safebase.web.assessments.models import Assessment

    owner = services.local_owner()
    services.record_assessment(owner=owner, instrument_id="ecr-s", answers=ECR_S)
    services.record_assessment(owner=owner, instrument_id="ecr-s", answers={**ECR_S, "2": 1})
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run(["fhir", "export", "--out", str(first)]) == 0
    before = sorted(Assessment.objects.values_list("scores", flat=True), key=json.dumps)
    Assessment.objects.all().delete()
    assert run(["fhir", "import", str(first)]) == 0
    assert capsys.readouterr().out.count("Imported ECR-S") == 2
    after = sorted(Assessment.objects.values_list("scores", flat=True), key=json.dumps)
    assert after == before
    assert run(["fhir", "export", "--out", str(second)]) == 0

    def observations(path: Path) -> list:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        return sorted(
            (e["resource"]["code"]["coding"][0]["code"], e["resource"]["valueQuantity"]["value"])
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation"
        )

    assert observations(second) == observations(first)
    assert len(observations(first)) == 4
