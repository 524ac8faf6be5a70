"""Who may see or change which object: the one access policy every view asks.

A person's data is private by default. Each *rule* below is a function from (user, model,
action) to a query filter of what it grants; an object is reachable when any rule grants it.
The rules, in order:

* owner: a person may view and change what is theirs;
* caregiver: the caregivers of a child may view the child (name and birth year only);
* partner share: a linked partner may view (never change) an item its owner shared with them,
  for as long as the two are linked;
* joint records: the two partners of a ritual or repair may view it, each changing only their
  own part, and reading the other's part only while linked;
* therapist share: a therapist may view an item a client shared with them, for as long as the
  client's consent link to them is active.

Views never filter by owner themselves, so adding a rule changes no view.

Every answer is a database filter, so a list page and an object page apply the same rule and an
object outside it is simply not found (404): ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)

_MAX_ID = 2**63 - 1  # BigAutoField: larger ids name no row (SQLite raises on them)


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


Rule = Callable[[object, type[models.Model], Action], Q | None]


def _has_owner(model: type[models.Model]) -> bool:
    return any(f.name == "owner" for f in model._meta.get_fields())


def _owner_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """The owner may view and change their own objects (models without an owner, such as a
    child, are granted by their own rule)."""
    return Q(owner=user) if _has_owner(model) else None


def _caregiver_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """The caregivers of a child may view it and change their own part in its care (step away,
    add their partner). Only the child's name and birth year are shared this way: each
    caregiver's observations have an owner and fall under the owner rule alone."""
    if model._meta.label == "family.Child":
        return Q(caregivers=user)
    return None


def _partner_share_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """A partner may view an item its owner shared with them, only while they are linked: the
    share must name the viewer and the owner's current link must point at the viewer."""
    from safebase.web.relationships.models import Share
    from safebase.web.relationships.shareable import kind_of

    kind = kind_of(model)
    if action != Action.VIEW or kind is None:
        return None
    shared = Share.objects.filter(
        audience=user, kind=kind, purpose=Share.Purpose.PARTNER, owner__partner_link__partner=user
    ).values("object_id")
    return Q(pk__in=shared)


def _linked_partner(user):
    from safebase.web.relationships.services import partner_of  # (apps load after this module)

    return partner_of(user)


def _joint_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """A joint record of two partners (``JOINT``: a ritual, a repair) holds no words, only who
    takes part and when. Its starter is its ``owner`` (the owner rule). The invited ``partner``
    may VIEW it while the two are linked, and after an unlink only if they added a part of their
    own (it is then their record too). Nobody but the starter changes it; each changes only their
    own part."""
    if action != Action.VIEW or not getattr(model, "JOINT", False):
        return None
    part_model = model._meta.get_field("parts").related_model
    answered = part_model._default_manager.filter(owner=user).values("joint")
    granted = Q(partner=user, pk__in=answered)
    partner = _linked_partner(user)
    if partner is not None:
        granted |= Q(partner=user, owner=partner)
    return granted


def _joint_part_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """A partner's part of a joint record (``JOINT_PART``) may be VIEWED by the other
    participant only while the two are linked: an unlink ends it at once. Where the part says
    ``REVEAL_AFTER_OWN_PART`` (a ritual's answers), only once the viewer has given their own."""
    if action != Action.VIEW or not getattr(model, "JOINT_PART", False):
        return None
    partner = _linked_partner(user)
    if partner is None:
        return None
    granted = Q(owner=partner) & (
        Q(joint__owner=user, joint__partner=partner) | Q(joint__owner=partner, joint__partner=user)
    )
    if model.REVEAL_AFTER_OWN_PART:  # type: ignore[attr-defined]
        granted &= Q(joint__in=model._default_manager.filter(owner=user).values("joint"))
    return granted


def _therapist_share_rule(user, model: type[models.Model], action: Action) -> Q | None:
    """A therapist may view an item a client shared with them, only while the client's consent
    link to that therapist is active: the share must name the viewer, and the owner must hold an
    unended client record whose therapist is the viewer (the same row: one ``filter`` call)."""
    from safebase.web.relationships.models import Share
    from safebase.web.relationships.shareable import kind_of

    kind = kind_of(model)
    if action != Action.VIEW or kind is None:
        return None
    shared = Share.objects.filter(
        audience=user,
        kind=kind,
        purpose=Share.Purpose.THERAPIST,
        owner__clinic_records__owner=user,
        owner__clinic_records__ended_at__isnull=True,
    ).values("object_id")
    return Q(pk__in=shared)


# Each rule returns the filter of objects it grants, or None when it grants nothing.
RULES: list[Rule] = [
    _owner_rule,
    _partner_share_rule,
    _joint_rule,
    _joint_part_rule,
    _therapist_share_rule,
    _caregiver_rule,
]


def _is_person(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def scope(user, model: type[M], action: Action = Action.VIEW) -> QuerySet[M]:
    """Every object of ``model`` that ``user`` may perform ``action`` on."""
    manager = model._default_manager
    if not _is_person(user):
        return manager.none()
    granted = [q for rule in RULES if (q := rule(user, model, action)) is not None]
    if not granted:
        return manager.none()
    condition = granted[0]
    for q in granted[1:]:
        condition |= q
    return manager.filter(condition)


def shared_with_therapist(user, model: type[M]) -> QuerySet[M]:
    """Only what the therapist-share rule grants ``user``: the clinic's pages, reports and
    exports read clients' items through this rule alone (an account that is also someone's
    partner never brings partner shares into them). A subset of ``scope``, and one subquery
    instead of every rule's, which the busiest clinic pages feel."""
    if not _is_person(user):
        return model._default_manager.none()
    granted = _therapist_share_rule(user, model, Action.VIEW)
    if granted is None:
        return model._default_manager.none()
    return model._default_manager.filter(granted)


def own(user, model: type[M]) -> QuerySet[M]:
    """The user's own objects only (their lists, export and delete-all): never another's,
    however it was shared with them."""
    if not _is_person(user):
        return model._default_manager.none()
    return model._default_manager.filter(owner=user)


def get_own_or_404(user, model: type[M], pk: int) -> M:
    """One of the user's own objects, for the pages where a person works on their own data
    (a result page with its actions, comparisons): a shared item is seen on the partner's
    read-only pages instead. 404 otherwise."""
    if not 0 < pk <= _MAX_ID:
        raise Http404("Not found")
    obj = own(user, model).filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    return obj


def get_or_404(user, model: type[M], pk: int, action: Action = Action.VIEW) -> M:
    """The object if ``user`` may perform ``action`` on it; otherwise 404, exactly as if it did
    not exist, so guessing ids tells nothing."""
    if not 0 < pk <= _MAX_ID:
        raise Http404("Not found")
    obj = scope(user, model, action).filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    return obj
