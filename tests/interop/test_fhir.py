"""FHIR R4 conversions, with no database: every exported resource validates against the
fhir.resources models (checked here with the model classes themselves, not safebase's helper),
answers survive the trip out and back, and each way a response can be unusable is refused with
the item named."""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from safebase.core.instrument import Instrument, all_instruments, get_instrument
from safebase.core.scoring import score_responses
from safebase.interop import fhir

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
INTEROP = Path(__file__).resolve().parents[2] / "safebase" / "interop"
WHEN = datetime(2026, 5, 4, 10, 30, 15, 123456, tzinfo=UTC)
IDS = sorted(all_instruments())


def answers_for(inst: Instrument, skip: int | None = 0) -> dict[str, int]:
    """A varied answer to every item (cycling through its options), item ``skip`` left out."""
    out = {}
    for n, item in enumerate(inst.items):
        if n == skip:
            continue
        options = [o.value for o in item.response.options]
        out[item.key] = options[(n * 3 + 1) % len(options)]
    return out


def result_for(inst: Instrument, answers: dict[str, int], key_part: object = 1) -> fhir.Result:
    scored = score_responses(inst, answers)
    return fhir.Result(
        key=fhir.result_key("test", inst.id, key_part),
        instrument_id=inst.id,
        answers=answers,
        scores={sid: s.value for sid, s in scored.scales.items()},
        completed_at=WHEN,
        instrument_version=inst.version,
    )


def hand_written() -> dict:
    return json.loads((DATA / "qr-ecr-s-handwritten.json").read_text(encoding="utf-8"))


def exported_response(instrument_id: str = "ecr-s") -> dict:
    inst = get_instrument(instrument_id)
    return fhir.questionnaire_response(inst, result_for(inst, answers_for(inst)))


# ---------------------------------------------------------------------------------------------
# Out


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_questionnaire_validates_and_carries_items_options_and_citation(instrument_id):
    inst = get_instrument(instrument_id)
    resource = fhir.questionnaire(inst)
    Questionnaire.model_validate(resource)
    questions = [i for i in resource["item"] if i["type"] != "display"]
    assert [i["linkId"] for i in questions] == list(inst.item_keys)
    for q, item in zip(questions, inst.items, strict=True):
        assert item.text in q["text"]
        codes = [o["valueCoding"]["code"] for o in q["answerOption"]]
        assert codes == [str(o.value) for o in item.response.options]
        for option, spec in zip(q["answerOption"], item.response.options, strict=True):
            assert option["valueCoding"]["display"] == (spec.label or str(spec.value))
            assert option["valueCoding"]["extension"][0]["valueDecimal"] == spec.value
    assert inst.spec.citation in resource["description"]
    assert resource["copyright"] == inst.spec.licence
    assert (resource["url"], resource["version"]) == (fhir.questionnaire_url(inst), inst.version)
    assert resource["item"][0]["text"] == inst.spec.instructions
    if inst.kind_note:  # not a published measure: said where the questionnaire is described
        assert inst.kind_note in resource["description"]


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_response_and_observation_validates_and_carries_the_scores(instrument_id):
    inst = get_instrument(instrument_id)
    answers = answers_for(inst)
    result = result_for(inst, answers)
    qr = fhir.questionnaire_response(inst, result)
    QuestionnaireResponse.model_validate(qr)
    assert qr["questionnaire"] == f"{fhir.questionnaire_url(inst)}|{inst.version}"
    skipped = inst.items[0].key
    assert [i for i in qr["item"] if i["linkId"] == skipped] == [
        {"linkId": skipped, "text": fhir._item_text(inst.items[0])}
    ]
    observations = fhir.observations(inst, result, "urn:uuid:x")
    for _, obs in observations:
        Observation.model_validate(obs)
        assert obs["derivedFrom"] == [{"reference": "urn:uuid:x"}]
        assert fhir.NOT_A_DIAGNOSIS in [n["text"] for n in obs["note"]]
    by_scale = {obs["code"]["coding"][0]["code"]: obs for _, obs in observations}
    if inst.is_reflection:
        assert by_scale == {}  # a reflection is never a score
        return
    expected = {sid: v for sid, v in result.scores.items() if v is not None}
    assert set(by_scale) == set(expected)
    for sid, value in expected.items():
        obs = by_scale[sid]
        if inst.scale(sid).method == "choice":
            assert obs["valueCodeableConcept"]["coding"][0]["code"] == str(int(value))
        else:
            assert obs["valueQuantity"]["value"] == value


