"""Profile (quadrant, percentile, band) and the reliable change index, hand-worked against a small
made-up reference sample (tests/normed.py: scores 2, 3, 4 with counts 25, 50, 25; SD √(50/99))."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from safebase.core.change import (
    RELIABLE,
    Verdict,
    change_summary,
    compare,
    reliable_change_index,
    verdict_for,
)
from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.core.norms import InputFacts, ReferenceBuilder, default_reference_sample
from safebase.core.profile import HIGH_RULE, build_profile, normal_cdf
from safebase.core.scoring import score_responses, validate_answers
from safebase.core.styles import Style
from tests.normed import FIXTURE_SD, fixture_sample, normed_ecr_s

ECR_R = get_instrument("ecr-r")
Z = 1.959963984540054


def _ecr_r(anx_raw: int, avo_raw: int) -> dict[int, int]:
    """Answers that give anxiety = anx_raw and avoidance = avo_raw once keyed."""
    answers = {}
    for n in range(1, 19):
        answers[n] = 8 - anx_raw if n in (9, 11) else anx_raw
    for n in range(19, 37):
        rev = n in {20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
        answers[n] = 8 - avo_raw if rev else avo_raw
    return answers


@pytest.mark.parametrize(
    ("anx", "avo", "style"),
    [
        (2, 2, Style.SECURE),
        (6, 2, Style.ANXIOUS),
        (2, 6, Style.AVOIDANT),
        (6, 6, Style.FEARFUL),
        (4, 4, Style.SECURE),  # exactly at the midpoint counts as low
        (5, 4, Style.ANXIOUS),
    ],
)
def test_quadrant_by_midpoint(anx, avo, style):
    scored = score_responses(ECR_R, _ecr_r(anx, avo))
    assert scored.value("anxiety") == pytest.approx(anx)
    profile = build_profile(ECR_R, scored)
    assert profile.style is style
    assert profile.anxiety.cutoff == 4.0


def test_midpoint_rule_is_stated_with_the_cutoff_and_shared_by_batch_scoring():
    profile = build_profile(ECR_R, score_responses(ECR_R, _ecr_r(4, 4)))
    assert profile.anxiety.high is False and profile.avoidance.high is False
    assert profile.cutoff_rule == f"scale midpoint; {HIGH_RULE}"
    assert "exactly at the cut-off counts as low" in profile.cutoff_rule
    # Table scoring (the compiled Polars path) gives the same style, midpoints included.
    import polars as pl

    from safebase.frames import score_frame

    rows = [(4, 4), (5, 4), (4, 5), (5, 5), (3, 4)]
    table = pl.DataFrame(
        [{f"ecrr_{n}": v for n, v in _ecr_r(anx, avo).items()} for anx, avo in rows]
    )
    styles = score_frame(table, "ecr-r").scores["style"].cast(pl.Utf8).to_list()
    for (anx, avo), style in zip(rows, styles, strict=True):
        answers = validate_answers(ECR_R, _ecr_r(anx, avo))
        single = build_profile(ECR_R, score_responses(ECR_R, answers)).style
        assert style == (single.value if single else None)


def test_rq_has_no_computed_label_but_the_choice_and_the_four_ratings():
    rq = get_instrument("rq")
    # The audit's case: secure 5, fearful 1, preoccupied 7, dismissing 6 read "secure" by quadrant.
    scored = score_responses(rq, {1: 5, 2: 1, 3: 7, 4: 6, 5: 3})
    assert scored.value("model_of_self") == (5 + 6) - (7 + 1)
    assert scored.value("model_of_others") == (5 + 7) - (6 + 1)
    profile = build_profile(rq, scored)
    assert profile.style is None
    assert profile.forced_choice == "C — preoccupied"
    assert [(r.label, r.value) for r in profile.ratings] == [
        ("A (secure)", 5),
        ("B (fearful)", 1),
        ("C (preoccupied)", 7),
        ("D (dismissing)", 6),
    ]
    assert "advise against classifying individuals" in profile.style_note
    # Table scoring writes no style column for it either.
    import polars as pl

    from safebase.frames import score_frame

    table = pl.DataFrame([{f"rq_{n}": v for n, v in {1: 5, 2: 1, 3: 7, 4: 6, 5: 3}.items()}])
    assert "style" not in score_frame(table, "rq").scores.columns


def test_without_a_reference_sample_no_percentile_and_the_reason():
    profile = build_profile(ECR_R, score_responses(ECR_R, _ecr_r(3, 3)))
    assert profile.anxiety.percentile is None and profile.anxiety.band is None
    assert any("no reference sample for ECR-R" in n for n in profile.anxiety.notes)
    with pytest.raises(SafebaseError, match="no reference sample"):
        build_profile(ECR_R, score_responses(ECR_R, _ecr_r(3, 3)), cutoff="norm")


@pytest.fixture()
def normed(tmp_path: Path):
    inst = normed_ecr_s(tmp_path)
    return inst, fixture_sample(inst)


def test_percentile_band_and_label_hand_worked(normed):
    inst, sample = normed
    answers = {n: 4 for n in range(1, 13)}  # anxiety 4.0 (item 8 reversed 8 − 4), avoidance 4.0
    profile = build_profile(inst, score_responses(inst, answers), reference=sample)
    a = profile.anxiety
    # 75 of 100 below 4.0 and 25 at it: 100 · (75 + 25/2) / 100 = 87.5.
    assert a.percentile == pytest.approx(87.5)
    assert a.z == pytest.approx(1 / FIXTURE_SD)
    # Cited retest .80 wins over the sample's alpha: SEM = 0.710669 · √.2 = 0.317821.
    assert a.reliability_kind == "test-retest" and a.reliability == 0.80
    assert a.sem == pytest.approx(0.317821, abs=1e-6)
    assert a.band == pytest.approx((4 - 0.622918, 4 + 0.622918), abs=1e-6)
    assert a.percentile_band == pytest.approx((75.0, 100.0))
    assert a.reference_label == "a made-up test sample of 100 people" and a.reference_n == 100
    assert any("a made-up test sample of 100 people (N = 100" in n for n in a.notes)
    assert profile.avoidance.percentile == pytest.approx(100.0)  # 4.0 is above every 1.5–3.5
    # Midpoint: 4 on 1–7 is exactly at the cut-off, so low on both: secure. Against the sample
    # means (3, 2.5) both are high: fearful.
    assert profile.style is Style.SECURE
    by_norm = build_profile(inst, score_responses(inst, answers), "norm", reference=sample)
    assert by_norm.style is Style.FEARFUL


def test_band_uses_the_samples_alpha_without_a_retest_and_stays_in_range(tmp_path):
    inst = normed_ecr_s(tmp_path, retest=False)
    sample = fixture_sample(inst)
    profile = build_profile(
        inst, score_responses(inst, {n: 1 for n in range(1, 13)}), reference=sample
    )
    # Anxiety: items 2,4,6,10,12 at 1 and item 8 reversed 7 → 12/6 = 2.0; α = .85 from the sample.
    a = profile.anxiety
    assert a.score == pytest.approx(2.0)
    assert a.reliability_kind == "internal consistency" and a.reliability == 0.85
    sem = FIXTURE_SD * math.sqrt(0.15)
    assert a.sem == pytest.approx(sem)
    assert a.band == pytest.approx((2 - Z * sem, 2 + Z * sem))
    assert a.percentile == pytest.approx(12.5)  # none below 2.0, 25 at it
    assert any("Cronbach's α = 0.850 in the reference sample" in n for n in a.notes)
    # The band is cut at the scale's ends: anxiety 7.0 (item 8 at 1, reversed 7) → upper end 7.
    top = {2: 7, 4: 7, 6: 7, 8: 1, 10: 7, 12: 7}
    high = build_profile(inst, score_responses(inst, top), reference=sample)
    assert high.anxiety.score == pytest.approx(7.0)
    assert high.anxiety.band == pytest.approx((7 - Z * sem, 7.0))


def test_a_sample_of_another_instrument_is_refused(normed):
    _, sample = normed
    with pytest.raises(SafebaseError, match="belongs to ecr-s, not ecr-r"):
        build_profile(ECR_R, score_responses(ECR_R, _ecr_r(3, 3)), reference=sample)


def test_normal_cdf_known_values():
    assert normal_cdf(0) == pytest.approx(0.5)
    assert normal_cdf(1.959964) == pytest.approx(0.975, abs=1e-6)
    assert normal_cdf(-1) == pytest.approx(0.158655, abs=1e-6)


def test_rci_hand_worked():
    # SD 7.5, r .88: SEM = 7.5·√.12 = 2.598; SE_diff = √2·2.598 = 3.674; (20 − 32)/3.674 = −3.266.
    rci = reliable_change_index(32, 20, 7.5, 0.88)
    assert rci == pytest.approx(-12 / (math.sqrt(2) * 7.5 * math.sqrt(0.12)))
    assert rci == pytest.approx(-3.266, abs=0.001)
    assert verdict_for(rci, lower_is_better=True) is Verdict.IMPROVED
    assert verdict_for(rci, lower_is_better=False) is Verdict.DETERIORATED
    assert verdict_for(1.95, lower_is_better=True) is Verdict.NO_CHANGE


def test_compare_gives_verdict_per_scale_with_its_basis(normed):
    inst, sample = normed
    before = score_responses(inst, {n: 6 if n % 2 == 0 else 4 for n in range(1, 13)})
    after = score_responses(inst, {n: 4 for n in range(1, 13)})
    changes = {c.scale_id: c for c in compare(inst, before, after, sample)}
    # Anxiety: items 2,4,6,10,12 at 6 and item 8 at 6 → reversed 2: (5·6 + 2)/6 = 5.333 → 4.
    anx = changes["anxiety"]
    assert anx.before == pytest.approx(32 / 6)
    se_diff = math.sqrt(2) * FIXTURE_SD * math.sqrt(0.2)
    assert anx.rci == pytest.approx((4 - 32 / 6) / se_diff)
    assert anx.rci == pytest.approx(-2.966, abs=0.001)
    assert anx.verdict is Verdict.IMPROVED
    assert anx.explanation == RELIABLE == "unlikely to be measurement error alone (p < .05)"
    assert anx.smallest_reliable_change == pytest.approx(Z * se_diff)
    assert "a made-up test sample of 100 people" in anx.basis
    assert "observed test–retest r = 0.80 over 1 month" in anx.basis
    # Avoidance: odd items at 4 both times → no change, and how large a change would need to be.
    avo = changes["avoidance"]
    assert avo.rci == pytest.approx(0.0) and avo.verdict is Verdict.NO_CHANGE
    assert "could be measurement error alone" in avo.explanation
    assert f"±{Z * se_diff:.2f}" in avo.explanation
    lines = change_summary(inst, before, after, sample)
    assert lines[0] == f"Attachment anxiety: reliable improvement (-1.33) — {RELIABLE}"


def test_deterioration_is_a_verdict_too(normed):
    inst, sample = normed
    low = score_responses(inst, {n: 4 for n in range(1, 13)})
    high = score_responses(inst, {n: 6 if n % 2 == 0 else 4 for n in range(1, 13)})
    anx = compare(inst, low, high, sample)[0]
    assert anx.verdict is Verdict.DETERIORATED and anx.explanation == RELIABLE


def test_wording_never_claims_beyond_measurement_error():
    import safebase.core.change as change
    import safebase.core.profile as profile

    for module in (change, profile):
        text = Path(module.__file__).read_text(encoding="utf-8")
        assert "beyond measurement error" not in text


def test_compare_without_sample_says_exactly_what_is_missing():
    a = score_responses(ECR_R, _ecr_r(6, 6))
    b = score_responses(ECR_R, _ecr_r(2, 2))
    changes = compare(ECR_R, a, b)
    assert all(c.verdict is Verdict.UNAVAILABLE for c in changes)
    assert changes[0].reason == (
        "missing: the SD and a reliability (no reference sample for ECR-R in this response "
        "format, and no cited observed test–retest correlation)"
    )
    assert changes[0].difference == pytest.approx(-4.0)


def test_ecr_r_latent_stability_never_feeds_the_index():
    # The file keeps Sibley et al.'s 85% shared variance, labelled latent, for information only.
    (entry,) = ECR_R.spec.test_retest
    assert entry.statistic == "latent stability" and entry.value == pytest.approx(
        math.sqrt(0.85), abs=1e-3
    )
    assert ECR_R.test_retest("anxiety") is None and ECR_R.test_retest("avoidance") is None
    # Even with a reference sample that gives an SD, no alpha → the reliability is missing.
    builder = ReferenceBuilder(ECR_R)
    builder.add({"anxiety": np.repeat([2.0, 3.0, 4.0], 10), "avoidance": np.repeat([2.0, 3.0], 15)})
    sample = builder.finish(
        sample_id="ecr-r-fixture",
        label="thirty made-up people",
        source="test fixture",
        response_range=(1, 7),
        built=date(2026, 1, 1),
        built_with="test",
        input_facts=InputFacts(
            file="x.csv",
            sha256="0" * 64,
            rows_read=30,
            rows_scored=30,
            invalid_cells_counted_missing=0,
        ),
        reliability={},
    )
    changes = compare(
        ECR_R, score_responses(ECR_R, _ecr_r(6, 6)), score_responses(ECR_R, _ecr_r(2, 2)), sample
    )
    assert changes[0].verdict is Verdict.UNAVAILABLE
    assert changes[0].reason == (
        "missing: a reliability (no cited observed test–retest correlation, and the reference "
        "sample has no internal consistency for anxiety)"
    )


def test_ecr_rs_uses_fraleys_retest_but_says_the_sd_is_missing():
    rs = get_instrument("ecr-rs")
    assert rs.test_retest("partner_anxiety").value == 0.65
    assert rs.test_retest("mother_avoidance").value == 0.80
    assert rs.test_retest("friend_anxiety") is None and rs.test_retest("global_anxiety") is None
    answers = {f"partner_{n}": 4 for n in range(1, 10)}
    changes = {
        c.scale_id: c
        for c in compare(rs, score_responses(rs, answers), score_responses(rs, answers))
    }
    assert changes["partner_anxiety"].reason == (
        "missing: the SD (no reference sample for ECR-RS in this response format)"
    )


def test_shipped_ecr_5pt_sample_gives_a_verdict_for_a_large_change():
    inst = get_instrument("ecr-5pt")
    sample = default_reference_sample(inst)
    assert sample is not None
    # The example on this scale: anxiety from high to low.
    high = {n: (1 if n == 22 else 5) if n % 2 == 0 else 3 for n in range(1, 37)}
    low = {n: (5 if n == 22 else 1) if n % 2 == 0 else 3 for n in range(1, 37)}
    changes = {
        c.scale_id: c
        for c in compare(inst, score_responses(inst, high), score_responses(inst, low), sample)
    }
    assert changes["anxiety"].difference == pytest.approx(-4.0)
    assert changes["anxiety"].verdict is Verdict.IMPROVED
    assert changes["anxiety"].reliability_kind == "internal consistency"
    assert "not a representative norm" in changes["anxiety"].basis
    assert changes["avoidance"].verdict is Verdict.NO_CHANGE
