"""Reference samples: the statistics of a real sample that a person's scores are compared with.

A reference sample is a data file in ``safebase/norms/`` (one file per sample, next to the
instruments), built by ``safebase norms build`` from real answers and checked by a schema on load.
It holds derived statistics only, never the rows: per scale the number of people with a score, the
mean and SD, Cronbach's alpha and McDonald's omega total (on the rows complete on that scale's
items), and a percentile table (each observed score with its count). It says who the people were
(``label``), where the answers came from (``source``), how the scores were formed and when it was
built. An instrument may have several reference samples; its first (by file name) is the default.

safebase's conventions, stated wherever the numbers are shown:

* percentile rank of a score x = 100 · (number in the sample below x + ½ · number at x) / N, read
  from the sample's own table rather than from a normal curve (attachment scores are skewed);
* the reliability behind the standard error of measurement and the reliable change index is a
  cited *observed* test–retest correlation from the instrument file when there is one for the
  scale, otherwise the sample's internal consistency (Cronbach's alpha); the choice is labelled.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from safebase.core.datafile import load_toml_model
from safebase.core.errors import InstrumentFileError, SafebaseError
from safebase.core.instrument import Instrument, get_instrument

SCORE_DECIMALS = 6  # scores in the percentile table are rounded to this many decimals
_TOLERANCE = 0.5 * 10.0**-SCORE_DECIMALS
ALPHA_ROWS = "rows complete on the scale's items"


class UnknownReferenceSampleError(SafebaseError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleReliability(_Strict):
    """Internal consistency in the sample; ``rows`` says which rows it was computed on."""

    rows: str = ALPHA_ROWS
    n_complete: int = Field(ge=0)
    alpha: float | None = Field(default=None, le=1)
    omega_total: float | None = Field(default=None, le=1)


class ReferenceScale(_Strict):
    scale: str
    n: int = Field(gt=1)
    mean: float
    sd: float = Field(gt=0)
    reliability: ScaleReliability
    # (score, count, percentile rank) per observed score, ascending.
    percentile_table: list[tuple[float, int, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ReferenceScale:
        scores = [row[0] for row in self.percentile_table]
        if any(b <= a for a, b in pairwise(scores)):
            raise ValueError("percentile_table: scores must be strictly ascending")
        counts = [row[1] for row in self.percentile_table]
        if min(counts) < 1:
            raise ValueError("percentile_table: every count must be at least 1")
        if sum(counts) != self.n:
            raise ValueError(f"percentile_table: counts add up to {sum(counts)}, not n = {self.n}")
        below = 0
        for score, count, rank in self.percentile_table:
            expected = 100.0 * (below + count / 2) / self.n
            if abs(rank - expected) > 0.0051:
                raise ValueError(f"percentile_table: rank {rank} at {score} should be {expected}")
            below += count
        # The table's scores are rounded to SCORE_DECIMALS, so mean and SD agree to about that.
        values = np.array(scores)
        weights = np.array(counts, dtype=np.float64)
        mean = float(values @ weights / self.n)
        sd = math.sqrt(float(((values - mean) ** 2) @ weights) / (self.n - 1))
        if abs(mean - self.mean) > 1e-5 or abs(sd - self.sd) > 1e-4:
            raise ValueError(
                f"mean {self.mean} / sd {self.sd} disagree with the percentile table "
                f"({mean:.6f} / {sd:.6f})"
            )
        return self

    def percentile_rank(self, score: float) -> float:
        """100 · (number below + ½ · number at the score) / N, from the table."""
        below = 0
        for value, count, _rank in self.percentile_table:
            if value < score - _TOLERANCE:
                below += count
            elif abs(value - score) <= _TOLERANCE:
                return 100.0 * (below + count / 2) / self.n
            else:
                break
        return 100.0 * below / self.n


class InputFacts(_Strict):
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    rows_read: int = Field(ge=0)
    rows_scored: int = Field(ge=0)
    invalid_cells_counted_missing: int = Field(ge=0)


class ReferenceSample(_Strict):
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    instrument: str
    label: str = Field(min_length=10)
    source: str = Field(min_length=10)
    response_range: tuple[int, int]
    built: date
    built_with: str
    scoring: str = Field(min_length=10)
    input: InputFacts
    scales: list[ReferenceScale] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ReferenceSample:
        ids = [s.scale for s in self.scales]
        if len(set(ids)) != len(ids):
            raise ValueError("scales: a scale appears twice")
        return self

    def scale(self, scale_id: str) -> ReferenceScale | None:
        return next((s for s in self.scales if s.scale == scale_id), None)

    def describe(self, scale_id: str | None = None) -> str:
        """The label and size, as shown next to every number taken from the sample."""
        sc = self.scale(scale_id) if scale_id else None
        size = f"N = {sc.n:,}" if sc else f"{self.input.rows_scored:,} people"
        return f"{self.label} ({size}; built {self.built.isoformat()})"


# ---------------------------------------------------------------------------------------------
# Loading


def norms_dir() -> Path:
    return Path(str(resources.files("safebase") / "norms"))


def check_against_instrument(sample: ReferenceSample, inst: Instrument, name: str) -> None:
    """A sample's scales must be scored scales of its instrument; errors name the file."""
    known = {s.id: s for s in inst.scales}
    for sc in sample.scales:
        spec = known.get(sc.scale)
        if spec is None:
            raise InstrumentFileError(f"{name}: scales.scale: {inst.id} has no scale '{sc.scale}'")
        if spec.method == "choice":
            raise InstrumentFileError(
                f"{name}: scales.scale: '{sc.scale}' is a choice, not a score"
            )
    low, high = sample.response_range
    if low >= high:
        raise InstrumentFileError(f"{name}: field 'response_range': LO must be smaller than HI")