def test_a_bundle_of_every_instrument_validates_and_its_references_resolve():
    results = [result_for(inst, answers_for(inst)) for inst in all_instruments().values()]
    bundle = fhir.bundle(results, WHEN)
    Bundle.model_validate(bundle)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Questionnaire") == len(IDS)
    assert kinds.count("QuestionnaireResponse") == len(IDS)
    scored = sum(
        v is not None
        for r in results
        if not get_instrument(r.instrument_id).is_reflection
        for v in r.scores.values()
    )
    assert kinds.count("Observation") == scored
    for entry in bundle["entry"]:
        for ref in entry["resource"].get("derivedFrom", []):
            assert ref["reference"] in urls
    assert bundle["timestamp"] == "2026-05-04T10:30:15.123456+00:00"


def test_the_rq_forced_choice_is_a_category_in_words_not_a_quantity():
    inst = get_instrument("rq")
    answers = {"1": 6, "2": 2, "3": 3, "4": 5, "5": 2}
    (choice,) = [
        obs
        for _, obs in fhir.observations(inst, result_for(inst, answers), "urn:uuid:x")
        if obs["code"]["coding"][0]["code"] == "forced_choice"
    ]
    assert "valueQuantity" not in choice
    assert choice["valueCodeableConcept"]["coding"][0]["code"] == "2"
    assert choice["valueCodeableConcept"]["text"] == "B (fearful)"


def test_a_local_time_without_zone_is_refused():
    inst = get_instrument("ecr-s")
    naive = fhir.Result(
        "0b3f7c2e-8a41-4d6e-9f10-2c5d7e8a9b01", "ecr-s", {}, {}, datetime(2026, 1, 1)
    )
    with pytest.raises(ValueError, match="time zone"):
        fhir.questionnaire_response(inst, naive)


def test_a_result_on_a_redefined_range_is_not_exportable():
    inst = get_instrument("ecr")
    assert fhir.exportable(inst, None, None)
    assert fhir.exportable(inst, inst.response.low, inst.response.high)
    assert not fhir.exportable(inst, 1, 5)


# ---------------------------------------------------------------------------------------------
# In


@pytest.mark.parametrize("instrument_id", IDS)
def test_answers_and_scores_survive_the_trip_out_and_back(instrument_id):
    inst = get_instrument(instrument_id)
    answers = answers_for(inst)
    result = result_for(inst, answers)
    parsed = fhir.parse_response(fhir.questionnaire_response(inst, result))
    assert parsed.instrument is inst
    assert {k: v for k, v in parsed.answers.items() if v is not None} == answers
    assert parsed.answers[inst.items[0].key] is None  # skipped, and listed as such
    assert {sid: s.value for sid, s in parsed.scored().scales.items()} == result.scores
    assert parsed.authored == WHEN and parsed.notes == []


