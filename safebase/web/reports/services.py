"""A person's report: their finished results in a period, with every number taken from the
services the result and history pages use (stored scores, the chosen reference sample, bands,
reliable change), handed as plain data to ``safebase.reports.pdf``.

``report_pdf`` is the one entry point: the person's own report calls it with their own results;
the therapist side will call it with a client's consented results. It keeps only the finished
results of ``person`` inside the period, whatever it is given, so a caller's slip cannot put
another person's numbers into someone's report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from itertools import pairwise

from django.utils import timezone
from django.utils.formats import date_format

from safebase.core.change import Verdict, compare
from safebase.core.instrument import Instrument, get_instrument
from safebase.core.norms import chosen_or_default
from safebase.core.profile import Profile, build_profile
from safebase.core.styles import DESCRIPTIONS, NOT_A_DIAGNOSIS, Style
from safebase.reports.pdf import (
    ChangeRow,
    Chart,
    PracticeCounts,
    ReportData,
    ScoreRow,
    Section,
    build_pdf,
)
from safebase.web import access
from safebase.web.assessments import services as assessments
from safebase.web.assessments.models import Assessment
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry
from safebase.web.reports import charts

METHOD_NOTES = (
    "No.: each questionnaire's results in the period, numbered in time order (1 = first); the "
    "plane and the reliable-change table use the same numbers.",
    "Scores are those computed when each questionnaire was finished, from the answers and the "
    "scoring key of the instrument named under each section (its source is cited there).",
    "Percentile: the share of the reference sample scoring lower, counting half of those with "
    "the same score. 95% band: score ± 1.96 × SEM, with SEM = SD × √(1 − r). The reference "
    "sample, its size, SD and reliability r are named under each section.",
    "Reliable change (Jacobson & Truax, 1991): RCI = (after − before) / (√2 × SEM). |RCI| > 1.96 "
    "means a change this large is unlikely to be measurement error alone (p < .05); it does not "
    "say why the score changed. Jacobson, N. S., & Truax, P. (1991). Clinical significance: A "
    "statistical approach to defining meaningful change in psychotherapy research. Journal of "
    "Consulting and Clinical Psychology, 59(1), 12–19.",
)
PRACTICE_NOTE = (
    "Counts of the person's own records in safebase in this period. Practice is reflection, not "
    "a measure; journal and note text is never part of a report."
)


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def in_period(moment: datetime | None, start: date | None, end: date | None) -> bool:
    """Whether a moment falls on a day of the period, both ends included, in the current time
    zone (the person's, on the web)."""
    if moment is None:
        return False
    day = _local_day(moment)
    return (start is None or day >= start) and (end is None or day <= end)


def _period_filter(start: date | None, end: date | None, field: str) -> dict[str, date]:
    """Queryset filter by local calendar day; ``__date`` works in the current time zone and,
    unlike adding a day to ``end``, cannot overflow at 31 December 9999."""
    found = {}
    if start is not None:
        found[f"{field}__date__gte"] = start
    if end is not None:
        found[f"{field}__date__lte"] = end
    return found


def own_results(owner, start: date | None = None, end: date | None = None):
    """The person's own finished results in the period, oldest first."""
    return assessments.completed_for(owner).filter(**_period_filter(start, end, "completed_at"))


def practice_counts(owner, start: date | None = None, end: date | None = None) -> PracticeCounts:
    """How many check-ins, exercises and journal entries the person kept in the period: counted
    in the database, so no text is read, let alone decrypted."""
    window = _period_filter(start, end, "created_at")
    return PracticeCounts(
        checkins=access.own(owner, CheckIn).filter(**window).count(),
        exercises=access.own(owner, ExerciseRecord).filter(**window).count(),
        journal_entries=access.own(owner, JournalEntry).filter(**window).count(),
    )


def describe_period(start: date | None, end: date | None) -> str:
    def day(d: date) -> str:
        return date_format(d, "j F Y")

    if start is None and end is None:
        return "all results to date"
    if start is None:
        return f"up to {day(end)}"  # type: ignore[arg-type]
    if end is None:
        return f"from {day(start)}"
    return f"{day(start)} – {day(end)}"


def _when(a: Assessment) -> str:
    return date_format(timezone.localtime(a.completed_at), "j M Y H:i")


def _reference(owner, inst: Instrument, choices: dict[str, str] | None):
    """The person's own choice of reference sample, or the choices given (a practice's, for
    its clients' reports)."""
    if choices is None:
        return assessments.reference_for(owner, inst)
    return chosen_or_default(inst, choices.get(inst.id))


def _profile(owner, inst: Instrument, a: Assessment, choices=None) -> Profile | None:
    if inst.profile is None:
        return None
    return build_profile(inst, a.scored(), reference=_reference(owner, inst, choices))


def _pattern(inst: Instrument, a: Assessment) -> str | None:
    choice = inst.choice_text(a.scores.get("forced_choice"))
    if choice:
        return f"own choice {choice}"
    if a.style:
        try:
            return DESCRIPTIONS[Style(a.style)].title
        except ValueError:
            return a.style
    return None


def _section(owner, inst: Instrument, rows: list[Assessment], choices=None) -> Section:
    labels = {a.pk: str(n) for n, a in enumerate(rows, start=1)}  # 1 = first in the period
    scores: list[ScoreRow] = []
    sources: dict[str, None] = {}
    patterns: list[tuple[str, str]] = []
    profiles: dict[int, Profile | None] = {}
    for a in rows:
        scored = a.scored()
        profile = profiles[a.pk] = _profile(owner, inst, a, choices)
        dims = {d.scale_id: d for d in (profile.anxiety, profile.avoidance)} if profile else {}
        for d in dims.values():
            sources.update(dict.fromkeys(d.notes))
        for s in scored.scales.values():
            if inst.scale(s.scale_id).method == "choice":
                continue  # a chosen paragraph, shown in words below
            d = dims.get(s.scale_id)
            scores.append(
                ScoreRow(
                    result=labels[a.pk],
                    date=_when(a),
                    scale=s.name,
                    score=s.value,
                    band=d.band if d else None,
                    percentile=d.percentile if d else None,
                    note="" if s.value is not None else (s.reason or "no score"),
                )
            )
        if (pattern := _pattern(inst, a)) is not None:
            patterns.append((labels[a.pk], pattern))
    if any(p is not None for p in profiles.values()):
        rule = next(p for p in profiles.values() if p is not None).cutoff_rule
        sources[f"Pattern: where the point falls relative to the cut-off ({rule})."] = None
    changes: list[ChangeRow] = []
    pairs = list(pairwise(rows))
    if len(rows) > 2:
        pairs.append((rows[0], rows[-1]))  # the period as a whole
    for before, after in pairs:
        pair = f"{labels[before.pk]} → {labels[after.pk]}"
        reference = _reference(owner, inst, choices)
        for c in compare(inst, before.scored(), after.scored(), reference):
            verdict = f"{c.verdict.value} — {c.explanation}"
            if c.basis:
                sources[f"Reliable change, {c.name}: {c.basis}."] = None
            if c.verdict is Verdict.UNAVAILABLE:  # the reason once, below, not on every row
                verdict = c.verdict.value
                sources[f"Reliable change not available ({c.name}): {c.reason}."] = None
            changes.append(
                ChangeRow(
                    pair, c.name or c.scale_id, c.before, c.after, c.difference, c.rci, verdict
                )
            )
    return Section(
        title=inst.name,
        kind_note=inst.kind_note,
        citation=inst.spec.citation,
        charts=_charts(inst, rows, profiles, labels),
        scores=scores,
        changes=changes,
        sources=list(sources),
        patterns=patterns,
    )


def _charts(inst: Instrument, rows, profiles, labels) -> list[Chart]:
    out: list[Chart] = []
    latest = profiles[rows[-1].pk]
    if inst.profile is not None and latest is not None:
        anx, avo = inst.profile.anxiety, inst.profile.avoidance
        points = [
            (labels[a.pk], a.scores.get(anx), a.scores.get(avo))
            for a in rows
            if a.scores.get(anx) is not None and a.scores.get(avo) is not None
        ]
        if points:
            out.append(charts.plane_chart(inst, latest, points))
        shown = [anx, avo]
    else:
        shown = [s.id for s in inst.scales if s.method != "choice"]
    series = {
        sid: [
            (timezone.localtime(a.completed_at), a.scores[sid])
            for a in rows
            if a.scores.get(sid) is not None
        ]
        for sid in shown
    }
    over_time = charts.over_time_chart(inst, series)
    if over_time is not None:
        out.append(over_time)
    return out


def report_pdf(
    *,
    person,
    results: Iterable[Assessment],
    start: date | None = None,
    end: date | None = None,
    practice: PracticeCounts | None = None,
    made_at: datetime | None = None,
    choices: dict[str, str] | None = None,
) -> bytes:
    """The PDF of ``person``'s finished ``results`` from ``start`` to ``end`` (local calendar
    days, both included; None is open), with the practice counts when given (shared)."""
    kept = sorted(
        (
            a
            for a in results
            if a.owner_id == person.pk
            and a.status == Assessment.Status.COMPLETE
            and in_period(a.completed_at, start, end)
        ),
        key=lambda a: (a.completed_at, a.pk),
    )
    sections = []
    for inst_id in dict.fromkeys(a.instrument_id for a in kept):
        inst = get_instrument(inst_id)
        rows = [a for a in kept if a.instrument_id == inst_id]
        sections.append(_section(person, inst, rows, choices))
    made_at = made_at or timezone.now()
    data = ReportData(
        person=person.get_full_name() or person.get_username(),
        period=describe_period(start, end),
        generated=date_format(timezone.localtime(made_at), "j F Y H:i"),
        not_a_diagnosis=NOT_A_DIAGNOSIS,
        sections=sections,
        practice=practice,
        practice_note=PRACTICE_NOTE if practice is not None else "",
        method_notes=METHOD_NOTES,
    )
    return build_pdf(data)


def own_report(*, owner, start: date | None, end: date | None, include_practice: bool) -> bytes:
    """The person's own report: all their own results of the period."""
    practice = practice_counts(owner, start, end) if include_practice else None
    return report_pdf(
        person=owner,
        results=own_results(owner, start, end),
        start=start,
        end=end,
        practice=practice,
    )


def filename(today: date | None = None) -> str:
    return f"safebase-report-{(today or timezone.localdate()).isoformat()}.pdf"
