"""Every couple URL × method as bob (alice's partner), charlie, anonymous, and bob after unlink.

alice's words of each kind carry a secret. bob may read exactly what the joint flows allow: her
repair steps (he must read them to answer), her daily answer only once he has given his own;
never her twelve-signs reflection (never shared). charlie and anonymous read nothing; after an
unlink bob reads nothing more. Nobody but alice changes alice's parts.
"""

from __future__ import annotations

import pytest
from django.test import Client

from safebase.web.couple import services
from safebase.web.couple.models import Repair, RepairPart, RitualAnswer, SignsReflection
from tests.web.test_access_matrix import EXPECTED, METHODS, url_patterns

pytestmark = pytest.mark.django_db

DAILY_SECRET, REPAIR_SECRET, SIGNS_SECRET, COREG = "zebracorn", "quillwort", "marzipanic", "panicky"
POST = {
    "feel": "x",
    "need": "rest",
    "about": "x",
    "own_part": "x",
    "acknowledge": "x",
    "path_forward": "x",
    "feeling": "sad",
    "signs": ["1", "2"],
    "field": "feel",
    "appreciation": "x",
    "hard": "x",
    "request": "x",
    "worked": "x",
    "change": "x",
}
PARAMS = {"ritual": "daily"}


def couple_urls(repair_pk: int):
    for name, route in url_patterns():
        if name.startswith("couple:"):
            assert name in EXPECTED
            url = "/" + route.replace("<int:pk>", str(repair_pk)).replace("<slug:ritual>", "daily")
            yield name, url


@pytest.fixture()
def alices_couple_data(linked, alice, bob):
    services.answer_ritual(owner=alice, kind="daily", answers={"feel": DAILY_SECRET, "need": "x"})
    services.answer_ritual(
        owner=alice, kind="coregulate", answers={"feeling": COREG, "need": "space"}
    )
    saved, _ = services.start_repair(
        owner=alice,
        about="last night",
        ruptured_at=None,
        steps={"own_part": REPAIR_SECRET, "acknowledge": "a", "path_forward": "b"},
    )
    services.reflect_on_signs(owner=alice, about="partner", checked=[1, 5], note=SIGNS_SECRET)
    return saved.obj


def alices_parts(alice) -> list:
    return sorted(
        [("ritual", a.pk, str(a.answers)) for a in RitualAnswer.objects.filter(owner=alice)]
        + [
            ("repair", p.pk, p.own_part, str(p.marked_repaired_at))
            for p in RepairPart.objects.filter(owner=alice)
        ]
        + [("signs", s.pk, s.note) for s in SignsReflection.objects.filter(owner=alice)]
    )


def walk(client: Client, repair: Repair):
    for name, url in couple_urls(repair.pk):
        for method in METHODS:
            response = getattr(client, method)(url, POST if method == "post" else None)
            assert response.status_code < 500, (method, url)
            yield name, method, url, response, response.content.decode(errors="replace")


@pytest.mark.parametrize("persona", ["charlie", "anonymous"])
def test_others_read_and_change_nothing(persona, alice, charlie, alices_couple_data):
    repair = alices_couple_data
    client = Client()
    if persona == "charlie":
        client.force_login(charlie)
    before = alices_parts(alice)
    for name, method, url, response, body in walk(client, repair):
        for secret in (DAILY_SECRET, REPAIR_SECRET, SIGNS_SECRET, f"<dd>{COREG}</dd>"):
            assert secret not in body, (persona, method, url)
        if EXPECTED[name].kind == "joint" and method not in ("options",):
            expected = (302,) if persona == "anonymous" else (404, 405)
            assert response.status_code in expected, (persona, method, url)
        if persona == "anonymous" and method == "get":
            assert response.status_code == 302, url
    assert alices_parts(alice) == before


def test_bob_sees_exactly_what_the_joint_flows_allow(alice, bob, alices_couple_data):
    repair = alices_couple_data
    client = Client()
    client.force_login(bob)
    before = alices_parts(alice)
    daily = client.get("/together/ritual/daily/").content.decode()
    assert DAILY_SECRET not in daily  # not before he answers
    assert f"<dd>{COREG}</dd>" not in client.get("/together/coregulate/").content.decode()
    assert REPAIR_SECRET in client.get(f"/together/repair/{repair.pk}/").content.decode()
    for _name, method, url, _response, body in walk(client, repair):
        assert SIGNS_SECRET not in body, (method, url)  # a reflection is never shared
    # The walk posted his own answers: now he sees hers, and he changed nothing of hers.
    assert DAILY_SECRET in client.get("/together/ritual/daily/").content.decode()
    assert alices_parts(alice) == before
    assert RitualAnswer.objects.filter(owner=bob).exists()


def test_after_unlink_bob_sees_nothing_more(alice, bob, unlink, alices_couple_data):
    repair = alices_couple_data
    client = Client()
    client.force_login(bob)
    client.post("/together/ritual/daily/", {"feel": "mine", "need": "mine"})
    assert DAILY_SECRET in client.get("/together/ritual/daily/").content.decode()
    unlink(bob)
    before = alices_parts(alice)
    for name, method, url, response, body in walk(client, repair):
        for secret in (DAILY_SECRET, REPAIR_SECRET, SIGNS_SECRET, f"<dd>{COREG}</dd>"):
            assert secret not in body, (method, url)
        if EXPECTED[name].kind == "joint" and method != "options":
            assert response.status_code in (404, 405), (method, url)
    assert alices_parts(alice) == before
