"""Questionnaires as data: the schema of an instrument file and its loader.

An instrument is a TOML file in ``safebase/instruments/``. The schema is checked on load so that a
malformed file fails at once with the file and the field named, rather than scoring wrongly later.
Field names follow FHIR Questionnaire where one exists (``number`` ~ ``linkId``, option ``value`` ~
``ordinalValue``). Adding a questionnaire means adding a file, never touching the scorer.

Items answered about several relationship targets (ECR-RS) are expanded on load into concrete items
``{target}_{number}`` and concrete scales ``{target}_{scale}``, so the scorer only ever sees a flat
list of items and scales.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from safebase.core.datafile import load_toml_model
from safebase.core.errors import InstrumentFileError, UnknownInstrumentError

# "derived": safebase's own form built from another instrument's items and real answers (e.g. a
# short form); not a published measure, and its file carries the table that justifies it.
Kind = Literal["validated", "derived", "reflection"]
Method = Literal["mean", "weighted_sum", "choice", "mean_of_scales"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResponseOption(_Strict):
    value: int
    label: str = ""


class ResponseSet(_Strict):
    options: list[ResponseOption] = Field(min_length=2)
    reversible: bool = True

    @property
    def low(self) -> int:
        return min(o.value for o in self.options)

    @property
    def high(self) -> int:
        return max(o.value for o in self.options)

    @model_validator(mode="after")
    def _contiguous(self) -> ResponseSet:
        values = [o.value for o in self.options]
        if values != list(range(values[0], values[0] + len(values))):
            raise ValueError("option values must be consecutive integers in ascending order")
        return self


class ItemSpec(_Strict):
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    label: str = ""
    original_number: int | None = None
    response_set: str | None = None


class ScaleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    dimension: str | None = None
    method: Method = "mean"
    items: list[int] = Field(default_factory=list)
    reverse: list[int] = Field(default_factory=list)
    weights: list[float] | None = None
    per_target: bool = False
    of_scales: list[str] = Field(default_factory=list)
    min_answered_fraction: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScaleSpec:
        if self.method == "mean_of_scales":
            if not self.of_scales or self.items:
                raise ValueError("mean_of_scales needs 'of_scales' and no 'items'")
        elif not self.items:
            raise ValueError("a scale needs at least one item")
        if len(set(self.items)) != len(self.items):
            raise ValueError("an item is listed twice in 'items'")
        if not set(self.reverse) <= set(self.items):
            raise ValueError("'reverse' lists an item that is not in 'items'")
        if self.method == "weighted_sum" and (
            self.weights is None or len(self.weights) != len(self.items)
        ):
            raise ValueError("weighted_sum needs one weight per item")
        return self


# Only an observed correlation between two administrations may feed the reliable change index and
# the confidence band; a latent (error-corrected) stability is recorded for information only.
RetestStatistic = Literal["observed test-retest correlation", "latent stability"]


class TestRetest(_Strict):
    scales: list[str] = Field(min_length=1)
    statistic: RetestStatistic
    value: float = Field(gt=0, lt=1)
    interval: str
    source: str
    note: str = ""


class DerivationRow(_Strict):
    """One scale of a derived form, checked on the held-out test split."""

    scale: str
    source_items: list[int] = Field(min_length=1)  # item numbers in the source instrument
    r_full: float = Field(ge=-1, le=1)  # r with the source instrument's full scale score
    r_full_ci95: tuple[float, float]  # Fisher-z 95% interval of r_full
    r_rest: float = Field(ge=-1, le=1)  # r with the mean of the source items not on this form
    alpha: float = Field(le=1)  # Cronbach's alpha of this form's items (complete rows)
    n: int = Field(gt=0)  # test-split rows with both scores


class Derivation(_Strict):
    """How a derived form was built and checked, so the page and the CLI can show it."""

    source_instrument: str
    data: str
    method: str
    script: str
    split_seed: int
    train_n: int = Field(gt=0)
    validation_n: int = Field(gt=0)
    test_n: int = Field(gt=0)
    criterion: str
    validation: list[DerivationRow] = Field(min_length=1)
    comparisons: list[str] = Field(default_factory=list)


class ProfileSpec(_Strict):
    anxiety: str = "anxiety"
    avoidance: str = "avoidance"
    positive_is_secure: bool = False
    # False where the authors advise against classifying individuals (the RQ): no style label is
    # computed from the dimension scores.
    style_label: bool = True


class Target(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str


class InstrumentFile(_Strict):
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    short_name: str
    # For the person choosing and reading a questionnaire, in plain words: what it is for, and
    # what safebase checked of its wording and scoring (the sources stay in ``provenance``).
    purpose: str = ""
    checked: str = ""
    kind: Kind
    column_prefix: str
    item_order: str
    citation: str = Field(min_length=10)
    licence: str
    instructions: str
    # What each part of the file was checked against, so no wording goes out without its source.
    provenance: str = Field(min_length=20)
    wording: str = ""
    response_set: str
    min_answered_fraction: float = Field(default=0.8, gt=0, le=1)
    response_sets: dict[str, ResponseSet]
    targets: list[Target] = Field(default_factory=list)
    scales: list[ScaleSpec] = Field(min_length=1)
    items: list[ItemSpec] = Field(min_length=1)
    profile: ProfileSpec | None = None
    test_retest: list[TestRetest] = Field(default_factory=list)
    derivation: Derivation | None = None


# ---------------------------------------------------------------------------------------------
# The expanded, ready-to-score instrument.


@dataclass(frozen=True)
class Item:
    key: str  # column suffix and answer key: "7" or "partner_7"
    number: int
    text: str
    label: str
    target: Target | None
    response: ResponseSet
    original_number: int | None


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    dimension: str | None
    method: Method
    item_keys: tuple[str, ...]
    reverse_keys: tuple[str, ...]
    weights: tuple[float, ...] | None
    of_scales: tuple[str, ...]
    min_answered_fraction: float
    target: Target | None

    @property
    def min_answered(self) -> int:
        """Fewest answered items that still give a score (e.g. 80% of 18 items -> 15)."""
        import math

        # A tiny tolerance so that 0.8 * 10 counts as 8, not 8.000000000000002.
        return math.ceil(self.min_answered_fraction * len(self.item_keys) - 1e-9)


@dataclass(frozen=True)
class Instrument:
    spec: InstrumentFile
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    path: Path

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def is_validated(self) -> bool:
        return self.spec.kind == "validated"

    @property
    def minutes(self) -> int:
        """About how long it takes: safebase's estimate of ten seconds an item, not a measured
        figure."""
        return max(1, round(len(self.items) * 10 / 60))

    @property
    def is_reflection(self) -> bool:
        """Read item by item, never as a score."""
        return self.spec.kind == "reflection"

    @property
    def kind_note(self) -> str:
        """The one line shown beside the name wherever the instrument is not a published,
        validated measure; empty for one that is."""
        if self.spec.kind == "reflection":
            return "Reflection, not a validated measure."
        if self.spec.kind == "derived":
            return "safebase's own derived short form, not a published measure."
        return ""

    def choice_text(self, value: object) -> str | None:
        """A forced choice as words ("B — fearful"), never as its number; None when the
        instrument has no choice item or ``value`` is not one of its options."""
        choice = next((sc for sc in self.scales if sc.method == "choice"), None)
        if choice is None or value is None:
            return None
        try:
            wanted = int(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        for option in self.item(choice.item_keys[0]).response.options:
            if option.value == wanted:
                letter, _, rest = option.label.partition(" (")
                return f"{letter} — {rest.rstrip(')')}" if rest else option.label
        return None

    @cached_property
    def version(self) -> str:
        """A fingerprint of the instrument file's bytes: a result records the exact file it was
        scored with, so a later edit of keys or items can be told apart."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]

    @property
    def response(self) -> ResponseSet:
        """The main response set, the one `--range` re-defines."""
        return self.spec.response_sets[self.spec.response_set]

    @cached_property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def scale(self, scale_id: str) -> Scale:
        for s in self.scales:
            if s.id == scale_id:
                return s
        raise KeyError(scale_id)

    def test_retest(self, scale_id: str) -> TestRetest | None:
        """The cited *observed* test–retest correlation for a scale, if any. A latent stability
        is never returned: it is corrected for measurement error, so an SEM built on it would be
        too small and the reliable change index too eager."""
        return next(
            (
                t
                for t in self.spec.test_retest
                if scale_id in t.scales and t.statistic == "observed test-retest correlation"
            ),
            None,
        )

    @property
    def profile(self) -> ProfileSpec | None:
        """Which scales give the anxiety × avoidance profile; defaults to the scales so named."""
        if self.spec.profile is not None:
            return self.spec.profile
        ids = {s.id for s in self.scales}
        return ProfileSpec() if {"anxiety", "avoidance"} <= ids else None