def load_reference_file(path: Path) -> ReferenceSample:
    """Read and validate one reference-sample file against the schema and its instrument."""
    sample = load_toml_model(path, ReferenceSample)
    try:
        inst = get_instrument(sample.instrument)
    except SafebaseError as exc:
        raise InstrumentFileError(f"{path.name}: field 'instrument': {exc}") from None
    check_against_instrument(sample, inst, path.name)
    return sample


@cache
def all_reference_samples() -> dict[str, ReferenceSample]:
    """Every shipped reference sample by id, in file-name order, loaded once per process."""
    return {s.id: s for s in map(load_reference_file, sorted(norms_dir().glob("*.toml")))}


def reference_samples_for(
    instrument_id: str, response_range: tuple[int, int] | None = None
) -> list[ReferenceSample]:
    """The instrument's reference samples (those collected on ``response_range`` when given)."""
    return [
        s
        for s in all_reference_samples().values()
        if s.instrument == instrument_id
        and (response_range is None or tuple(s.response_range) == tuple(response_range))
    ]


def default_reference_sample(instrument: Instrument) -> ReferenceSample | None:
    """The instrument's first reference sample on its own response range, or None."""
    own = (instrument.response.low, instrument.response.high)
    found = reference_samples_for(instrument.id, own)
    return found[0] if found else None


def chosen_or_default(instrument: Instrument, chosen: str | None) -> ReferenceSample | None:
    """The sample ``chosen`` (by a person, or by a practice for its clients) when it is one of
    the instrument's, else the instrument's default: one rule for every page and report."""
    for sample in reference_samples_for(instrument.id):
        if sample.id == chosen:
            return sample
    return default_reference_sample(instrument)


def get_reference_sample(sample_id: str) -> ReferenceSample:
    try:
        return all_reference_samples()[sample_id]
    except KeyError:
        known = ", ".join(sorted(all_reference_samples())) or "none"
        raise UnknownReferenceSampleError(
            f"unknown reference sample '{sample_id}'; known: {known}"
        ) from None


# ---------------------------------------------------------------------------------------------
# Which reliability a standard error of measurement uses


@dataclass(frozen=True)
class ReliabilityChoice:
    value: float
    kind: Literal["test-retest", "internal consistency"]
    description: str


def reliability_for(
    inst: Instrument, scale_id: str, reference: ReferenceSample | None
) -> ReliabilityChoice | None:
    """A cited observed test–retest correlation for the scale, else the reference sample's alpha.

    A test–retest correlation is preferred when cited: it also counts day-to-day fluctuation as
    error, so it is the more cautious choice. Internal consistency is the accepted alternative when
    no retest figure exists (Jacobson & Truax, 1991, use a reliability of the measure; the choice
    and its source are shown with every verdict)."""
    retest = inst.test_retest(scale_id)
    if retest is not None:
        return ReliabilityChoice(
            retest.value,
            "test-retest",
            f"observed test–retest r = {retest.value:.2f} over {retest.interval} ({retest.source})",
        )
    sc = reference.scale(scale_id) if reference else None
    if reference is not None and sc is not None and sc.reliability.alpha is not None:
        rel = sc.reliability
        return ReliabilityChoice(
            rel.alpha,
            "internal consistency",
            f"internal consistency, Cronbach's α = {rel.alpha:.3f} in the reference sample "
            f"({rel.rows}, n = {rel.n_complete:,})",
        )
    return None


# ---------------------------------------------------------------------------------------------
# Building a sample from scored rows (the CLI feeds it chunk by chunk)


