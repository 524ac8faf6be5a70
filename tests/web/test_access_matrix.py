"""Every URL pattern × persona × method, generated from the URL conf.

A page added to the URL conf without an entry in ``EXPECTED`` fails the first test, so no page
can be forgotten. Personas: alice (owner of the data), bob (her linked partner: sees exactly
what she shared, read-only, and nothing after unlinking), charlie (another account, must see and
change nothing of alice's), anonymous. alice's child (family pages) is an object like a result;
the co-caregiver persona is in ``tests/web/family``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safebase.web.assessments import services
from safebase.web.assessments.models import Assessment
from safebase.web.clinic.models import ClientRecord
from safebase.web.family import services as family
from safebase.web.family.models import Child
from safebase.web.practice import services as practice
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog
from safebase.web.relationships.models import PartnerLink, Share

pytestmark = pytest.mark.django_db

METHODS = ("get", "head", "post", "put", "patch", "delete", "options")
SECRETS = (
    "zebracorn",
    "quillwort",
    "marzipanic",
    "thimbleberry",
    "Wobbleknot",
    "pomegranite",
    "snorklewick",
    "lanternfish",
)
FIVE = ("safe", "seen", "soothed", "valued", "explore")


@dataclass(frozen=True)
class Page:
    """What a URL is: ``public`` (anyone), ``auth`` (sign-in machinery), ``personal`` (the
    signed-in person's own pages), ``object`` (one of alice's objects, by id)."""

    kind: str
    model: type | None = None


PUBLIC, AUTH, PERSONAL = Page("public"), Page("auth"), Page("personal")
RESULT = Page("object", Assessment)
CHILD = Page("object", Child)
SHARED = Page("shared", Assessment)  # a partner's shared item, read-only
# A joint record of two linked partners (a repair), by id: both partners may view it, each
# changes only their own part (tests/web/couple/test_personas.py walks these with bob).
JOINT = Page("joint")
# Clinic: a therapist's page about one of their client records (or its assignment, note, or an
# item the client shared): 404 for everyone but that therapist, and never the client's own page.
THERAPIST = Page("therapist", ClientRecord)
THERAPIST_SHARED = Page("therapist_shared", Assessment)
TOKEN = Page("token")  # a no-login client's answer link: the token is the key, no account

EXPECTED: dict[str, Page] = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "about": PUBLIC,
    "help": PUBLIC,
    "token_sign_in": AUTH,
    "login": AUTH,
    "logout": AUTH,
    "signup": AUTH,
    "password_change": PERSONAL,
    "preferences": PERSONAL,
    "assessments:list": PERSONAL,
    "assessments:start": PERSONAL,
    "assessments:result": RESULT,
    "assessments:resume": RESULT,
    "assessments:page": RESULT,
    "assessments:autosave": RESULT,
    "history": PERSONAL,
    "practice:plan": PERSONAL,
    "practice:coach": PERSONAL,
    "practice:checkin": PERSONAL,
    "practice:journal": PERSONAL,
    "practice:triggers": PERSONAL,
    "practice:progress": PERSONAL,
    "practice:schedule": PERSONAL,
    "practice:exercise": PERSONAL,
    "export_json": PERSONAL,
    "export_csv": PERSONAL,
    "delete_everything": PERSONAL,
    "backup": PERSONAL,
    "family:home": PERSONAL,
    "family:child": CHILD,
    "family:checkin": CHILD,
    "family:signs": CHILD,
    "family:attuned": CHILD,
    "family:repairs": CHILD,
    "family:co_caregiver": CHILD,
    "family:step_away": CHILD,
    "relationships:together": PERSONAL,
    "relationships:invite": PERSONAL,
    "relationships:accept": PERSONAL,
    "relationships:join": PERSONAL,
    "relationships:unlink": PERSONAL,
    "relationships:share": PERSONAL,
    "relationships:shared_item": SHARED,
    "couple:overview": PERSONAL,
    "couple:ritual": PERSONAL,
    "couple:repairs": PERSONAL,
    "couple:repair": JOINT,
    "couple:repaired": JOINT,
    "couple:coregulate": PERSONAL,
    "couple:signs": PERSONAL,
    "couple:pair": PERSONAL,
    "couple:coach": PERSONAL,
    "interop:fhir_bundle": PERSONAL,
    "report": PERSONAL,
    "clinic:caseload": PERSONAL,
    "clinic:invite": PERSONAL,
    "clinic:add_client": PERSONAL,
    "clinic:practice": PERSONAL,
    "clinic:client": THERAPIST,
    "clinic:session": THERAPIST,
    "clinic:assign": THERAPIST,
    "clinic:note": THERAPIST,
    "clinic:client_report": THERAPIST,
    "clinic:client_fhir": THERAPIST,
    "clinic:answer_link": THERAPIST,
    "clinic:note_share": THERAPIST,
    "clinic:item": THERAPIST_SHARED,
    "clinic:join": PERSONAL,
    "clinic:my": PERSONAL,
    "clinic:my_share": PERSONAL,
    "clinic:my_measure": PERSONAL,
    "clinic:revoke": PERSONAL,
    "clinic:my_calendar": PERSONAL,
    "clinic:answer": TOKEN,
}

# Pages about one object that only its owner, or a viewer it was shared with, may reach.
PRIVATE_KINDS = ("object", "shared", "therapist", "therapist_shared")

# Values for the URL parameters that are not an object id.
PARAMS = {
    "instrument_id": "ecr-s",
    "exercise_id": "gratitude",
    "page": "1",
    "token": "not-a-real-token",
    "code": "NOTAREALCODE",
    "kind": "result",
    "ritual": "daily",
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, route) for every named pattern, walking included URL confs."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


def concrete(route: str, pk: int) -> str:
    def fill(m: re.Match) -> str:
        name = m.group(2)
        return str(pk) if name == "pk" else PARAMS[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def test_every_url_pattern_has_an_expectation():
    names = {name for name, _ in url_patterns()}
    assert names == set(EXPECTED), (
        f"add these to EXPECTED: {sorted(names - set(EXPECTED))}; "
        f"remove these: {sorted(set(EXPECTED) - names)}"
    )


@pytest.fixture()
def alices_data(alice, alice_result):
    """alice's records of every kind, with words that must never reach another persona."""
    in_progress = services.start_assessment(owner=alice, instrument_id="ecr-r")
    services.save_answers(assessment=in_progress, answers={"1": 3})
    practice.add_journal_entry(owner=alice, body=f"Journal {SECRETS[0]}")
    practice.record_checkin(
        owner=alice, emotion="lonely", intensity=6, need="comfort", note=SECRETS[1]
    )
    practice.log_trigger(owner=alice, situation=SECRETS[2], pattern="protest")
    practice.record_exercise(owner=alice, exercise_id="gratitude", data={"moment": SECRETS[3]})
    child = family.add_child(alice, SECRETS[4], 2020)
    family.record_five_conditions(alice, child, dict.fromkeys(FIVE, 4), note=SECRETS[5])
    family.log_repair(
        alice, child, what_happened=SECRETS[6], reconnect=SECRETS[7], minutes_to_repair=10
    )
    # "objects" stays the two results other matrices unpack; "every" adds alice's child.
    return {"objects": [alice_result, in_progress], "every": [alice_result, in_progress, child]}


