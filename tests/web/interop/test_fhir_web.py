"""The FHIR download holds the signed-in person's own results only; import stores a completed
result through the web flow's services; export → import into an empty database → export gives
the same scores."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from safebase.core.errors import SafebaseError
from safebase.interop import fhir
from safebase.web.assessments import services
from safebase.web.assessments.models import Assessment
from safebase.web.interop.services import fhir_bundle, import_fhir, person_bundle
from tests.web.conftest import ECR_S_ANSWERS

pytestmark = pytest.mark.django_db

URL = "/interop/fhir/bundle.json"
HAND_WRITTEN = Path(__file__).resolve().parents[2] / "data" / "fhir" / "qr-ecr-s-handwritten.json"
# An RQ that charlie alone gave: its answers must never appear in alice's download.
CHARLIE_RQ = {"1": 2, "2": 7, "3": 1, "4": 6, "5": 2}


def download(client: Client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def scores_of(bundle: dict) -> Counter:
    """Each Observation as (questionnaire, scale, value, date), ids left aside."""
    responses = {f"urn:uuid:{r['id']}": r for r in resources(bundle, "QuestionnaireResponse")}
    out = Counter()
    for obs in resources(bundle, "Observation"):
        qr = responses[obs["derivedFrom"][0]["reference"]]
        value = obs.get("valueQuantity", {}).get("value")
        if value is None:
            value = obs["valueCodeableConcept"]["coding"][0]["code"]
        out[(qr["questionnaire"], obs["code"]["coding"][0]["code"], value, qr["authored"])] += 1
    return out


def answers_of(bundle: dict) -> list[tuple]:
    def code(item: dict) -> str | None:
        return item["answer"][0]["valueCoding"]["code"] if "answer" in item else None

    return sorted(
        (qr["questionnaire"], qr["authored"], tuple((i["linkId"], code(i)) for i in qr["item"]))
        for qr in resources(bundle, "QuestionnaireResponse")
    )


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "next=/interop/fhir/bundle.json" in response["Location"]


def test_the_download_holds_only_the_persons_own_results(
    alice, alice_result, as_alice, charlie, as_charlie
):
    services.record_assessment(owner=charlie, instrument_id="rq", answers=CHARLIE_RQ)
    mine = download(as_alice)
    Bundle.model_validate(mine)
    (qr,) = resources(mine, "QuestionnaireResponse")
    assert qr["questionnaire"].startswith(f"{fhir.BASE}/Questionnaire/ecr-s|")
    answers = {i["linkId"]: i["answer"][0]["valueCoding"]["code"] for i in qr["item"]}
    assert answers == {k: str(v) for k, v in ECR_S_ANSWERS.items()}
    assert [q["id"] for q in resources(mine, "Questionnaire")] == ["ecr-s"]
    # All ECR-S answers 5: anxiety items 2, 4, 6, 10, 12 at 5 and item 8 reversed (8 − 5 = 3)
    # -> 28 / 6; avoidance 3, 7, 11 at 5 and 1, 5, 9 reversed at 3 -> 24 / 6 = 4.
    values = {
        o["code"]["coding"][0]["code"]: o["valueQuantity"]["value"]
        for o in resources(mine, "Observation")
    }
    assert values == pytest.approx({"anxiety": 28 / 6, "avoidance": 4.0})
    theirs = download(as_charlie)
    assert [q["id"] for q in resources(theirs, "Questionnaire")] == ["rq"]
    assert qr["id"] not in json.dumps(theirs)


def test_an_unfinished_questionnaire_is_not_exported(alice, as_alice):
    a = services.start_assessment(owner=alice, instrument_id="ecr-r")
    services.save_answers(assessment=a, answers={"1": 3})
    assert resources(download(as_alice), "QuestionnaireResponse") == []


def test_the_results_page_links_to_the_download(alice_result, as_alice):
    assert f'href="{URL}"' in as_alice.get("/history/").content.decode()


def test_the_export_takes_any_chosen_results_for_the_clinic_side(alice, alice_result):
    """The clinic passes a client's consented results; only those are in the Bundle."""
    other = services.record_assessment(owner=alice, instrument_id="rq", answers=CHARLIE_RQ)
    done = fhir_bundle(results=Assessment.objects.filter(pk=other.pk), exported_at=timezone.now())
    assert [q["id"] for q in resources(done.bundle, "Questionnaire")] == ["rq"]
    assert done.results == 1


