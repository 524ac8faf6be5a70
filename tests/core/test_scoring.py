"""Scale scores: reverse keying, the missing-data rule, and every kind of bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safebase.core.errors import ResponseError
from safebase.core.instrument import get_instrument
from safebase.core.numbers import MAX_DIGITS
from safebase.core.scoring import ResponseRange, ScaleScorer, score_responses

ECR_R = get_instrument("ecr-r")
ECR_R_ANX_REVERSED = {9, 11}
ECR_R_AVO_REVERSED = {20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}


def test_all_sevens_hand_worked():
    # Anxiety: 16 forward items at 7, items 9 and 11 reversed to 8 − 7 = 1 → (16·7 + 2·1)/18.
    # Avoidance: 6 forward at 7, 12 reversed to 1 → (6·7 + 12·1)/18 = 3.
    r = score_responses(ECR_R, {n: 7 for n in range(1, 37)})
    assert r.value("anxiety") == pytest.approx((16 * 7 + 2) / 18)
    assert r.value("avoidance") == pytest.approx(3.0)


def test_reversal_follows_the_response_range():
    # On a 1–5 form the reversal is 6 − x: all 5s give anxiety (16·5 + 2·1)/18.
    r = score_responses(ECR_R, {n: 5 for n in range(1, 37)}, ResponseRange(1, 5))
    assert r.value("anxiety") == pytest.approx((16 * 5 + 2 * 1) / 18)


def test_missing_rule_scores_with_fifteen_of_eighteen_but_not_fourteen():
    answers = {n: 4 for n in range(1, 37)}
    for n in (1, 2, 3):  # 15 of 18 anxiety items left
        answers[n] = None
    r = score_responses(ECR_R, answers)
    assert r.value("anxiety") == pytest.approx(4.0)
    assert r.scales["anxiety"].answered == 15
    answers[4] = None  # 14 of 18: below 80%
    r = score_responses(ECR_R, answers)
    assert r.value("anxiety") is None
    assert r.scales["anxiety"].reason == "14 of 18 items answered; at least 15 needed for a score"
    assert r.value("avoidance") == pytest.approx(4.0)


def test_mean_is_of_answered_items_only():
    answers = {n: 1 for n in range(1, 19)}
    answers[1] = 7
    answers[2] = None
    answers[9] = answers[11] = 7  # both reversed to 1
    r = score_responses(ECR_R, answers)
    # 17 answered: one 7 and sixteen 1s.
    assert r.value("anxiety") == pytest.approx((7 + 16) / 17)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"37": 4}, "ecr-r: unknown item '37'"),
        ({"1": 8}, "ecr-r item 1: value 8 is outside 1-7"),
        ({"2": 0}, "ecr-r item 2: value 0 is outside 1-7"),
        ({"3": "4"}, "ecr-r item 3: value '4' has the wrong type (str)"),
        ({"4": 3.5}, "ecr-r item 4: value 3.5 is not a whole number"),
        ({"5": True}, "ecr-r item 5: value True has the wrong type (bool)"),
        ([("6", 2), (6, 3)], "ecr-r item 6: answered twice"),
    ],
)
def test_bad_input_names_item_and_value(answers, message):
    with pytest.raises(ResponseError) as info:
        score_responses(ECR_R, answers)
    assert str(info.value).startswith(message)


def test_range_parse_errors():
    assert ResponseRange.parse("1-5") == ResponseRange(1, 5)
    for bad in ("5-1", "1to5", "a-b", "3-3"):
        with pytest.raises(ResponseError):
            ResponseRange.parse(bad)


def test_rq_dimensions_hand_worked():
    rq = get_instrument("rq")
    # A secure 7, B fearful 2, C preoccupied 3, D dismissing 5.
    r = score_responses(rq, {1: 7, 2: 2, 3: 3, 4: 5, 5: 1})
    assert r.value("model_of_self") == (7 + 5) - (3 + 2)
    assert r.value("model_of_others") == (7 + 3) - (5 + 2)
    assert r.value("forced_choice") == 1
    # A weighted sum with a paragraph unrated is not comparable: no score.
    r = score_responses(rq, {1: 7, 2: 2, 3: 3})
    assert r.value("model_of_self") is None
    assert "3 of 4 items answered; at least 4 needed" in r.scales["model_of_self"].reason


def test_rq_choice_has_its_own_range():
    with pytest.raises(ResponseError, match="item 5: value 5 is outside 1-4"):
        score_responses(get_instrument("rq"), {5: 5})


def test_ecr_rs_per_relationship_and_global():
    rs = get_instrument("ecr-rs")
    answers = {}
    # Mother: secure (turns to her: 7 on 1–4, 1 on 5–6; no worry: 1 on 7–9).
    for n, v in zip(range(1, 10), [7, 7, 7, 7, 1, 1, 1, 1, 1], strict=True):
        answers[f"mother_{n}"] = v
    # Partner: avoidant and anxious (1 on 1–4 → reversed 7; 7 on 5–9).
    for n, v in zip(range(1, 10), [1, 1, 1, 1, 7, 7, 7, 7, 7], strict=True):
        answers[f"partner_{n}"] = v
    for t in ("father", "friend"):
        for n in range(1, 10):
            answers[f"{t}_{n}"] = 4
    r = score_responses(rs, answers)
    assert r.value("mother_avoidance") == pytest.approx(1.0)
    assert r.value("mother_anxiety") == pytest.approx(1.0)
    assert r.value("partner_avoidance") == pytest.approx(7.0)
    assert r.value("partner_anxiety") == pytest.approx(7.0)
    assert r.value("global_avoidance") == pytest.approx((1 + 7 + 4 + 4) / 4)
    # No father figure: that relationship is left out and the global score is the mean of the
    # three answered (safebase's rule: at least two of the four relationships).
    for n in range(1, 10):
        answers[f"father_{n}"] = None
    r = score_responses(rs, answers)
    assert r.value("father_avoidance") is None
    assert r.value("global_avoidance") == pytest.approx((1 + 7 + 4) / 3)
    assert r.value("global_anxiety") == pytest.approx((1 + 7 + 4) / 3)
    # Only the partner answered: one relationship is not a global score, and the reason says so.
    only_partner = {k: v for k, v in answers.items() if k.startswith("partner_")}
    r = score_responses(rs, only_partner)
    assert r.value("partner_avoidance") == pytest.approx(7.0)
    assert r.value("global_avoidance") is None
    assert r.scales["global_avoidance"].reason == (
        "1 of 4 relationships answered; at least 2 needed for a score"
    )
    assert "mean of the relationships answered, at least 2 of 4" in rs.scale("global_anxiety").name


def _naive_scale(answers: dict[int, int | None], items, reversed_items, lo=1, hi=7):
    """An independent, loop-based scorer written from the reference keys."""
    vals = []
    for n in items:
        v = answers.get(n)
        if v is None:
            continue
        vals.append(lo + hi - v if n in reversed_items else v)
    if len(vals) < math.ceil(0.8 * len(items)):
        return None
    return sum(vals) / len(vals)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 7)), min_size=36, max_size=36))
def test_vectorised_scorer_agrees_with_naive_loop(values):
    answers = dict(zip(range(1, 37), values, strict=True))
    r = score_responses(ECR_R, answers)
    for scale, items, rev in (
        ("anxiety", range(1, 19), ECR_R_ANX_REVERSED),
        ("avoidance", range(19, 37), ECR_R_AVO_REVERSED),
    ):
        expected = _naive_scale(answers, items, rev)
        if expected is None:
            assert r.value(scale) is None
        else:
            assert r.value(scale) == pytest.approx(expected)


def test_many_rows_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(7)
    matrix = rng.integers(1, 8, size=(50, 36)).astype(float)
    matrix[rng.random(matrix.shape) < 0.1] = np.nan
    together = ScaleScorer(ECR_R).score(matrix)
    for i in range(50):
        answers = {str(j + 1): int(v) for j, v in enumerate(matrix[i]) if not np.isnan(v)}
        alone = score_responses(ECR_R, answers)
        for scale in ("anxiety", "avoidance"):
            got = together[scale][i]
            want = alone.value(scale)
            assert (want is None and np.isnan(got)) or got == pytest.approx(want)


# ------------------------------------------------------------------------------------------------
# ResponseRange.parse: strict ASCII whole numbers, bounded, and only ResponseError on bad input.


@pytest.mark.parametrize("bad", ["²-5", "1-²", "٣-5", "1-" + "9" * 5000, "-1-5", "1.5-5", "1-5-7"])
def test_range_parse_refuses_non_ascii_and_huge_numbers(bad):
    with pytest.raises(ResponseError, match="is not of the form LO-HI") as info:
        ResponseRange.parse(bad)
    assert len(str(info.value)) < 100  # a pasted 5,000-digit number is not echoed in full


@given(st.text())
def test_range_parse_never_raises_anything_but_response_error(text):
    try:
        rng = ResponseRange.parse(text)
    except ResponseError:
        return
    assert 0 <= rng.low < rng.high < 10**MAX_DIGITS


@given(st.integers(0, 10**MAX_DIGITS - 1), st.integers(0, 10**MAX_DIGITS - 1))
def test_range_parse_round_trips(a, b):
    low, high = min(a, b), max(a, b)
    if low == high:
        with pytest.raises(ResponseError, match="LO must be smaller than HI"):
            ResponseRange.parse(f"{low}-{high}")
        return
    rng = ResponseRange.parse(f" {low} - {high} ")
    assert rng == ResponseRange(low, high)
    assert ResponseRange.parse(str(rng)) == rng


@given(
    st.integers(0, 99),
    st.integers(0, 99),
    st.text(st.characters(categories=["Nd", "No"]).filter(lambda c: not c.isascii()), min_size=1),
)
def test_range_parse_refuses_any_non_ascii_digit(low, high, digits):
    for text in (f"{digits}-{high}", f"{low}-{digits}", f"{low}{digits}-{high}"):
        with pytest.raises(ResponseError):
            ResponseRange.parse(text)