class _Running:
    """n, shifted Σx and Σx² (shifted by the first chunk's mean, so the SD keeps its precision),
    and the count of each distinct rounded score."""

    def __init__(self) -> None:
        self.n = 0
        self.shift: float | None = None
        self.total = 0.0
        self.total_sq = 0.0
        self.counts: dict[float, int] = {}

    def add(self, values: np.ndarray) -> None:
        v = values[~np.isnan(values)]
        if not v.size:
            return
        if self.shift is None:
            self.shift = float(v.mean())
        d = v - self.shift
        self.n += int(v.size)
        self.total += float(d.sum())
        self.total_sq += float((d * d).sum())
        keys, counts = np.unique(np.round(v, SCORE_DECIMALS), return_counts=True)
        for k, c in zip(keys.tolist(), counts.tolist(), strict=True):
            self.counts[k] = self.counts.get(k, 0) + c

    def mean_sd(self) -> tuple[float, float]:
        assert self.shift is not None
        m = self.total / self.n
        var = (self.total_sq - self.n * m * m) / (self.n - 1)
        return self.shift + m, math.sqrt(max(var, 0.0))

    def table(self) -> list[tuple[float, int, float]]:
        rows, below = [], 0
        for score in sorted(self.counts):
            c = self.counts[score]
            rows.append((score, c, round(100.0 * (below + c / 2) / self.n, 2)))
            below += c
        return rows


def scoring_rule(inst: Instrument, low: int, high: int) -> str:
    """How the sample's scores were formed, in one sentence (the same rule people are scored by)."""
    fractions = sorted({s.min_answered_fraction for s in inst.scales if s.method == "mean"})
    frac = " or ".join(f"{f:.0%}" for f in fractions) or "all"
    return (
        f"Each scale score is the mean of the scale's answered items on the {low}–{high} range, "
        f"reverse-keyed items scored {low + high} − x, when at least {frac} of its items are "
        f"answered (safebase's missing-data convention); a row with fewer answers has no score "
        f"on that scale and is not counted in its N."
    )


class ReferenceBuilder:
    """Accumulates per-scale statistics over chunks of scores, in bounded memory."""

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self.scale_ids = [s.id for s in instrument.scales if s.method != "choice"]
        self._running = {sid: _Running() for sid in self.scale_ids}

    def add(self, scores: Mapping[str, np.ndarray]) -> None:
        for sid in self.scale_ids:
            self._running[sid].add(np.asarray(scores[sid], dtype=np.float64))

    def finish(
        self,
        *,
        sample_id: str,
        label: str,
        source: str,
        response_range: tuple[int, int],
        built: date,
        built_with: str,
        input_facts: InputFacts,
        reliability: Mapping[str, Mapping[str, object]],
    ) -> ReferenceSample:
        """The sample; ``reliability`` is the batch summary's per-scale alpha/omega/n_complete."""
        scales = []
        for sid in self.scale_ids:
            run = self._running[sid]
            if run.n < 2:
                continue
            mean, sd = run.mean_sd()
            if sd <= 0:
                continue
            rel = reliability.get(sid, {})
            scales.append(
                ReferenceScale(
                    scale=sid,
                    n=run.n,
                    mean=mean,
                    sd=sd,
                    reliability=ScaleReliability(
                        n_complete=int(rel.get("n_complete", 0)),  # type: ignore[call-overload]
                        alpha=rel.get("alpha"),  # type: ignore[arg-type]
                        omega_total=rel.get("omega_total"),  # type: ignore[arg-type]
                    ),
                    percentile_table=run.table(),
                )
            )
        if not scales:
            raise SafebaseError("no scale has at least two scored rows with some spread")
        return ReferenceSample(
            schema_version=1,
            id=sample_id,
            instrument=self.instrument.id,
            label=label,
            source=source,
            response_range=response_range,
            built=built,
            built_with=built_with,
            scoring=scoring_rule(self.instrument, *response_range),
            input=input_facts,
            scales=scales,
        )


# ---------------------------------------------------------------------------------------------
# Writing (TOML, the format of every data file here; tomllib only reads, and the structure is
# small and fixed, so it is written by hand and read back through the schema by the caller)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML cannot hold NaN or infinity")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def to_toml(sample: ReferenceSample) -> str:
    head = sample.model_dump(exclude={"input", "scales"})
    lines = [
        "# A reference sample: derived statistics only, no rows (`safebase norms build`).",
        "# percentile_table rows are [score, count, percentile rank = 100·(below + count/2)/n].",
    ]
    lines += [f"{k} = {_toml_value(v)}" for k, v in head.items() if v is not None]
    lines += ["", "[input]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in sample.input.model_dump().items()]
    for sc in sample.scales:
        lines += ["", "[[scales]]"]
        for k in ("scale", "n", "mean", "sd"):
            lines.append(f"{k} = {_toml_value(getattr(sc, k))}")
        rel = {k: v for k, v in sc.reliability.model_dump().items() if v is not None}
        lines.append(
            "reliability = { " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in rel.items()) + " }"
        )
        lines.append("percentile_table = [")
        lines += [f"  {_toml_value(list(row))}," for row in sc.percentile_table]
        lines.append("]")
    return "\n".join(lines) + "\n"
