"""The family pages through the test client: what each persona can reach, what each page says,
and the crisis resources shown at once after a flagged entry.

Personas: alice (caregiver of the child), bob (alice's linked partner, made co-caregiver),
charlie (unrelated), anonymous — over every family URL × method.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safebase.web.family import services
from safebase.web.family.models import (
    AttunedMoment,
    Child,
    FiveConditionsCheck,
    RuptureRepair,
    SignsObservation,
)
from tests.web.test_access_matrix import METHODS, url_patterns

pytestmark = pytest.mark.django_db

FIVE = ("safe", "seen", "soothed", "valued", "explore")
ALICES_WORDS = ("glimmerfox", "tanglewood", "puddlejump", "brambleton")
CHILD_PAGES = ("child", "checkin", "signs", "attuned", "repairs", "co_caregiver", "step_away")

VALID_POST = {
    "family:home": {"name": "Sky", "birth_year": "2023"},
    "family:checkin": dict.fromkeys(FIVE, "4"),
    "family:signs": {"age_band": "toddler", "noticed": ["toddler-comfort"]},
    "family:attuned": {"read": "cross face, fists", "respond": "low voice"},
    "family:repairs": {"what_happened": "rushed", "reconnect": "sat", "took": "2", "unit": "hours"},
    "family:co_caregiver": {},
    "family:step_away": {"confirm": "remove"},
}


def family_urls():
    return [(name, route) for name, route in url_patterns() if name.startswith("family:")]


def test_every_family_url_is_covered_here():
    assert {n.removeprefix("family:") for n, _ in family_urls()} == {"home", *CHILD_PAGES}


@pytest.fixture()
def world(linked):
    """alice's child with her observations; bob is co-caregiver with none of his own yet."""
    alice, bob = linked
    child = services.add_child(alice, "Robin", 2022)
    services.record_five_conditions(alice, child, dict.fromkeys(FIVE, 3), note=ALICES_WORDS[0])
    services.record_signs(alice, child, "toddler", ["toddler-explore"], note=ALICES_WORDS[1])
    services.record_attuned_moment(alice, child, read=ALICES_WORDS[2])
    services.log_repair(
        alice, child, what_happened=ALICES_WORDS[3], reconnect="hug", minutes_to_repair=4
    )
    return alice, bob, child


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def url(name: str, child: Child) -> str:
    return reverse(name) if name == "family:home" else reverse(name, args=[child.pk])


def counts(user) -> list[int]:
    return [m.objects.filter(owner=user).count() for m in services.OBSERVATION_MODELS]


@pytest.mark.parametrize("persona", ["charlie", "anonymous", "bob_before_co_caring"])
def test_outsiders_reach_nothing_of_the_child_by_any_method(persona, world, charlie):
    alice, bob, child = world
    user = {"charlie": charlie, "anonymous": None, "bob_before_co_caring": bob}[persona]
    client = client_for(user)
    before = (counts(alice), list(child.caregivers.all()), Child.objects.count())
    for name, _ in family_urls():
        for method in METHODS:
            data = VALID_POST.get(name) if method == "post" else None
            if name == "family:home":
                continue  # their own page; checked below
            response = getattr(client, method)(url(name, child), data)
            body = response.content.decode(errors="replace")
            assert "Robin" not in body, (persona, method, name)
            for word in ALICES_WORDS:
                assert word not in body
            if user is None:
                assert response.status_code == 302 and "next=/family/" in response["Location"]
            else:
                assert response.status_code in (404, 405), (persona, method, name)
    home = client.get(reverse("family:home"))
    assert "Robin" not in home.content.decode()
    assert before == (counts(alice), list(child.caregivers.all()), Child.objects.count())


