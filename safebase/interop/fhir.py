"""FHIR R4 for safebase's questionnaires: pure conversions both ways, no Django.

Out: each instrument becomes a ``Questionnaire`` (one item per answer key, ``linkId`` = the key the
scorer uses, answer options coded with the instrument's own response values); each completed
result a ``QuestionnaireResponse`` plus one ``Observation`` per scale score, ``derivedFrom`` that
response; a person's set one ``Bundle`` of type ``collection``.

In: a ``QuestionnaireResponse`` (alone or inside a Bundle) for a questionnaire safebase knows is
turned back into answers and scored by the same scorer as the web flow. Anything safebase cannot
score faithfully — an unknown questionnaire, an item missing or extra, an answer outside the
item's options — is refused with a message that names the item, never guessed around.

Every resource is checked with the ``fhir.resources`` models before it leaves. R4 (4.0.1) is the
target; the models used are ``fhir.resources.R4B`` (4.3.0): the library's only R4 line
(6.x) needs pydantic 1, and HL7 states R4B changed only medication-regulation, evidence and
subscription resources, so Questionnaire, QuestionnaireResponse, Observation and Bundle are the same
in both. Only R4 elements are written.

Identifiers: safebase publishes no FHIR server, so its canonical URLs live under the reserved
``.invalid`` domain (RFC 2606): they name, and can never be mistaken for a place to fetch from.
No LOINC code is used: none exists for these instruments' scales, and none is invented.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument, Item, Scale, all_instruments, get_instrument
from safebase.core.scoring import ScoredResponse, score_responses

BASE = "https://safebase.invalid/fhir"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"  # R4 core extension
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
UCUM = "http://unitsofmeasure.org"
INSTRUCTIONS = "instructions"  # linkId of the display item that carries the instructions
NOT_A_DIAGNOSIS = "A questionnaire score, not a diagnosis."
_ID_NAMESPACE = uuid.UUID("8e0f1f0a-5c1e-4b7e-9d0e-5afeba5e0f11")  # safebase's, for uuid5 ids

JSON = dict[str, Any]


class FhirError(SafebaseError):
    """A FHIR document safebase cannot use; the message names the item or field."""


# ---------------------------------------------------------------------------------------------
# Names


def questionnaire_url(inst: Instrument) -> str:
    return f"{BASE}/Questionnaire/{inst.id}"


def questionnaire_canonical(inst: Instrument, version: str | None = None) -> str:
    """``url|version``: a response names the exact file its answers were given on."""
    return f"{questionnaire_url(inst)}|{version or inst.version}"


def _response_set_name(inst: Instrument, item: Item) -> str:
    for name, rs in inst.spec.response_sets.items():
        if rs is item.response:
            return name
    raise KeyError(item.key)  # unreachable: every item's set comes from the file's sets


def answer_system(inst: Instrument, item: Item) -> str:
    """The code system of an item's answer codes: one per response set of the instrument."""
    return f"{BASE}/CodeSystem/{inst.id}/{_response_set_name(inst, item)}"


def scale_system(inst: Instrument) -> str:
    """safebase's code system for the instrument's scales; codes are the scale ids."""
    return f"{BASE}/CodeSystem/{inst.id}/scales"


def _computable_name(inst: Instrument) -> str:
    # Questionnaire.name must look like a programming-language identifier (invariant que-0).
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", inst.id) if part)


def _item_text(item: Item) -> str:
    return f"{item.target.label}: {item.text}" if item.target else item.text


def _coding(inst: Instrument, item: Item, value: int) -> JSON:
    label = next((o.label for o in item.response.options if o.value == value), "")
    # An option without a label is shown as its number, so its display is that number.
    return {"system": answer_system(inst, item), "code": str(value), "display": label or str(value)}


