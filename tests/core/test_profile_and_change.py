"""Profile (quadrant, z, percentile, band) and the reliable change index, hand-worked."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from safebase.core.change import Verdict, compare, reliable_change_index, verdict_for
from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.core.profile import build_profile, normal_cdf
from safebase.core.scoring import score_responses
from safebase.core.styles import Style
from tests.normed import normed_ecr_s

ECR_R = get_instrument("ecr-r")


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
        (4, 4, Style.SECURE),  # exactly at the midpoint is not "high"
        (5, 4, Style.ANXIOUS),
    ],
)
def test_quadrant_by_midpoint(anx, avo, style):
    scored = score_responses(ECR_R, _ecr_r(anx, avo))
    assert scored.value("anxiety") == pytest.approx(anx)
    profile = build_profile(ECR_R, scored)
    assert profile.style is style
    assert profile.anxiety.cutoff == 4.0


def test_rq_quadrant_uses_sign_of_models():
    rq = get_instrument("rq")
    # Preoccupied high, secure low → negative self, positive others → anxious-preoccupied.
    scored = score_responses(rq, {1: 2, 2: 2, 3: 7, 4: 1, 5: 3})
    assert scored.value("model_of_self") == (2 + 1) - (7 + 2)
    assert scored.value("model_of_others") == (2 + 7) - (1 + 2)
    assert build_profile(rq, scored).style is Style.ANXIOUS


def test_missing_norms_give_no_percentile_and_say_why():
    profile = build_profile(ECR_R, score_responses(ECR_R, _ecr_r(3, 3)))
    assert profile.anxiety.percentile is None and profile.anxiety.band is None
    assert any("no published norm" in n for n in profile.anxiety.notes)
    with pytest.raises(SafebaseError, match="no cited norm"):
        build_profile(ECR_R, score_responses(ECR_R, _ecr_r(3, 3)), cutoff="norm")


@pytest.fixture()
def normed(tmp_path: Path):
    return normed_ecr_s(tmp_path)


def test_z_percentile_and_band_hand_worked(normed):
    # Anxiety all 4 (item 8 reversed) → 4.0; z = (4 − 3)/1 = 1 → 84.13th percentile.
    answers = {n: 4 for n in range(1, 13)}
    profile = build_profile(normed, score_responses(normed, answers))
    a = profile.anxiety
    assert a.z == pytest.approx(1.0)
    assert a.percentile == pytest.approx(84.134, abs=0.001)
    # SEM = 1·√(1 − .8) = 0.4472; 95% band = 4 ± 1.96·0.4472.
    assert a.sem == pytest.approx(math.sqrt(0.2))
    assert a.band[0] == pytest.approx(4 - 1.959964 * 0.447214, abs=1e-5)
    assert a.band[1] == pytest.approx(4 + 1.959964 * 0.447214, abs=1e-5)
    # Norm cut-off: avoidance 4.0 vs norm mean 2.5 → high; anxiety 4 vs 3 → high → fearful.
    assert build_profile(normed, score_responses(normed, answers), "norm").style is Style.FEARFUL
    assert build_profile(normed, score_responses(normed, answers)).style is Style.SECURE


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


def test_compare_gives_verdict_per_scale(normed):
    before = score_responses(normed, {n: 6 if n % 2 == 0 else 4 for n in range(1, 13)})
    after = score_responses(normed, {n: 4 for n in range(1, 13)})
    changes = {c.scale_id: c for c in compare(normed, before, after)}
    # Anxiety: items 2,4,6,10,12 at 6 and item 8 at 6 → reversed 2: (5·6 + 2)/6 = 5.333 → 4.
    anx = changes["anxiety"]
    assert anx.before == pytest.approx(32 / 6)
    expected = (4 - 32 / 6) / (math.sqrt(2) * 1.0 * math.sqrt(0.2))
    assert anx.rci == pytest.approx(expected)
    assert anx.rci == pytest.approx(-2.108, abs=0.001)  # beyond −1.96
    assert anx.verdict is Verdict.IMPROVED
    # Avoidance: odd items at 4 both times → no change.
    assert changes["avoidance"].rci == pytest.approx(0.0)


def test_ecr_r_latent_stability_never_feeds_the_index():
    # Sibley et al.'s 85% shared variance stays in the file, labelled latent, for information only.
    (entry,) = ECR_R.spec.test_retest
    assert entry.statistic == "latent stability"
    assert entry.value == pytest.approx(math.sqrt(0.85), abs=1e-3)
    assert ECR_R.test_retest("anxiety") is None and ECR_R.test_retest("avoidance") is None


def test_ecr_rs_retest_figures_from_fraleys_page():
    rs = get_instrument("ecr-rs")
    assert rs.test_retest("partner_anxiety").value == 0.65
    assert rs.test_retest("mother_avoidance").value == 0.80
    assert rs.test_retest("friend_anxiety") is None and rs.test_retest("global_anxiety") is None


def test_compare_without_norm_says_why():
    a = score_responses(ECR_R, _ecr_r(6, 6))
    b = score_responses(ECR_R, _ecr_r(2, 2))
    changes = compare(ECR_R, a, b)
    assert all(c.verdict is Verdict.UNAVAILABLE for c in changes)
    assert changes[0].reason == "no cited norm SD for this scale"
    assert changes[0].difference == pytest.approx(-4.0)
