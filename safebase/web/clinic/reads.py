"""What a therapist's pages show, assembled in a fixed number of queries whatever the caseload.

The caseload page reads all active records, the count and newest id of each client's shares,
their reference-sample choices and the assignments: four queries for 3 clients or 300 (plus one
insert for the audit log). Each row's result cells (reliable change, trend) are kept with the
client record and drawn again only when what they depend on changed (``caseload_page``); the
full computation (``caseload``) is pure Python over all shared results. Every
item comes through the access policy, so what the client did not share is never fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property

from django.utils import timezone
from django.utils.translation import get_language

from safebase.core.change import ScaleChange, Verdict, compare
from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument, get_instrument
from safebase.core.norms import ReferenceSample, chosen_or_default, reference_samples_for
from safebase.core.practice import safety
from safebase.core.practice.emotions import family_of
from safebase.core.practice.exercises import get_exercise
from safebase.core.scoring import ResponseRange, default_range
from safebase.web.accounts.models import Preferences
from safebase.web.assessments.models import Assessment
from safebase.web.clinic import services
from safebase.web.clinic.models import Assignment, ClientRecord
from safebase.web.relationships import shareable
from safebase.web.relationships.models import Share

# The columns a list needs: never the cached charts (tens of kB per result).
RESULT_FIELDS = (
    "id",
    "owner_id",
    "instrument_id",
    "status",
    "answers",
    "scores",
    "response_low",
    "response_high",
    "completed_at",
    "style",
)


@dataclass(frozen=True, slots=True)
class SharedResult:
    """The columns of a shared result the caseload shows, read as plain tuples: a caseload of
    200 clients holds 2,000 results, and building 2,000 model instances (with deferred fields)
    was a third of the page's time. It needs no answers: change is computed from the stored
    scores (``StoredScores``)."""

    pk: int
    owner_id: int
    instrument_id: str
    scores: dict
    completed_at: datetime
    response_low: int | None
    response_high: int | None

    @property
    def instrument(self) -> Instrument:
        return get_instrument(self.instrument_id)

    @property
    def response_range(self) -> ResponseRange | None:
        if self.response_low is None or self.response_high is None:
            return None
        return ResponseRange(self.response_low, self.response_high)


# SharedResult's fields in order, as columns.
SHARED_RESULT_COLUMNS = (
    "id",
    "owner_id",
    "instrument_id",
    "scores",
    "completed_at",
    "response_low",
    "response_high",
)
# A result as the therapist's pages read it: a model instance, or the caseload's light row.
Result = Assessment | SharedResult


@dataclass(frozen=True)
class StoredScores:
    """A completed result's scores as stored at completion: what ``Assessment.scored()`` gives
    ``compare`` (it reads only ``value`` and ``response_range``), without re-validating and
    re-scoring the answers, which cost ~0.1 ms per result and dominated a 200-client caseload.
    The one difference: a scale added to the questionnaire file after a result was completed
    has no stored score, so change on it is "not available" rather than re-scored."""

    scores: dict
    response_range: ResponseRange

    def value(self, scale_id: str) -> float | None:
        return self.scores.get(scale_id)


def stored_scores(a: Result) -> StoredScores:
    return StoredScores(a.scores, a.response_range or default_range(a.instrument))


def _reference(choices: dict[str, str], inst: Instrument) -> ReferenceSample | None:
    """The sample the clinic compares with (``services.clinic_choices``), from choices
    already fetched."""
    return chosen_or_default(inst, choices.get(inst.id))


def _choices_by_person(person_ids) -> dict[int, dict[str, str]]:
    rows = Preferences.objects.filter(user_id__in=person_ids).values_list(
        "user_id", "reference_samples"
    )
    practice = services.practice_references()
    found = {pid: {**(choices or {}), **practice} for pid, choices in rows}
    return {pid: found.get(pid, dict(practice)) for pid in person_ids}


@dataclass(frozen=True)
class Flag:
    """A reliable-change verdict against one earlier result, or why there is none."""

    against: str  # "intake" or "last session"
    before: Result | None
    changes: tuple[ScaleChange, ...]
    reason: str = ""

    @property
    def shared_unavailable_reason(self) -> str:
        """The one reason no scale has a verdict, when every scale misses it for that reason:
        said once for the row instead of once per scale."""
        reasons = {c.reason for c in self.changes if c.verdict == Verdict.UNAVAILABLE}
        if len(reasons) == 1 and len(self.changes) == sum(
            c.verdict == Verdict.UNAVAILABLE for c in self.changes
        ):
            return reasons.pop()
        return ""

    @property
    def reliable(self) -> list[ScaleChange]:
        return [c for c in self.changes if c.verdict in (Verdict.IMPROVED, Verdict.DETERIORATED)]


@dataclass
class Series:
    """One questionnaire's shared results for one client, oldest first."""

    inst: Instrument
    results: list[Result]
    reference: ReferenceSample | None

    @property
    def last(self) -> Result:
        return self.results[-1]

    def trend(self) -> list[tuple[str, list[float]]]:
        """Per scale, the values over time (for the small trend line and its table)."""
        out = []
        for scale in self.inst.scales:
            if scale.method == "choice":
                continue
            values = [a.scores.get(scale.id) for a in self.results]
            out.append((scale.name, [v for v in values if v is not None]))
        return out

    def sparklines(self) -> list[dict]:
        """Per scale, an SVG polyline (80 × 20, the response range top to bottom) and values."""
        low, high = self.inst.response.low, self.inst.response.high
        lines = []
        for name, values in self.trend():
            if not values:
                continue
            step = 80 / max(len(values) - 1, 1)
            points = " ".join(
                f"{i * step:.1f},{20 - 20 * (v - low) / max(high - low, 1):.1f}"
                for i, v in enumerate(values)
            )
            # Two decimals, like every score the pages show: a screen reader reads these aloud.
            rounded = [round(v, 2) for v in values]
            lines.append({"name": name, "values": rounded, "points": points})
        return lines

    def change(self, before: Result | None, against: str) -> Flag:
        if before is None or before.pk == self.last.pk:
            why = "only one shared result" if against == "intake" else "no earlier shared result"
            return Flag(against, None, (), f"not available: {why}")
        changes = compare(
            self.inst,
            stored_scores(before),  # type: ignore[arg-type]
            stored_scores(self.last),  # type: ignore[arg-type]
            self.reference,
        )
        return Flag(against, before, tuple(changes))

    def at_or_before(self, day: date | None) -> Result | None:
        """The latest result on or before ``day`` (the session), else the one before the last."""
        if day is None:
            return self.results[-2] if len(self.results) > 1 else None
        # Before the next local midnight, i.e. on or before ``day`` in local time: one time-zone
        # conversion per client rather than one per result (the caseload does this 200 times).
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        earlier = [a for a in self.results if a.completed_at < end]
        return earlier[-1] if earlier else None