def _expand(spec: InstrumentFile, path: Path) -> Instrument:
    def response_for(item: ItemSpec) -> ResponseSet:
        name = item.response_set or spec.response_set
        return spec.response_sets[name]

    targets: list[Target | None] = list(spec.targets) or [None]
    items: list[Item] = []
    for target in targets:
        for it in spec.items:
            key = f"{target.id}_{it.number}" if target else str(it.number)
            items.append(
                Item(
                    key, it.number, it.text, it.label, target, response_for(it), it.original_number
                )
            )

    scales: list[Scale] = []
    for sc in spec.scales:
        frac = sc.min_answered_fraction or spec.min_answered_fraction
        weights = tuple(sc.weights) if sc.weights else None
        if sc.per_target:
            for t in spec.targets:
                scales.append(
                    Scale(
                        id=f"{t.id}_{sc.id}",
                        name=f"{sc.name} — {t.label}",
                        dimension=sc.dimension,
                        method=sc.method,
                        item_keys=tuple(f"{t.id}_{n}" for n in sc.items),
                        reverse_keys=tuple(f"{t.id}_{n}" for n in sc.reverse),
                        weights=weights,
                        of_scales=(),
                        min_answered_fraction=frac,
                        target=t,
                    )
                )
        else:
            scales.append(
                Scale(
                    id=sc.id,
                    name=sc.name,
                    dimension=sc.dimension,
                    method=sc.method,
                    item_keys=tuple(str(n) for n in sc.items),
                    reverse_keys=tuple(str(n) for n in sc.reverse),
                    weights=weights,
                    of_scales=tuple(sc.of_scales),
                    min_answered_fraction=frac,
                    target=None,
                )
            )
    return Instrument(spec=spec, items=tuple(items), scales=tuple(scales), path=path)


