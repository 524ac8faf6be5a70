"""The pair on one plane: each partner's latest dimensional result that the other may see.

Mine: my latest finished anxiety-and-avoidance result that I shared with my partner. Theirs:
their latest such result the access policy lets me view (what they shared with me, while we are
linked). The four-style label of each comes from ``core.profile`` (the instrument's cut-offs);
the pair's combination and its explanation from ``core.couple.pair``.
"""

from __future__ import annotations

from dataclasses import dataclass

from safebase.core.couple.pair import PairReading, read_pair
from safebase.core.profile import Profile, build_profile
from safebase.core.scoring import scorer_for
from safebase.core.styles import DESCRIPTIONS, Style
from safebase.web import charts
from safebase.web.assessments.models import Assessment
from safebase.web.practice.services import dimensional_instrument_ids, dimensional_results


def _is_shared(obj) -> bool:
    """Shared with the linked partner (a result shared only with a therapist does not count)."""
    from safebase.web.relationships.services import audience_of, partner_of

    partner = partner_of(obj.owner)
    return partner is not None and any(u.pk == partner.pk for u in audience_of(obj))


def my_shared_result(user) -> Assessment | None:
    return next((a for a in dimensional_results(user) if _is_shared(a)), None)


def partners_result(user, partner) -> Assessment | None:
    from safebase.web.relationships.services import as_partner

    return (
        as_partner(user, Assessment)
        .filter(
            owner=partner,
            status=Assessment.Status.COMPLETE,
            instrument_id__in=dimensional_instrument_ids(),
        )
        .exclude(style="")
        .order_by("-completed_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class Point:
    who: str
    result: Assessment
    profile: Profile
    style: Style
    title: str


@dataclass(frozen=True)
class PairPlane:
    me: Point | None
    them: Point | None
    chart: str | None  # both points on one plane (same axes), else None
    reading: PairReading | None


def _point(who: str, result: Assessment) -> Point | None:
    inst = result.instrument
    profile = build_profile(inst, result.scored())
    if profile.style is None:
        return None
    return Point(who, result, profile, profile.style, DESCRIPTIONS[profile.style].title)


def _same_axes(a: Point, b: Point) -> bool:
    """Two results share a plane when their scales run over the same range with the same
    cut-offs; otherwise one point would sit on axes that are not its own."""

    def axes(p: Point):
        inst = p.result.instrument
        rng = p.result.scored().response_range
        scorer = scorer_for(inst, rng)
        return (
            scorer.bounds(inst.scale(p.profile.avoidance.scale_id)),
            scorer.bounds(inst.scale(p.profile.anxiety.scale_id)),
            p.profile.avoidance.cutoff,
            p.profile.anxiety.cutoff,
            p.profile.positive_is_secure,
        )

    return axes(a) == axes(b)


def pair_plane(user, partner, my_name: str, their_name: str) -> PairPlane:
    mine = my_shared_result(user)
    theirs = partners_result(user, partner)
    me = _point(my_name, mine) if mine else None
    them = _point(their_name, theirs) if theirs else None
    if me is None or them is None:
        return PairPlane(me, them, None, None)
    chart = None
    if _same_axes(me, them):
        chart = charts.pair_plane(
            me.result.instrument,
            me.profile,
            [(me.who, me.profile), (them.who, them.profile)],
        )
    return PairPlane(me, them, chart, read_pair(me.style, them.style))
