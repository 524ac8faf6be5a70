"""Reference samples as data: the schema, the loader, the builder and the percentile table, each
checked against an independent computation (NumPy, SciPy) rather than against itself."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from safebase.core.errors import InstrumentFileError
from safebase.core.instrument import get_instrument
from safebase.core.norms import (
    ALPHA_ROWS,
    InputFacts,
    ReferenceBuilder,
    all_reference_samples,
    default_reference_sample,
    get_reference_sample,
    load_reference_file,
    norms_dir,
    reference_samples_for,
    reliability_for,
    to_toml,
)
from tests.normed import fixture_sample, normed_ecr_s

LABEL = (
    "people who took the ECR online at openpsychometrics.org, self-selected, "
    "not a representative norm"
)


def _facts(n: int) -> InputFacts:
    return InputFacts(
        file="x.csv", sha256="a" * 64, rows_read=n, rows_scored=n, invalid_cells_counted_missing=0
    )


@pytest.fixture(scope="module")
def random_sample():
    """Scores as a 5-point 18-item scale gives them (k/18 and, with missing items, k/15..k/17)."""
    rng = np.random.default_rng(12)
    inst = get_instrument("ecr-5pt")
    anx = rng.integers(18, 91, 3000) / 18.0
    anx[:400] = rng.integers(15, 76, 400) / 15.0
    avo = rng.integers(18, 91, 3000) / 18.0
    avo[rng.random(3000) < 0.05] = np.nan  # rows below the 80% rule have no score
    builder = ReferenceBuilder(inst)
    for part in np.array_split(np.arange(3000), 7):  # chunk by chunk, as the CLI feeds it
        builder.add({"anxiety": anx[part], "avoidance": avo[part]})
    rel = {"n_complete": 2000, "alpha": 0.9, "omega_total": 0.91}
    sample = builder.finish(
        sample_id="ecr-5pt-random",
        label="three thousand random test rows",
        source="numpy default_rng(12)",
        response_range=(1, 5),
        built=date(2026, 2, 3),
        built_with="test",
        input_facts=_facts(3000),
        reliability={"anxiety": rel, "avoidance": rel},
    )
    return sample, anx, avo


def test_builder_mean_sd_and_counts_match_numpy(random_sample):
    sample, anx, avo = random_sample
    for sid, values in (("anxiety", anx), ("avoidance", avo)):
        v = values[~np.isnan(values)]
        sc = sample.scale(sid)
        assert sc.n == v.size
        assert sc.mean == pytest.approx(v.mean(), abs=1e-12)
        assert sc.sd == pytest.approx(v.std(ddof=1), abs=1e-12)
        scores, counts = np.unique(np.round(v, 6), return_counts=True)
        assert [row[0] for row in sc.percentile_table] == scores.tolist()
        assert [row[1] for row in sc.percentile_table] == counts.tolist()
        assert sc.reliability.rows == ALPHA_ROWS


def test_percentile_rank_is_scipys_mean_kind(random_sample):
    """100·(below + ½·at)/N is SciPy's percentileofscore(kind="mean"), on and between values."""
    sample, anx, _ = random_sample
    sc = sample.scale("anxiety")
    for x in [1.0, 1.0 + 1 / 18, 2.5, 3.0, 3.2, 37 / 15, 4.999, 5.0, 0.5, 5.5]:
        assert sc.percentile_rank(x) == pytest.approx(stats.percentileofscore(anx, x, kind="mean"))
    # The table holds scores rounded to 6 decimals (a mean of 15 items and of 18 items can differ
    # in the last bit), so its ranks are those of the rounded scores.
    rounded = np.round(anx, 6)
    for score, _count, rank in sc.percentile_table:
        assert rank == pytest.approx(
            stats.percentileofscore(rounded, score, kind="mean"), abs=0.005
        )