def _check_spec(spec: InstrumentFile) -> None:
    """Cross-field checks needed before expansion; each names the offending field."""
    numbers = [i.number for i in spec.items]
    if len(set(numbers)) != len(numbers):
        raise ValueError("items: an item number appears twice")
    for name in [spec.response_set, *(i.response_set for i in spec.items if i.response_set)]:
        if name not in spec.response_sets:
            raise ValueError(f"response_set: '{name}' is not defined in response_sets")
    if any(sc.per_target for sc in spec.scales) and not spec.targets:
        raise ValueError("scales: per_target scale but the file defines no targets")
    if (spec.kind == "derived") != (spec.derivation is not None):
        raise ValueError("derivation: required exactly when kind is 'derived'")


def _check_references(spec: InstrumentFile, inst: Instrument) -> None:
    """Cross-field checks a per-field schema cannot express; each names the offending field."""
    keys = set(inst.item_keys)
    scale_ids = [s.id for s in inst.scales]
    if len(set(scale_ids)) != len(scale_ids):
        raise ValueError("scales: two scales have the same id")
    for s in inst.scales:
        for k in s.item_keys:
            if k not in keys:
                raise ValueError(f"scales.{s.id}.items: item {k} is not defined in items")
        for ref in s.of_scales:
            if ref not in scale_ids:
                raise ValueError(f"scales.{s.id}.of_scales: unknown scale '{ref}'")
        if s.reverse_keys and not all(inst.item(k).response.reversible for k in s.reverse_keys):
            raise ValueError(f"scales.{s.id}.reverse: item's response set is not reversible")
    for t in spec.test_retest:
        for sid in t.scales:
            if sid not in scale_ids:
                raise ValueError(f"test_retest.scales: unknown scale '{sid}'")
    if spec.derivation:
        for row in spec.derivation.validation:
            if row.scale not in scale_ids:
                raise ValueError(f"derivation.validation.scale: unknown scale '{row.scale}'")
            used = sorted(
                inst.item(k).original_number or 0 for k in inst.scale(row.scale).item_keys
            )
            if used != sorted(row.source_items):
                raise ValueError(
                    f"derivation.validation.{row.scale}.source_items: not the original numbers "
                    "of the scale's items"
                )
    if spec.profile:
        for sid in (spec.profile.anxiety, spec.profile.avoidance):
            if sid not in scale_ids:
                raise ValueError(f"profile: unknown scale '{sid}'")


def load_instrument_file(path: Path) -> Instrument:
    """Read, validate and expand one instrument file; errors name the file and the field."""
    spec = load_toml_model(path, InstrumentFile)
    try:
        _check_spec(spec)
        inst = _expand(spec, path)
        _check_references(spec, inst)
    except ValueError as exc:
        raise InstrumentFileError(f"{path.name}: {exc}") from exc
    return inst


def instruments_dir() -> Path:
    return Path(str(resources.files("safebase") / "instruments"))


@cache
def all_instruments() -> dict[str, Instrument]:
    """Every shipped instrument by id, loaded once per process."""
    found = {}
    for path in sorted(instruments_dir().glob("*.toml")):
        inst = load_instrument_file(path)
        found[inst.id] = inst
    return found


def get_instrument(instrument_id: str) -> Instrument:
    try:
        return all_instruments()[instrument_id]
    except KeyError:
        known = ", ".join(sorted(all_instruments()))
        raise UnknownInstrumentError(
            f"unknown instrument '{instrument_id}'; known: {known}"
        ) from None
