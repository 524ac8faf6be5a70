"""The access policy: owner only today, and a further rule is all that sharing will need."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.http import Http404

from safebase.web import access
from safebase.web.access import Action
from safebase.web.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def test_owner_only_and_ids_out_of_range_are_simply_not_found(alice, charlie, alice_result):
    assert access.get_or_404(alice, Assessment, alice_result.pk, Action.CHANGE) == alice_result
    for user, pk in ((charlie, alice_result.pk), (alice, 2**63), (alice, 0), (alice, -1)):
        with pytest.raises(Http404):
            access.get_or_404(user, Assessment, pk)
    assert list(access.scope(charlie, Assessment)) == []
    assert list(access.own(alice, Assessment)) == [alice_result]


def test_a_new_rule_grants_what_it_says_and_nothing_more(alice, charlie, alice_result, monkeypatch):
    """How partner or therapist sharing plugs in: a rule returning a filter, per action."""

    def shared_with_charlie(user, model, action):
        if user == charlie and action == Action.VIEW and model is Assessment:
            return Q(owner__username="alice")
        return None

    monkeypatch.setattr(access, "RULES", [*access.RULES, shared_with_charlie])
    assert access.get_or_404(charlie, Assessment, alice_result.pk) == alice_result
    with pytest.raises(Http404):
        access.get_or_404(charlie, Assessment, alice_result.pk, Action.CHANGE)
    # A person's own lists never include what others shared with them.
    assert list(access.own(charlie, Assessment)) == []
