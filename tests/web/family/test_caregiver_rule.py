"""The access policy's caregiver rule: a child is seen by its caregivers, and only the child —
each caregiver's observations stay under the owner rule alone, and none is shareable."""

from __future__ import annotations

import pytest
from django.http import Http404

from safebase.web import access
from safebase.web.access import Action
from safebase.web.family import services
from safebase.web.family.models import Child
from safebase.web.relationships.shareable import kind_of

pytestmark = pytest.mark.django_db

FIVE = dict.fromkeys(("safe", "seen", "soothed", "valued", "explore"), 3)


def test_caregivers_view_and_change_the_child_and_no_one_else(linked, charlie):
    alice, bob = linked
    child = services.add_child(alice, "Robin", 2020)
    for action in (Action.VIEW, Action.CHANGE):
        assert access.get_or_404(alice, Child, child.pk, action) == child
        for outsider in (bob, charlie):  # bob is her partner, not yet a caregiver
            with pytest.raises(Http404):
                access.get_or_404(outsider, Child, child.pk, action)
    services.add_co_caregiver(alice, child)
    assert list(access.scope(bob, Child, Action.CHANGE)) == [child]
    assert list(access.scope(charlie, Child)) == []


def test_a_co_caregiver_never_reaches_the_others_observations(linked):
    alice, bob = linked
    child = services.add_child(alice, "Robin", 2020)
    services.add_co_caregiver(alice, child)
    for model in services.OBSERVATION_MODELS:
        assert kind_of(model) is None, model  # not shareable item by item either
    check = services.record_five_conditions(alice, child, FIVE).obj
    moment = services.record_attuned_moment(alice, child, read="x").obj
    for obj in (check, moment):
        for action in (Action.VIEW, Action.CHANGE):
            with pytest.raises(Http404):
                access.get_or_404(bob, type(obj), obj.pk, action)
        assert access.get_or_404(alice, type(obj), obj.pk, Action.CHANGE) == obj


def test_one_row_per_child_however_many_caregivers(linked):
    alice, _bob = linked
    child = services.add_child(alice, "Robin", 2020)
    services.add_co_caregiver(alice, child)
    assert access.scope(alice, Child).count() == 1
    assert services.children_of(alice) == [child]