def test_the_caregiver_reaches_and_uses_every_page(world):
    alice, _bob, child = world
    client = client_for(alice)
    for name, _ in family_urls():
        response = client.get(url(name, child))
        assert response.status_code == (405 if name == "family:co_caregiver" else 200), name
    for name in ("family:checkin", "family:signs", "family:attuned", "family:repairs"):
        response = client.post(url(name, child), VALID_POST[name])
        assert response.status_code == 302, (name, response.content[:3000])
    assert counts(alice) == [1, 2, 2, 2]  # the week's check replaced, not added
    repair = RuptureRepair.objects.filter(owner=alice).order_by("-id").first()
    assert repair.minutes_to_repair == 120
    response = client.post(reverse("family:home"), VALID_POST["family:home"])
    sky = Child.objects.get(caregivers=alice, birth_year=2023)
    assert response.status_code == 302 and response["Location"] == url("family:child", sky)


def test_the_co_caregiver_sees_the_child_but_never_alices_observations(world):
    alice, bob, child = world
    response = client_for(alice).post(url("family:co_caregiver", child))
    assert response.status_code == 302
    assert set(child.caregivers.all()) == {alice, bob}
    client = client_for(bob)
    for name in CHILD_PAGES:
        if name == "co_caregiver":
            continue
        response = client.get(url(f"family:{name}", child))
        body = response.content.decode()
        assert response.status_code == 200 and "Robin" in body, name
        for word in ALICES_WORDS:
            assert word not in body, (name, word)
    page = client.get(url("family:child", child)).content.decode()
    assert "a co-caregiver never sees them, and you never see theirs" in page
    assert "Also caring for Robin: alice." in page
    # bob's own entries are his; alice's are untouched
    for name in ("family:checkin", "family:repairs"):
        assert client.post(url(name, child), VALID_POST[name]).status_code == 302
    assert counts(bob) == [1, 0, 0, 1] and counts(alice) == [1, 1, 1, 1]
    # bob may not add alice's observations to his view by any id: the lists are per owner
    assert ALICES_WORDS[3] not in client.get(url("family:repairs", child)).content.decode()
    # bob steps away: alice keeps the child and every observation of hers
    assert client.post(url("family:step_away", child), {"confirm": "remove"}).status_code == 302
    assert list(child.caregivers.all()) == [alice] and counts(alice) == [1, 1, 1, 1]
    assert counts(bob) == [0, 0, 0, 0]
    assert client.get(url("family:child", child)).status_code == 404


