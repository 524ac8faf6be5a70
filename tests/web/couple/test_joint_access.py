"""The joint rules of the access policy (``access._joint_rule``, ``access._joint_part_rule``),
in the style of tests/web/test_access_policy.py: who may VIEW and who may CHANGE what."""

from __future__ import annotations

import pytest
from django.http import Http404

from safebase.web import access
from safebase.web.access import Action
from safebase.web.couple import services
from safebase.web.couple.models import Repair, RepairPart, Ritual, RitualAnswer

pytestmark = pytest.mark.django_db
STEPS = {"own_part": "o", "acknowledge": "a", "path_forward": "p"}


def ids(user, model, action=Action.VIEW) -> set[int]:
    return set(access.scope(user, model, action).values_list("pk", flat=True))


def test_the_starter_views_and_changes_the_partner_only_views(linked, alice, bob, charlie):
    saved, part = services.start_repair(owner=alice, about="x", ruptured_at=None, steps=STEPS)
    repair = saved.obj
    assert access.get_or_404(alice, Repair, repair.pk, Action.CHANGE) == repair
    assert access.get_or_404(bob, Repair, repair.pk) == repair
    for user, action in ((bob, Action.CHANGE), (charlie, Action.VIEW), (charlie, Action.CHANGE)):
        with pytest.raises(Http404):
            access.get_or_404(user, Repair, repair.pk, action)
    assert ids(bob, RepairPart) == {part.pk}  # he reads her steps to answer them
    assert ids(bob, RepairPart, Action.CHANGE) == set()
    assert ids(charlie, RepairPart) == set()
    # own() never includes the other's records
    assert list(access.own(bob, Repair)) == [] and list(access.own(bob, RepairPart)) == []


def test_ritual_answers_show_only_after_ones_own(linked, alice, bob, charlie):
    services.answer_ritual(owner=alice, kind="daily", answers={"feel": "f", "need": "n"})
    hers = RitualAnswer.objects.get(owner=alice)
    ritual = Ritual.objects.get()
    assert ids(bob, Ritual) == {ritual.pk}  # the day exists for him: no words in it
    assert ids(bob, RitualAnswer) == set()
    services.answer_ritual(owner=bob, kind="daily", answers={"feel": "f", "need": "n"})
    his = RitualAnswer.objects.get(owner=bob)
    assert ids(bob, RitualAnswer) == {hers.pk, his.pk}
    assert ids(bob, RitualAnswer, Action.CHANGE) == {his.pk}
    assert ids(alice, RitualAnswer, Action.CHANGE) == {hers.pk}
    assert ids(charlie, RitualAnswer) == ids(charlie, Ritual) == set()


def test_unlinking_ends_every_view_of_the_others_words(linked, alice, bob):
    from safebase.web.relationships.services import unlink

    asked, _ = services.start_repair(owner=alice, about="x", ruptured_at=None, steps=STEPS)
    answered, _ = services.start_repair(owner=alice, about="y", ruptured_at=None, steps=STEPS)
    services.respond_to_repair(owner=bob, repair_id=answered.obj.pk, steps=STEPS)
    unlink(bob)
    # the repair he answered stays in his log (his own part is in it); the other is gone
    assert ids(bob, Repair) == {answered.obj.pk}
    assert set(access.scope(bob, RepairPart).values_list("owner", flat=True)) == {bob.pk}
    assert set(access.scope(alice, RepairPart).values_list("owner", flat=True)) == {alice.pk}
    assert ids(alice, Repair) == {asked.obj.pk, answered.obj.pk}  # hers, as their starter