def snapshot(user) -> dict:
    return {
        "assessments": sorted(
            (a.pk, a.status, tuple(sorted(a.answers.items())))
            for a in Assessment.objects.filter(owner=user)
        ),
        "checkins": CheckIn.objects.filter(owner=user).count(),
        "journal": JournalEntry.objects.filter(owner=user).count(),
        "triggers": TriggerLog.objects.filter(owner=user).count(),
        "exercises": ExerciseRecord.objects.filter(owner=user).count(),
        "children": sorted(
            (c.pk, c.name, c.birth_year, tuple(c.caregivers.values_list("pk", flat=True)))
            for c in Child.objects.filter(caregivers=user)
        ),
        "family": [m.objects.filter(owner=user).count() for m in family.OBSERVATION_MODELS],
        "shares": sorted(Share.objects.filter(owner=user).values_list("kind", "object_id")),
        "linked": PartnerLink.objects.filter(person=user).exists(),
    }


POST_DATA = {
    "item_1": "1",
    "action": "next",
    "emotion": "sad",
    "intensity": "3",
    "need": "rest",
    "body": "x",
    "situation": "x",
    "pattern": "protest",
    "original": "You never listen",
    # no birth_year: a persona adding a child of their own would own a family page at some id
    **dict.fromkeys(FIVE, "3"),
    "age_band": "infant",
    "read": "x",
    "what_happened": "x",
    "reconnect": "x",
    "took": "5",
    "unit": "minutes",
    "kind": "result",
    "share": "1",
    "confirm": "on",
    "code": "NOTAREALCODE",
}


def requests_for(pk_of_object: int):
    for name, route in url_patterns():
        for method in METHODS:
            yield name, method, concrete(route, pk_of_object)