def test_a_result_on_a_redefined_range_is_left_out_and_counted(alice, alice_result):
    Assessment.objects.filter(pk=alice_result.pk).update(response_low=1, response_high=5)
    done = person_bundle(user=alice, exported_at=timezone.now())
    assert (done.results, done.left_out) == (0, 1)


def test_export_import_into_an_empty_database_export_gives_the_same_scores(alice, as_alice):
    for instrument_id, answers in [
        ("ecr-s", ECR_S_ANSWERS),
        ("rq", CHARLIE_RQ),
        ("ecr-r", {str(n): 1 + n % 7 for n in range(1, 37) if n != 20}),
        ("ecr-rs", {f"{t}_{n}": 1 + (n * 5) % 7 for t in ("mother", "father", "partner",
                    "friend") for n in range(1, 10)}),
    ]:  # fmt: skip
        services.record_assessment(owner=alice, instrument_id=instrument_id, answers=answers)
    first = download(as_alice)
    Assessment.objects.all().delete()
    assert Assessment.objects.count() == 0
    done = import_fhir(owner=alice, payload=json.dumps(first))
    assert len(done.added) == 4 and done.already_here == 0
    assert all(a.status == Assessment.Status.COMPLETE for a in done.added)
    second = download(as_alice)
    assert scores_of(second) == scores_of(first)
    assert sum(scores_of(first).values()) > 10
    assert answers_of(second) == answers_of(first)


def test_a_hand_written_response_is_stored_as_a_completed_result(alice):
    done = import_fhir(owner=alice, payload=HAND_WRITTEN.read_bytes())
    (a,) = done.added
    assert (a.owner, a.instrument_id, a.status) == (alice, "ecr-s", "complete")
    assert a.completed_at == datetime(2026, 3, 1, 19, 15, tzinfo=UTC)
    assert a.started_at == a.completed_at
    assert a.answers == {
        "1": 2, "2": 6, "3": 3, "4": 5, "5": 2, "6": 7, "7": 1, "8": 3, "9": 2, "10": 6, "11": 4
    }  # fmt: skip
    # Worked by hand in tests/interop/test_fhir.py: anxiety 29 / 5, avoidance 26 / 6.
    assert a.scores == pytest.approx({"anxiety": 29 / 5, "avoidance": 26 / 6})
    assert a.instrument_version == a.instrument.version
    assert a.style  # scored and labelled as the web flow does at completion


def test_importing_the_same_response_twice_adds_nothing(alice):
    import_fhir(owner=alice, payload=HAND_WRITTEN.read_bytes())
    again = import_fhir(owner=alice, payload=HAND_WRITTEN.read_bytes())
    assert (again.added, again.already_here) == ([], 1)
    assert Assessment.objects.filter(owner=alice).count() == 1


def test_one_bad_response_in_a_bundle_saves_nothing_and_names_entry_and_item(alice, as_alice):
    services.record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S_ANSWERS)
    services.record_assessment(owner=alice, instrument_id="rq", answers=CHARLIE_RQ)
    bundle = download(as_alice)
    rq = resources(bundle, "QuestionnaireResponse")[1]
    rq["item"] = [i for i in rq["item"] if i["linkId"] != "5"]
    Assessment.objects.all().delete()
    with pytest.raises(SafebaseError, match=r"^entry \d+: item '5' is missing: "):
        import_fhir(owner=alice, payload=json.dumps(bundle))
    assert Assessment.objects.count() == 0
