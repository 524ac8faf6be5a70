"""Every URL × method × clinic persona: 0 reads outside consent, including after revocation.

alice (a full client of tess's) shares one result and one journal entry with tess; tess keeps a
private note on her and a no-login client, nora. otto (another therapist) and polly (the
practice owner) must see nothing of alice's or nora's; tess sees exactly what alice shared,
read-only, and nothing once alice revokes; a no-login token opens one questionnaire and nothing
else. Ids walked: alice's result and unfinished questionnaire, tess's record of alice, her note.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safebase.web.clinic import services
from safebase.web.clinic.models import Assignment, ClientRecord, SessionNote
from safebase.web.practice import services as practice
from tests.web.clinic.conftest import client_for
from tests.web.test_access_matrix import (
    EXPECTED,
    POST_DATA,
    SECRETS,
    alices_data,  # noqa: F401  (fixture)
    requests_for,
    snapshot,
)

pytestmark = pytest.mark.django_db

SHARED_WORD = "sharedmarmalade"
NOTE_WORD = "notebrambling"
NORA = "Nora P."
PRIVATE = ("object", "shared", "therapist", "therapist_shared")
SKIP_POSTS = ("delete_everything", "logout", "clinic:revoke")
CLINIC_POST = {
    "record": "0",
    "instrument": "ecr-s",
    "every_weeks": "2",
    "window_days": "7",
    "session_date": "2026-01-05",
    "shared": "1",
    "email": "new-therapist@example.org",
    "name": "Someone",
}


@pytest.fixture()
def clinic_world(alice, tess, consented, alices_data, alice_result):  # noqa: F811
    services.share_with_therapist(alice, consented, alice_result)
    entry = practice.add_journal_entry(owner=alice, body=f"Shared {SHARED_WORD}").obj
    services.share_with_therapist(alice, consented, entry)
    note, _ = services.add_note(
        tess, consented, session_date=consented.created_at.date(), body=NOTE_WORD
    )
    services.assign(tess, consented, instrument_id="ecr-s", every_weeks=4)
    nora = services.add_no_login_client(tess, name=NORA)
    a = services.assign(tess, nora, instrument_id="ecr-s", every_weeks=None)
    token = services.issue_answer_link(tess, a).token
    result, in_progress = alices_data["objects"]
    return {
        "record": consented,
        "entry": entry,
        "note": note,
        "token": token,
        "ids": [result.pk, in_progress.pk, consented.pk, note.pk],
        "result": result,
    }


def clinic_state(tess) -> dict:
    return {
        "records": sorted(
            ClientRecord.objects.filter(owner=tess).values_list("pk", "ended_at", "last_session")
        ),
        "assignments": Assignment.objects.filter(owner=tess).count(),
        "notes": sorted(
            SessionNote.objects.filter(owner=tess).values_list("pk", "shared_with_client")
        ),
    }


def walk(client: Client, ids: list[int]):
    for pk in ids:
        for name, method, url in requests_for(pk):
            if name in SKIP_POSTS and method == "post":
                continue
            data = POST_DATA | CLINIC_POST | {"item": str(pk)} if method == "post" else None
            yield name, method, url, getattr(client, method)(url, data)


def _owned(user) -> set[tuple[type, int]]:
    models = {
        page.model
        for page in EXPECTED.values()
        if page.model is not None and any(f.name == "owner" for f in page.model._meta.get_fields())
    }  # a child has caregivers, not an owner
    return {
        (m, pk)
        for m in models
        for pk in m._default_manager.filter(owner=user).values_list("pk", flat=True)
    }


def _made_by_the_walk(user, name: str, url: str, before: set) -> bool:
    """Whether the URL's id is an object the walker created during the walk. Ids overlap across
    tables, and the walk's own POSTs create objects (a therapist's "add client", anyone's "start
    a questionnaire"), so on PostgreSQL, whose sequences are not reset between tests, a walked
    id can be one of those, which its creator rightly opens. Objects that existed before the
    walk (alice's, tess's) are never excused."""
    model = EXPECTED[name].model
    found = re.search(r"/(\d+)/", url)
    if model is None or found is None:
        return False
    key = (model, int(found.group(1)))
    return key not in before and key in _owned(user)


def _hidden(body: str, words) -> None:
    for word in words:
        assert word not in body, word


@pytest.mark.parametrize("persona", ["otto", "polly", "alice"])
def test_others_see_nothing_of_a_client_or_of_the_therapist(
    persona, request, alice, tess, clinic_world
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    before, clinic_before = snapshot(alice), clinic_state(tess)
    owned_before = _owned(user)
    for name, method, url, response in walk(client, clinic_world["ids"]):
        assert response.status_code < 500, (persona, method, url)
        body = response.content.decode(errors="replace")
        _hidden(body, (NOTE_WORD, NORA))
        if persona != "alice":
            _hidden(body, (*SECRETS, SHARED_WORD))
        kind = EXPECTED[name].kind
        if _made_by_the_walk(user, name, url, owned_before):
            continue
        if kind in ("therapist", "therapist_shared"):
            assert response.status_code in (404, 405), (persona, method, url)
        if kind in PRIVATE and persona != "alice":
            assert response.status_code in (404, 405), (persona, method, url)
    if persona != "alice":  # alice's posts to her own pages change her own data, rightly
        assert snapshot(alice) == before
    assert clinic_state(tess) == clinic_before  # nothing of tess's changed either


def test_the_therapist_sees_exactly_what_was_shared_read_only(alice, tess, clinic_world):
    client = client_for(tess)
    result = clinic_world["result"]
    before = snapshot(alice)
    seen = set()
    for name, method, url, response in walk(client, clinic_world["ids"]):
        assert response.status_code < 500, (method, url)
        _hidden(response.content.decode(errors="replace"), SECRETS)  # never the unshared
        kind = EXPECTED[name].kind
        if kind in ("object", "shared"):
            assert response.status_code in (404, 405), (method, url)  # never alice's own pages
        if kind == "therapist_shared":
            readable = method in ("get", "head") and url.endswith(f"/{result.pk}/")
            assert response.status_code in ((200,) if readable else (404, 405)), (method, url)
            seen.add(readable)
    assert True in seen
    assert snapshot(alice) == before  # tess changed nothing of alice's
    page = client.get(f"/clinic/clients/{clinic_world['record'].pk}/").content.decode()
    assert SHARED_WORD in page and NOTE_WORD in page


def test_after_revocation_the_therapist_reads_nothing(alice, tess, clinic_world):
    services.revoke(alice, clinic_world["record"])
    client = client_for(tess)
    owned_before = _owned(tess)
    for name, method, url, response in walk(client, clinic_world["ids"]):
        assert response.status_code < 500, (method, url)
        body = response.content.decode(errors="replace")
        _hidden(body, (*SECRETS, SHARED_WORD))  # her own note stays hers (her export)
        # Ids overlap across tables: tess's page of nora may share a number; nothing of alice's.
        if _made_by_the_walk(tess, name, url, owned_before):
            continue
        if EXPECTED[name].kind in ("object", "shared", "therapist_shared"):
            assert response.status_code in (404, 405), (method, url)
    record = clinic_world["record"]
    for url in (f"/clinic/clients/{record.pk}/", f"/clinic/notes/{clinic_world['note'].pk}/share/"):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, CLINIC_POST).status_code in (404, 405)
    assert not services.consented_results(tess, alice).exists()
    entry = clinic_world["entry"]
    assert client.get(f"/clinic/item/journal/{entry.pk}/").status_code == 404


def test_a_no_login_token_opens_one_questionnaire_and_nothing_else(alice, clinic_world):
    client = Client()  # the token holder has no account
    token = clinic_world["token"]
    page = client.get(f"/clinic/answer/{token}/")
    assert page.status_code == 200
    _hidden(page.content.decode(), (*SECRETS, SHARED_WORD, NOTE_WORD, NORA))
    for name, method, url, response in walk(client, clinic_world["ids"]):
        assert response.status_code < 500, (method, url)
        _hidden(response.content.decode(errors="replace"), (*SECRETS, SHARED_WORD, NOTE_WORD))
        if EXPECTED[name].kind in PRIVATE:
            assert response.status_code in (302, 404, 405), (method, url)
    assert client.get(f"/clinic/answer/{token}x/").status_code == 404