@dataclass
class CaseloadRow:
    record: ClientRecord
    series: list[Series] = field(default_factory=list)
    assignments: list[tuple[Assignment, str]] = field(default_factory=list)

    @cached_property
    def latest(self) -> Series | None:
        return max(self.series, key=lambda s: s.last.completed_at, default=None)

    @property
    def pending(self) -> list[tuple[Assignment, str]]:
        return [(a, s) for a, s in self.assignments if s in ("due", "upcoming")]

    @property
    def overdue(self) -> list[tuple[Assignment, str]]:
        return [(a, s) for a, s in self.assignments if s == "overdue"]

    def flags(self) -> list[Flag]:
        return self._flags

    @cached_property
    def _flags(self) -> list[Flag]:
        s = self.latest
        if s is None:
            return []
        return [
            s.change(s.results[0], "intake"),
            s.change(s.at_or_before(self.record.last_session), "last session"),
        ]


def _series(results: list[Result], choices: dict[str, str]) -> list[Series]:
    by_inst: dict[str, list[Result]] = defaultdict(list)
    for a in results:
        by_inst[a.instrument_id].append(a)
    out = []
    for items in by_inst.values():
        inst = items[-1].instrument
        out.append(Series(inst, items, _reference(choices, inst)))
    return sorted(out, key=lambda s: s.last.completed_at, reverse=True)


def caseload(therapist, today: date | None = None) -> list[CaseloadRow]:
    """Every active client with their shared results, trend, change flags and assignments; the
    read is logged for each client whose results were shown."""
    today = today or timezone.localdate()
    # Only person_id is needed here: no join, no 200 User instances.
    records = list(services.caseload_records(therapist).select_related(None))
    person_ids = [r.person_id for r in records]
    results: dict[int, list[SharedResult]] = defaultdict(list)
    query = (
        _shared_results(therapist)
        .filter(owner_id__in=person_ids)
        .order_by("completed_at", "id")
        .values_list(*SHARED_RESULT_COLUMNS)
    )
    for row in query:
        a = SharedResult(*row)
        results[a.owner_id].append(a)
    choices = _choices_by_person(person_ids)
    assigned: dict[int, list[tuple[Assignment, str]]] = defaultdict(list)
    for a in Assignment.objects.filter(record__in=[r.pk for r in records]).exclude(next_due=None):
        assigned[a.record_id].append((a, services.assignment_state(a, today)))
    rows = [
        CaseloadRow(r, _series(results[r.person_id], choices.get(r.person_id, {})), assigned[r.pk])
        for r in records
    ]
    services.log_reads(
        therapist,
        [
            (r.person_id, f"caseload: {len(results[r.person_id])} shared results")
            for r in records
            if results[r.person_id]
        ],
    )
    return sorted(rows, key=lambda row: (row.record.display_name.lower(), row.record.pk))