def _when(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("FHIR dateTime needs a time zone")
    return moment.isoformat()


# ---------------------------------------------------------------------------------------------
# Out: instrument -> Questionnaire


def questionnaire(inst: Instrument) -> JSON:
    """The instrument as a FHIR Questionnaire: items verbatim, coded options, the citation."""
    description = [inst.spec.purpose or inst.name]
    if inst.kind_note:
        description.append(inst.kind_note)
    description.append(f"Source: {inst.spec.citation}")
    items: list[JSON] = [
        {"linkId": INSTRUCTIONS, "text": inst.spec.instructions, "type": "display"}
    ]
    for item in inst.items:
        options = [
            {
                "valueCoding": {
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
                    **_coding(inst, item, option.value),
                }
            }
            for option in item.response.options
        ]
        items.append(
            {
                "linkId": item.key,
                "prefix": str(item.number),
                "text": _item_text(item),
                "type": "choice",
                "required": False,  # safebase lets a person skip an item; the scorer copes
                "answerOption": options,
            }
        )
    return {
        "resourceType": "Questionnaire",
        "id": inst.id,
        "url": questionnaire_url(inst),
        "version": inst.version,
        "name": _computable_name(inst),
        "title": inst.name,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "safebase",
        "description": "\n\n".join(description),
        "copyright": inst.spec.licence,
        "item": items,
    }


# ---------------------------------------------------------------------------------------------
# Out: a completed result -> QuestionnaireResponse + Observations


@dataclass(frozen=True)
class Result:
    """One completed administration, as stored: the answers and the scores given at completion."""

    key: str  # a UUID, stable for the result: the response's id in every export
    instrument_id: str
    answers: Mapping[str, int]
    scores: Mapping[str, float | None]
    completed_at: datetime
    instrument_version: str = ""


def exportable(inst: Instrument, low: int | None, high: int | None) -> bool:
    """Whether a result's answers fit the Questionnaire's options: not so for one scored on a
    re-defined range (``--range``), whose numbers are not the instrument's own options."""
    if low is None or high is None:
        return True
    return (low, high) == (inst.response.low, inst.response.high)


def _observation_id(result: Result, scale: Scale) -> str:
    return str(uuid.uuid5(uuid.UUID(result.key), scale.id))


def questionnaire_response(inst: Instrument, result: Result) -> JSON:
    """The answers, every item listed in order; a skipped item is listed without an answer, so a
    reader can tell 'skipped' from 'not asked'."""
    items: list[JSON] = []
    for item in inst.items:
        entry: JSON = {"linkId": item.key, "text": _item_text(item)}
        value = result.answers.get(item.key)
        if value is not None:
            entry["answer"] = [{"valueCoding": _coding(inst, item, int(value))}]
        items.append(entry)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": result.key,
        "questionnaire": questionnaire_canonical(inst, result.instrument_version),
        "status": "completed",
        "authored": _when(result.completed_at),
        "item": items,
    }


_METHOD_TEXT = {
    "mean": "Mean of the answered items (reverse-keyed items reversed); no score when fewer than "
    "{pct} of the items are answered.",
    "weighted_sum": "Weighted sum of the items (weights {weights}); only when every item is "
    "answered.",
    "choice": "The category chosen.",
    "mean_of_scales": "Mean of the scores of {parts}; no score when fewer than {pct} of them "
    "have one.",
}


def _method(scale: Scale) -> str:
    return _METHOD_TEXT[scale.method].format(
        pct=f"{scale.min_answered_fraction:.0%}",
        weights=", ".join(f"{w:g}" for w in scale.weights or ()),
        parts=", ".join(scale.of_scales),
    )