def test_toml_round_trip_through_the_schema(random_sample, tmp_path):
    sample, _, _ = random_sample
    path = tmp_path / "ecr-5pt-random.toml"
    path.write_text(to_toml(sample), encoding="utf-8")
    assert load_reference_file(path) == sample


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace('instrument = "ecr-5pt"', 'instrument = "nope"'),
            "unknown instrument",
        ),
        (lambda t: t.replace('scale = "avoidance"', 'scale = "style"'), "has no scale 'style'"),
        (lambda t: t.replace("n = 3000", "n = 3001", 1), "counts add up to 3000"),
        (lambda t: t.replace("schema_version = 1", "schema_version = 2"), "schema_version"),
        (lambda t: t.replace('id = "ecr-5pt-random"', 'id = "other"'), "must match the file name"),
        (lambda t: t.replace("[input]", "extra = 1\n[input]"), "extra"),
        (
            lambda t: re.sub(r"^mean = .*$", "mean = 0.1", t, count=1, flags=re.M),
            "disagree with the percentile table",
        ),
    ],
)
def test_a_malformed_file_names_the_file_and_the_field(random_sample, tmp_path, edit, message):
    sample, _, _ = random_sample
    path = tmp_path / "ecr-5pt-random.toml"
    path.write_text(edit(to_toml(sample)), encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=message) as info:
        load_reference_file(path)
    assert str(info.value).startswith("ecr-5pt-random.toml")


def test_loader_lists_samples_per_instrument_and_the_first_is_the_default():
    shipped = all_reference_samples()
    assert "ecr-5pt-openpsychometrics-2018" in shipped
    for sid, sample in shipped.items():
        assert sample.id == sid and sample.label and sample.source
    ecr5 = reference_samples_for("ecr-5pt")
    assert ecr5[0].id == "ecr-5pt-openpsychometrics-2018"
    assert default_reference_sample(get_instrument("ecr-5pt")) is ecr5[0]
    assert reference_samples_for("ecr-5pt", (1, 7)) == []
    for other in ("ecr", "ecr-r", "ecr-s", "ecr-rs", "rq"):
        assert default_reference_sample(get_instrument(other)) is None
    with pytest.raises(Exception, match="unknown reference sample 'x'"):
        get_reference_sample("x")


def test_shipped_sample_is_labelled_for_what_it_is():
    sample = get_reference_sample("ecr-5pt-openpsychometrics-2018")
    assert sample.label == LABEL
    assert sample.instrument == "ecr-5pt" and tuple(sample.response_range) == (1, 5)
    assert "openpsychometrics.org" in sample.source and "ECR-data-1March2018" in sample.source
    assert sample.input.rows_read == 51_491
    assert "80%" in sample.scoring
    # Derived statistics only: no file in safebase/norms is anywhere near the size of the rows.
    for path in norms_dir().glob("*"):
        assert path.suffix == ".toml" and path.stat().st_size < 100_000


def test_reliability_choice_prefers_a_cited_retest_then_the_samples_alpha(tmp_path):
    with_retest = normed_ecr_s(tmp_path)
    sample = fixture_sample(with_retest)
    choice = reliability_for(with_retest, "anxiety", sample)
    assert (choice.kind, choice.value) == ("test-retest", 0.80)
    without = normed_ecr_s(tmp_path, retest=False)
    choice = reliability_for(without, "anxiety", fixture_sample(without))
    assert (choice.kind, choice.value) == ("internal consistency", 0.85)
    assert "rows complete on the scale's items, n = 100" in choice.description
    assert reliability_for(without, "anxiety", None) is None


def test_ecr_5pt_is_the_ecr_with_the_openpsychometrics_response_format():
    five, seven = get_instrument("ecr-5pt"), get_instrument("ecr")
    assert [(i.number, i.text) for i in five.items] == [(i.number, i.text) for i in seven.items]
    assert [(s.id, s.item_keys, s.reverse_keys) for s in five.scales] == [
        (s.id, s.item_keys, s.reverse_keys) for s in seven.scales
    ]
    assert [o.label for o in five.response.options] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert (five.response.low, five.response.high) == (1, 5)
    assert "openpsychometrics" in five.spec.provenance and "codebook" in five.spec.provenance


def test_readme_states_the_shipped_numbers():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sample = get_reference_sample("ecr-5pt-openpsychometrics-2018")
    anx, avo = sample.scale("anxiety"), sample.scale("avoidance")
    flat = " ".join(readme.split())
    assert f"Anxiety N = {anx.n:,}, M = {anx.mean:.2f}, SD = {anx.sd:.2f}" in flat
    assert f"alpha {anx.reliability.alpha:.3f}".replace("0.", ".") in flat
    assert f"({anx.reliability.n_complete:,} complete rows)" in flat
    assert f"avoidance N = {avo.n:,}, M = {avo.mean:.2f}, SD = {avo.sd:.2f}" in flat
    assert f"alpha {avo.reliability.alpha:.3f}".replace("0.", ".") in flat
    assert f"({avo.reliability.n_complete:,} complete rows)" in flat
    assert LABEL in flat
    assert "Educational Measurement: Issues and Practice*, 10(2), 33–41" in flat