@pytest.mark.parametrize("persona", ["charlie", "anonymous"])
def test_no_other_persona_reads_or_changes_alices_data(persona, alice, alices_data, charlie):
    client = Client()
    if persona == "charlie":
        client.force_login(charlie)
    before = snapshot(alice)
    checked = 0
    for obj in alices_data["every"]:
        for name, method, url in requests_for(obj.pk):
            if name in ("delete_everything", "logout") and method == "post":
                continue  # would end the persona's own session or account mid-matrix
            data = POST_DATA | {"item": str(obj.pk)} if method == "post" else None
            response = getattr(client, method)(url, data)
            body = response.content.decode(errors="replace")
            assert response.status_code < 500, (persona, method, url)
            for secret in SECRETS:
                assert secret not in body, (persona, method, url, secret)
            page = EXPECTED[name]
            if page.kind in PRIVATE_KINDS and response.status_code not in (404, 405):
                # anonymous: sent to sign in; charlie: never shown alice's object
                assert persona == "anonymous" and response.status_code == 302, (method, url)
            if page.kind == "personal" and persona == "anonymous" and method == "get":
                assert response.status_code == 302, url
            checked += 1
    assert snapshot(alice) == before
    assert checked >= len(EXPECTED) * len(METHODS)


def test_the_owner_reaches_every_page_of_theirs(alice, alices_data):
    client = Client()
    client.force_login(alice)
    for obj in alices_data["every"]:
        for name, route in url_patterns():
            url = concrete(route, obj.pk)
            response = client.get(url)
            assert response.status_code < 500, url
            page = EXPECTED[name]
            if page.kind == "object" and isinstance(obj, page.model):  # ids are per model
                assert response.status_code in (200, 302, 405), url


SHARED_WORD = "sharedpomegranate"


@pytest.fixture()
def alices_partner_setup(linked, alices_data, alice_result):
    """alice linked with bob; she shares her result and one journal entry, nothing else."""
    from safebase.web.relationships import services as relationships

    alice, bob = linked
    relationships.share(alice, alice_result)
    entry = practice.add_journal_entry(owner=alice, body=f"Shared {SHARED_WORD}").obj
    relationships.share(alice, entry)
    return alice, bob, entry


def _walk_as(client, objects, skip_posts=("delete_everything", "logout", "relationships:unlink")):
    """Every URL × method for each object id: (name, method, url, response)."""
    for obj in objects:
        for name, method, url in requests_for(obj.pk):
            if name in skip_posts and method == "post":
                continue
            data = POST_DATA | {"item": str(obj.pk)} if method == "post" else None
            yield name, method, url, getattr(client, method)(url, data)


def test_the_partner_sees_exactly_what_was_shared_read_only(alices_partner_setup, alices_data):
    alice, bob, entry = alices_partner_setup
    result, in_progress = alices_data["objects"]
    client = Client()
    client.force_login(bob)
    before = snapshot(alice)
    seen_shared_result = False
    for name, method, url, response in _walk_as(client, [result, in_progress]):
        body = response.content.decode(errors="replace")
        assert response.status_code < 500, (method, url)
        for secret in SECRETS:  # everything alice did not share
            assert secret not in body, (method, url, secret)
        page = EXPECTED[name]
        if page.kind in ("object", "therapist", "therapist_shared"):
            assert response.status_code in (404, 405), (method, url)  # never her working pages
        if page.kind == "shared":
            readable = method in ("get", "head") and url.endswith(f"/{result.pk}/")
            expected = (200,) if readable else (404, 405)
            assert response.status_code in expected, (method, url, response.status_code)
            seen_shared_result |= readable
    assert seen_shared_result
    assert snapshot(alice) == before  # bob changed nothing of hers
    together = client.get("/together/").content.decode()
    assert f"/together/shared/journal/{entry.pk}/" in together
    assert SHARED_WORD in client.get(f"/together/shared/journal/{entry.pk}/").content.decode()


@pytest.mark.parametrize("ending", ["unshare", "unlink"])
def test_after_unsharing_or_unlinking_the_partner_sees_nothing(
    alices_partner_setup, alices_data, alice_result, ending
):
    from safebase.web.relationships import services as relationships

    alice, bob, entry = alices_partner_setup
    if ending == "unlink":
        relationships.unlink(alice)
    else:
        relationships.unshare(alice, entry)
        relationships.unshare(alice, alice_result)
    client = Client()
    client.force_login(bob)
    for name, method, url, response in _walk_as(client, alices_data["every"]):
        body = response.content.decode(errors="replace")
        assert SHARED_WORD not in body
        for secret in SECRETS:
            assert secret not in body, (method, url, secret)
        if EXPECTED[name].kind in PRIVATE_KINDS:
            assert response.status_code in (404, 405), (method, url)
    assert client.get(f"/together/shared/journal/{entry.pk}/").status_code == 404
    assert Share.objects.filter(owner=alice).count() == 0