def test_a_hand_written_spec_style_response_is_read_and_scored():
    """tests/data/fhir/qr-ecr-s-handwritten.json is written by hand in the shape of the R4
    specification's QuestionnaireResponse examples (narrative, contained Patient, identifier,
    subject/author/source, codes without a system, valueInteger, a blank item).

    ECR-S key (Wei et al., 2007): anxiety 2, 4, 6, 8, 10, 12 with 8 reversed; avoidance 1, 3, 5,
    7, 9, 11 with 1, 5, 9 reversed; reversal on 1–7 is 8 − x; 80% of a scale's items needed.
    Anxiety: 6, 5, 7, (8 − 3 =) 5, 6; item 12 blank; 5 of 6 answered -> 29 / 5 = 5.8.
    Avoidance: (8 − 2 =) 6, 3, (8 − 2 =) 6, 1, (8 − 2 =) 6, 4 -> 26 / 6."""
    parsed = fhir.parse_response(hand_written())
    assert parsed.instrument.id == "ecr-s"
    assert parsed.answers == {
        "1": 2, "2": 6, "3": 3, "4": 5, "5": 2, "6": 7,
        "7": 1, "8": 3, "9": 2, "10": 6, "11": 4, "12": None,
    }  # fmt: skip
    scored = parsed.scored()
    assert scored.value("anxiety") == pytest.approx(29 / 5)
    assert scored.value("avoidance") == pytest.approx(26 / 6)
    assert parsed.authored == datetime(2026, 3, 1, 14, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert parsed.authored.astimezone(UTC) == datetime(2026, 3, 1, 19, 15, tzinfo=UTC)


def test_a_bundle_yields_each_of_its_responses_and_nothing_else():
    inst = get_instrument("ecr-s")
    results = [result_for(inst, answers_for(inst), n) for n in range(2)]
    found = fhir.responses_in(json.dumps(fhir.bundle(results, WHEN)))
    assert [where for where, _ in found] == ["entry 1: ", "entry 4: "]
    assert [r["id"] for _, r in found] == [r.key for r in results]


def _without(items: list[dict], link: str) -> list[dict]:
    return [i for i in items if i["linkId"] != link]


def _answer(items: list[dict], link: str, answer: dict) -> None:
    next(i for i in items if i["linkId"] == link)["answer"] = [answer]


def broken(change) -> dict:
    qr = copy.deepcopy(hand_written())
    change(qr)
    return qr


BROKEN = {
    "unknown questionnaire": (
        lambda qr: qr.update(questionnaire="http://loinc.org/q/44249-1"),
        "unknown questionnaire 'http://loinc.org/q/44249-1'",
    ),
    "unknown safebase id": (
        lambda qr: qr.update(questionnaire=f"{fhir.BASE}/Questionnaire/ecr-x"),
        "unknown questionnaire",
    ),
    "no questionnaire": (lambda qr: qr.pop("questionnaire"), "questionnaire is missing"),
    "missing item": (
        lambda qr: qr.update(item=_without(qr["item"], "7")),
        "item '7' is missing",
    ),
    "several missing": (
        lambda qr: qr.update(item=qr["item"][:9]),
        "item '10' is missing (and 2 more)",
    ),
    "extra item": (
        lambda qr: qr["item"].append({"linkId": "13", "answer": [{"valueInteger": 4}]}),
        "item '13' is not an item of ecr-s",
    ),
    "item twice": (
        lambda qr: qr["item"].append({"linkId": "3", "answer": [{"valueInteger": 4}]}),
        "item '3' is listed twice",
    ),
    "above range": (
        lambda qr: _answer(qr["item"], "4", {"valueInteger": 8}),
        "item '4': answer 8 is outside its options 1–7",
    ),
    "below range code": (
        lambda qr: _answer(qr["item"], "9", {"valueCoding": {"code": "0"}}),
        "item '9': answer 0 is outside its options 1–7",
    ),
    "code not a number": (
        lambda qr: _answer(qr["item"], "2", {"valueCoding": {"code": "agree"}}),
        "item '2': code 'agree' is not one of the options 1–7",
    ),
    "another code system": (
        lambda qr: _answer(qr["item"], "2", {"valueCoding": {"system": "http://x", "code": "2"}}),
        "item '2': code system 'http://x' is not this questionnaire's",
    ),
    "wrong value type": (
        lambda qr: _answer(qr["item"], "6", {"valueString": "often"}),
        "item '6': answer is valueString; expected valueCoding or valueInteger",
    ),
    "two answers": (
        lambda qr: qr["item"][0].update(answer=[{"valueInteger": 1}, {"valueInteger": 2}]),
        "item '1': 2 answers; one is expected",
    ),
    "nested group": (
        lambda qr: qr["item"][0].update(item=[{"linkId": "1.1"}]),
        "item '1': nested items are not part of ecr-s",
    ),
    "in progress": (lambda qr: qr.update(status="in-progress"), "status 'in-progress'"),
    "no linkId (fails the FHIR model)": (
        lambda qr: qr["item"][0].pop("linkId"),
        "QuestionnaireResponse.item.0.linkId",
    ),
    "unreadable date": (lambda qr: qr.update(authored="2026-03"), "authored '2026-03'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_unusable_response_is_refused_naming_the_item(case):
    change, message = BROKEN[case]
    with pytest.raises(fhir.FhirError) as caught:
        fhir.parse_response(broken(change))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\x89PNG", "not JSON"),
        (b"[1, 2]", "not a FHIR resource"),
        (b'{"resourceType": "Patient"}', "expected a QuestionnaireResponse or a Bundle"),
        (b'{"resourceType": "Bundle", "type": "collection"}', "holds no QuestionnaireResponse"),
    ],
)
def test_a_file_that_is_not_a_response_is_refused(payload, message):
    with pytest.raises(fhir.FhirError, match=message):
        fhir.responses_in(payload)


def test_an_older_version_is_scored_with_a_note():
    qr = exported_response()
    qr["questionnaire"] = qr["questionnaire"].split("|")[0] + "|000000000000"
    parsed = fhir.parse_response(qr)
    assert parsed.notes and "version 000000000000" in parsed.notes[0]


def test_a_date_without_time_is_taken_as_midnight_utc_with_a_note():
    qr = hand_written()
    qr["authored"] = "2026-03-01"  # a FHIR dateTime may be a date alone
    parsed = fhir.parse_response(qr)
    assert parsed.authored == datetime(2026, 3, 1, tzinfo=UTC)
    assert "taken as UTC" in parsed.notes[0]


def test_a_time_without_zone_is_refused_as_fhir_requires():
    qr = hand_written()
    qr["authored"] = "2026-03-01T14:15:00"
    with pytest.raises(fhir.FhirError, match=r"QuestionnaireResponse\.authored"):
        fhir.parse_response(qr)


# ---------------------------------------------------------------------------------------------
# Layers


def test_the_conversions_import_no_django_and_no_web_app():
    for path in INTEROP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith(("django", "safebase.web", "safebase.cli")), path
    code = "import sys, safebase.interop.fhir; print('django' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