@dataclass(frozen=True)
class CaseloadLine:
    """One caseload row as the page draws it: the record (name), the stored result cells, and
    the assignments, whose state depends on today and is drawn live."""

    record: ClientRecord
    cells: str
    assignments: list[tuple[Assignment, str]]


# Bump when the cells' markup or the numbers in them change meaning.
CASELOAD_CELLS_VERSION = "2"


@cache
def _content_fingerprint() -> str:
    """What the cells depend on in the data files: every instrument's version and every
    reference sample's id (a changed file redraws every row)."""
    from safebase.core.instrument import all_instruments

    parts = []
    for inst in sorted(all_instruments().values(), key=lambda i: i.id):
        samples = ",".join(s.id for s in reference_samples_for(inst.id))
        parts.append(f"{inst.id}:{inst.version}:{samples}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _cells_key(record: ClientRecord, shares: tuple[int, int], choices: dict[str, str]) -> str:
    """Everything the stored cells were drawn from. Share ids only grow, so (count, largest id)
    changes with every share, unshare and deleted result."""
    return "|".join(
        (
            CASELOAD_CELLS_VERSION,
            _content_fingerprint(),
            f"{shares[0]}:{shares[1]}",
            str(record.last_session),
            json.dumps(choices, sort_keys=True),
            timezone.get_current_timezone_name(),
            get_language() or "",
        )
    )


CASELOAD_PAGE_SIZE = 25


def caseload_order(therapist) -> list[int]:
    """The ids of the therapist's active records in the caseload's order: by name, then id.

    Names are encrypted at rest, so the database cannot sort them: this reads only ids and
    names (200 names decrypt in about a millisecond) so that a page can then load just its own
    rows."""
    named = (
        services.caseload_records(therapist).select_related(None).values_list("pk", "display_name")
    )
    return [pk for pk, _ in sorted(named, key=lambda r: (r[1].lower(), r[0]))]


def caseload_page(
    therapist, today: date | None = None, only: list[int] | None = None
) -> list[CaseloadLine]:
    """The caseload as the page shows it (all active records, or the ids in ``only``), in a
    fixed number of queries. Rows whose key still matches come from their stored cells; only
    changed rows are scored and drawn again, from exactly what ``caseload`` computes (a test
    compares the two pages). Only the rows returned are logged as read."""
    from django.db.models import Count, Max

    from safebase.web.clinic.caseload_rows import result_cells

    today = today or timezone.localdate()
    chosen = services.caseload_records(therapist).select_related(None)
    if only is not None:
        chosen = chosen.filter(pk__in=only)
    records = list(chosen)
    person_ids = [r.person_id for r in records]
    counts = {
        owner_id: (n, top)
        for owner_id, n, top in Share.objects.filter(
            audience=therapist,
            kind="result",
            purpose=Share.Purpose.THERAPIST,
            owner_id__in=person_ids,
        )
        .values_list("owner_id")
        .annotate(n=Count("id"), top=Max("id"))
    }
    choices = _choices_by_person(person_ids)
    keys = {
        r.pk: _cells_key(r, counts.get(r.person_id, (0, 0)), choices.get(r.person_id, {}))
        for r in records
    }
    stale = [r for r in records if r.caseload_cells.get("key") != keys[r.pk]]
    if stale:
        results: dict[int, list[SharedResult]] = defaultdict(list)
        query = (
            _shared_results(therapist)
            .filter(owner_id__in=[r.person_id for r in stale])
            .order_by("completed_at", "id")
            .values_list(*SHARED_RESULT_COLUMNS)
        )
        for row in query:
            a = SharedResult(*row)
            results[a.owner_id].append(a)
        for r in stale:
            row = CaseloadRow(r, _series(results[r.person_id], choices.get(r.person_id, {})))
            r.caseload_cells = {"key": keys[r.pk], "html": result_cells(row)}
        ClientRecord.objects.bulk_update(stale, ["caseload_cells"], batch_size=500)
    assigned: dict[int, list[tuple[Assignment, str]]] = defaultdict(list)
    for a in Assignment.objects.filter(record__in=[r.pk for r in records]).exclude(next_due=None):
        assigned[a.record_id].append((a, services.assignment_state(a, today)))
    services.log_reads(
        therapist,
        [
            (r.person_id, f"caseload: {counts[r.person_id][0]} shared results")
            for r in records
            if r.person_id in counts
        ],
    )
    lines = [CaseloadLine(r, r.caseload_cells["html"], assigned[r.pk]) for r in records]
    return sorted(lines, key=lambda line: (line.record.display_name.lower(), line.record.pk))


def _shared_results(therapist):
    return services.as_therapist(therapist, Assessment).filter(status=Assessment.Status.COMPLETE)


@dataclass
class SharedText:
    kind: str
    label: str
    obj: object
    when: datetime
    text: str
    flagged: bool


@dataclass
class SinceSession:
    record: ClientRecord
    since: date | None
    series: list[Series]
    new_results: list[tuple[Assessment, Flag]]
    checkins: int
    families: dict[str, int]
    intensity_by_day: list[tuple[date, float]]
    entries: list[SharedText]
    exercises: list[tuple[str, int]]
    assignments: list[tuple[Assignment, str]]

    @property
    def flagged(self) -> list[SharedText]:
        return [e for e in self.entries if e.flagged]


def _after(qs, since: date | None, field_name: str):
    if since is None:
        return qs
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    return qs.filter(**{f"{field_name}__gte": start})


def since_session(therapist, record: ClientRecord, since: date | None) -> SinceSession:
    """Everything the client shared since ``since`` (default: everything shared): results with
    change against the previous shared result, the check-in summary, shared entries with their
    safety-screen flags, and exercises done. Unshared items are never fetched, so their text is
    never screened or shown."""
    results = list(services.consented_results(therapist, record).only(*RESULT_FIELDS))
    choices = _choices_by_person([record.person_id]).get(record.person_id, {})
    series = _series(results, choices)
    new: list[tuple[Assessment, Flag]] = []
    for s in series:
        for i, a in enumerate(s.results):
            if since is None or timezone.localdate(a.completed_at) >= since:
                before = s.results[i - 1] if i else None
                sub = Series(s.inst, s.results[: i + 1], s.reference)
                new.append((a, sub.change(before, "previous")))
    new.sort(key=lambda pair: pair[0].completed_at, reverse=True)

    # The kinds this client shared with the therapist at all: a kind with nothing shared is not
    # queried (the access rule still decides every item of a kind that is).
    kinds = set(
        Share.objects.filter(
            audience=therapist, purpose=Share.Purpose.THERAPIST, owner_id=record.person_id
        )
        .values_list("kind", flat=True)
        .distinct()
    )

    def shared(kind: str):
        if kind not in kinds:
            return []
        return _after(services.consented_items(therapist, record, kind), since, "created_at")

    checkins = list(shared("checkin"))
    families = Counter(c.family or family_of(c.emotion) or "other" for c in checkins)
    by_day: dict[date, list[int]] = defaultdict(list)
    for c in checkins:
        by_day[timezone.localdate(c.created_at)].append(c.intensity)
    intensity = [(d, sum(v) / len(v)) for d, v in sorted(by_day.items())]

    entries: list[SharedText] = []
    for kind in ("journal", "trigger", "checkin"):
        items = checkins if kind == "checkin" else shared(kind)
        for obj in items:
            text = shareable.text_of(obj)
            if kind == "checkin" and not text:
                continue
            entries.append(
                SharedText(
                    kind,
                    shareable.LABELS[kind],
                    obj,
                    obj.created_at,
                    text,
                    safety.screen_text(text).risk if text else False,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)

    done = Counter(r.exercise_id for r in shared("exercise"))
    exercises = []
    for ex_id, n in done.most_common():
        try:
            title = get_exercise(ex_id).title
        except SafebaseError:  # an exercise retired from the library keeps its id
            title = ex_id
        exercises.append((title, n))
    today = timezone.localdate()
    assignments = [
        (a, services.assignment_state(a, today))
        for a in Assignment.objects.filter(record=record).exclude(next_due=None)
    ]
    summary = SinceSession(
        record,
        since,
        series,
        new,
        len(checkins),
        dict(families.most_common()),
        intensity,
        entries,
        exercises,
        assignments,
    )
    services.log_reads(
        therapist,
        [
            (
                record.person_id,
                f"since {since.isoformat() if since else 'the start'}: {len(new)} results, "
                f"{len(checkins)} check-ins, {len(entries)} entries, "
                f"{sum(done.values())} exercises",
            )
        ],
    )
    return summary