def observations(inst: Instrument, result: Result, response_ref: str) -> list[tuple[str, JSON]]:
    """(id, Observation) per scale with a score. A reflection gets none: it is read item by
    item, never as a score."""
    if inst.is_reflection:
        return []
    notes = [NOT_A_DIAGNOSIS, f"Instrument: {inst.spec.citation}"]
    if inst.kind_note:
        notes.insert(0, inst.kind_note)
    out: list[tuple[str, JSON]] = []
    for scale in inst.scales:
        score = result.scores.get(scale.id)
        if score is None or (isinstance(score, float) and math.isnan(score)):
            continue
        obs: JSON = {
            "resourceType": "Observation",
            "id": _observation_id(result, scale),
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": {
                "coding": [{"system": scale_system(inst), "code": scale.id, "display": scale.name}],
                "text": f"{inst.spec.short_name}: {scale.name}",
            },
            "effectiveDateTime": _when(result.completed_at),
            "derivedFrom": [{"reference": response_ref}],
            "method": {"text": _method(scale)},
            "note": [{"text": text} for text in notes],
        }
        if scale.method == "choice":
            item = inst.item(scale.item_keys[0])
            coding = _coding(inst, item, int(score))
            obs["valueCodeableConcept"] = {"coding": [coding], "text": coding["display"]}
        else:
            obs["valueQuantity"] = {
                "value": float(score),
                "unit": "score",
                "system": UCUM,
                "code": "{score}",
            }
        out.append((obs["id"], obs))
    return out


def bundle(results: Iterable[Result], timestamp: datetime) -> JSON:
    """A person's results as one collection Bundle: the Questionnaires used, then per result its
    QuestionnaireResponse and Observations. Every resource is validated before it is returned."""
    entries: list[JSON] = []
    used: dict[str, Instrument] = {}
    results = list(results)
    for r in results:
        used.setdefault(r.instrument_id, get_instrument(r.instrument_id))
    for inst in used.values():
        entries.append({"fullUrl": questionnaire_url(inst), "resource": questionnaire(inst)})
    for r in results:
        inst = used[r.instrument_id]
        response_url = f"urn:uuid:{r.key}"
        entries.append({"fullUrl": response_url, "resource": questionnaire_response(inst, r)})
        for obs_id, obs in observations(inst, r, response_url):
            entries.append({"fullUrl": f"urn:uuid:{obs_id}", "resource": obs})
    out = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _when(timestamp),
        "entry": entries,
    }
    validate(out)  # the Bundle's model checks each entry's resource by its own type too
    return out


def result_key(*parts: object) -> str:
    """A stable UUID for a result from whatever identifies it in its store."""
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(str(p) for p in parts)))


# ---------------------------------------------------------------------------------------------
# Validation with fhir.resources


def _model(resource_type: str):
    from fhir.resources.R4B import get_fhir_model_class

    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError, AttributeError):
        raise FhirError(f"'{resource_type}' is not a FHIR resource type") from None


def validate(resource: Mapping[str, Any]) -> None:
    """Check a resource against the FHIR models; FhirError with the first problem's place."""
    from pydantic import ValidationError

    kind = str(resource.get("resourceType", ""))
    try:
        _model(kind).model_validate(dict(resource))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p != "__root__")
        raise FhirError(f"{kind}.{where}: {first['msg']}" if where else first["msg"]) from None


# ---------------------------------------------------------------------------------------------
# In: QuestionnaireResponse -> answers


@dataclass(frozen=True)
class ParsedResponse:
    instrument: Instrument
    answers: dict[str, int | None]
    authored: datetime | None
    notes: list[str] = field(default_factory=list)

    def scored(self) -> ScoredResponse:
        """Scored by the one scorer the web flow and the CLI use."""
        return score_responses(self.instrument, self.answers)