def test_step_away_needs_the_typed_word(world):
    alice, _bob, child = world
    client = client_for(alice)
    assert client.post(url("family:step_away", child), {"confirm": "yes"}).status_code == 400
    assert Child.objects.filter(pk=child.pk).exists()
    assert client.post(url("family:step_away", child), {"confirm": " REMOVE "}).status_code == 302
    assert not Child.objects.filter(pk=child.pk).exists()
    assert counts(alice) == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("family:home", {"name": "", "birth_year": "2020"}, "First name or nickname:"),
        ("family:home", {"name": "Sky", "birth_year": "1850"}, "Birth year:"),
        ("family:home", {"name": "Sky", "birth_year": "9" * 5000}, "Birth year:"),
        ("family:home", {"name": "Sky", "birth_year": "2999"}, "birth year: 2999 is outside"),
        ("family:checkin", dict.fromkeys(FIVE, "6"), "is less than or equal to 5"),
        ("family:checkin", {"safe": "x"}, "Safe and protected:"),
        ("family:signs", {"age_band": "teen"}, "Age band:"),
        ("family:signs", {"age_band": "infant", "noticed": ["nope"]}, "Signs noticed:"),
        ("family:attuned", {"read": ""}, "What you read:"),
        ("family:repairs", {"what_happened": "x", "reconnect": "y", "took": "15", "unit": "days"},
         "minutes to repair: 21600 is outside"),
        ("family:repairs", {"what_happened": "x", "reconnect": "y", "took": "1", "unit": "weeks"},
         "Unit:"),
        ("family:repairs", {"what_happened": "x", "reconnect": "y", "took": "1", "unit": "hours",
                            "happened_on": "0001-01-01"}, "When:"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_one_message_never_a_500(world, name, data, message):
    alice, _bob, child = world
    before = (counts(alice), Child.objects.count())
    response = client_for(alice).post(url(name, child), data)
    assert response.status_code == 400
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', response.content.decode())
    assert len(errors) == 1 and message in errors[0], errors
    assert before == (counts(alice), Child.objects.count())


def test_pages_say_reflection_not_a_measure_and_cite_their_sources(world):
    alice, _bob, child = world
    client = client_for(alice)
    pages = {n: client.get(url(f"family:{n}", child)).content.decode() for n in CHILD_PAGES[:5]}
    for name in ("checkin", "signs", "attuned", "repairs"):
        assert "Reflection, not a measure" in pages[name], name
    assert pages["checkin"].count("Source: “Secure Attachment Guide") == 5
    assert 'href="/practice/exercise/grounding/"' in pages["checkin"]
    assert f'href="/family/child/{child.pk}/attuned/"' in pages["checkin"]
    assert "about one-third of the time" in pages["repairs"]
    assert "2.2. Emotional Attunement" in pages["repairs"]
    assert "When to talk to a professional" in pages["signs"]
    age = timezone.localdate().year - 2022
    expected = "Toddler (1 to 3 years)" if age <= 3 else "School age (4 to 12 years)"
    assert f"age band: {expected}" in pages["child"]
    home = client.get(reverse("family:home")).content.decode()
    assert "Healthier parenting patterns" in home


def test_the_caregivers_own_pattern_shows_with_matching_practices(world, alice_result):
    alice, _bob, _child = world
    home = client_for(alice).get(reverse("family:home")).content.decode()
    mine = services.caregiver_pattern(alice)
    assert mine is not None and mine.result == alice_result
    assert mine.pattern.may_show.split(".")[0].replace("'", "&#x27;") in home
    for pid in mine.pattern.practices:
        if not pid.startswith("family:"):
            assert f'href="/practice/exercise/{pid}/"' in home, pid
    assert "not computed from your answers" in home


def test_a_flagged_entry_shows_child_protection_resources_at_once(world):
    alice, _bob, child = world
    client = client_for(alice)
    response = client.post(
        url("family:repairs", child),
        {
            "what_happened": "I shook the baby because he wouldn't stop crying",
            "reconnect": "held him",
            "took": "10",
            "unit": "minutes",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Help for a child, and for you" in body
    assert "Childhelp" in body or "NSPCC" in body
    assert RuptureRepair.objects.filter(owner=alice).count() == 2  # the entry was kept
    calm = client.post(
        url("family:attuned", child), {"read": "she was tired and whiny"}, follow=True
    ).content.decode()
    assert 'class="card crisis"' not in calm
    assert AttunedMoment.objects.filter(owner=alice).count() == 2


def test_counts_of_each_kind_are_unaffected_by_other_peoples_children(world, charlie):
    other = services.add_child(charlie, "Robin", 2019)
    services.record_five_conditions(charlie, other, dict.fromkeys(FIVE, 1))
    alice, _bob, child = world
    assert services.children_of(alice) == [child]
    assert FiveConditionsCheck.objects.filter(owner=alice).count() == 1
    assert SignsObservation.objects.filter(child=other).count() == 0


def test_the_co_caregiver_over_every_url_and_method_sees_none_of_alices_words(world):
    alice, bob, child = world
    services.add_co_caregiver(alice, child)
    client = client_for(bob)
    allowed = {"family:co_caregiver": {"post"}, "family:child": {"get", "head"}}
    for name, _ in family_urls():
        for method in METHODS:
            if name == "family:step_away" and method == "post":
                continue  # tested on its own above
            data = VALID_POST.get(name) if method == "post" else None
            response = getattr(client, method)(url(name, child), data)
            body = response.content.decode(errors="replace")
            for word in ALICES_WORDS:
                assert word not in body, (method, name, word)
            ok = allowed.get(name, {"get", "post"})
            if method in ok:
                assert response.status_code in (200, 302), (method, name, response.status_code)
            else:
                assert response.status_code == 405, (method, name, response.status_code)
    assert counts(alice) == [1, 1, 1, 1]
    assert set(child.caregivers.all()) == {alice, bob}