def load_json(payload: Mapping | str | bytes) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise FhirError(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise FhirError("not a FHIR resource: the JSON is not an object")
    return data


def responses_in(payload: Mapping | str | bytes) -> list[tuple[str, Mapping[str, Any]]]:
    """(where, QuestionnaireResponse) from a response alone or each one in a Bundle; the other
    entries of a Bundle (Questionnaires, Observations) are not needed: scores are recomputed."""
    data = load_json(payload)
    kind = data.get("resourceType")
    if kind == "QuestionnaireResponse":
        return [("", data)]
    if kind == "Bundle":
        found = []
        for n, entry in enumerate(data.get("entry") or []):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            if isinstance(resource, Mapping) and resource.get("resourceType") == (
                "QuestionnaireResponse"
            ):
                found.append((f"entry {n}: ", resource))
        if not found:
            raise FhirError("the Bundle holds no QuestionnaireResponse")
        return found
    raise FhirError(f"expected a QuestionnaireResponse or a Bundle, not resourceType {kind!r}")


_QUESTIONNAIRE = re.compile(rf"^{re.escape(BASE)}/Questionnaire/([a-z][a-z0-9-]*)$")


def instrument_for(reference: str) -> tuple[Instrument, str | None]:
    """The instrument a canonical ``url|version`` names, and the version it gives."""
    url, _, version = reference.partition("|")
    match = _QUESTIONNAIRE.match(url)
    if match is None or match.group(1) not in all_instruments():
        known = ", ".join(sorted(all_instruments()))
        raise FhirError(
            f"unknown questionnaire '{reference}': safebase scores {BASE}/Questionnaire/<id> "
            f"for {known}"
        )
    return get_instrument(match.group(1)), version or None


def _answer_value(inst: Instrument, item: Item, answer: Mapping[str, Any]) -> int:
    where = f"item '{item.key}'"
    allowed = [o.value for o in item.response.options]
    span = f"{min(allowed)}–{max(allowed)}"
    if "valueCoding" in answer:
        coding = answer["valueCoding"]
        system = coding.get("system")
        if system is not None and system != answer_system(inst, item):
            raise FhirError(f"{where}: code system '{system}' is not this questionnaire's")
        code = str(coding.get("code", ""))
        if not re.fullmatch(r"-?\d{1,6}", code):
            raise FhirError(f"{where}: code '{code[:20]}' is not one of the options {span}")
        value = int(code)
    elif "valueInteger" in answer:
        value = answer["valueInteger"]
    else:
        given = next((k for k in answer if k.startswith("value")), "no value")
        raise FhirError(f"{where}: answer is {given}; expected valueCoding or valueInteger")
    if value not in allowed:
        raise FhirError(f"{where}: answer {value} is outside its options {span}")
    return value


def _authored(text: str | None) -> tuple[datetime | None, list[str]]:
    if text is None:
        return None, []
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FhirError(f"authored '{text}' is not a date and time safebase can read") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), [f"authored '{text}' has no time zone; taken as UTC"]
    return moment, []


def parse_response(resource: Mapping[str, Any]) -> ParsedResponse:
    """Answers from a QuestionnaireResponse for a questionnaire safebase knows.

    Every item of the questionnaire must be listed (a skipped one without an answer), none twice
    and none that it does not have; each answer must be one of the item's options."""
    if resource.get("resourceType") != "QuestionnaireResponse":
        raise FhirError("not a QuestionnaireResponse")
    validate(resource)
    reference = resource.get("questionnaire")
    if not reference:
        raise FhirError("QuestionnaireResponse.questionnaire is missing: which questionnaire?")
    inst, version = instrument_for(reference)
    notes: list[str] = []
    if version and version != inst.version:
        notes.append(
            f"answered on {inst.id} version {version}; scored with this installation's "
            f"version {inst.version} (same items, same keys)"
        )
    status = resource.get("status")
    if status not in ("completed", "amended"):
        raise FhirError(f"status '{status}': only a completed response can be scored")
    answers: dict[str, int | None] = {}
    for entry in resource.get("item") or []:
        link = entry.get("linkId")
        if link == INSTRUCTIONS and not entry.get("answer"):
            continue
        if link not in inst.item_keys:
            raise FhirError(f"item '{link}' is not an item of {inst.id}")
        if link in answers:
            raise FhirError(f"item '{link}' is listed twice")
        if entry.get("item") or any(a.get("item") for a in entry.get("answer") or []):
            raise FhirError(f"item '{link}': nested items are not part of {inst.id}")
        given = entry.get("answer") or []
        if len(given) > 1:
            raise FhirError(f"item '{link}': {len(given)} answers; one is expected")
        item = inst.item(link)
        answers[link] = _answer_value(inst, item, given[0]) if given else None
    missing = [k for k in inst.item_keys if k not in answers]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise FhirError(
            f"item '{missing[0]}' is missing{more}: list a skipped item without an answer"
        )
    authored, why = _authored(resource.get("authored"))
    return ParsedResponse(inst, answers, authored, notes + why)
