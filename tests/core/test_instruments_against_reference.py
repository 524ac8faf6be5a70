"""Every shipped item text, scale and reverse key checked against the shared REFERENCE.md.

The reference is parsed here, independently of the TOML files, so a typo or a wrong key in an
instrument file fails a test rather than silently mis-scoring people.
"""

from __future__ import annotations

import re

import pytest

from safebase.core.instrument import get_instrument
from tests.conftest import shared_path

SCALE = {"Anx": "anxiety", "Avo": "avoidance"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


@pytest.fixture(scope="module")
def reference() -> str:
    return shared_path("instruments", "REFERENCE.md").read_text(encoding="utf-8")


def _section(ref: str, start: str, end: str) -> str:
    return ref[ref.index(start) : ref.index(end, ref.index(start))]


def _keys(inst_id: str) -> dict[str, tuple[str, bool]]:
    """item key -> (scale id, reverse-keyed?) as the shipped file has them."""
    inst = get_instrument(inst_id)
    out = {}
    for s in inst.scales:
        for k in s.item_keys:
            out[k] = (s.id, k in s.reverse_keys)
    return out


def test_ecr_r_items_scales_and_keys_match_reference(reference):
    section = _section(reference, "## 1. ECR-R", "## 2. ECR-RS")
    rows = re.findall(r"^\| (\d+) \| (.+?) \| (Anx|Avo) \| (R?) *\|$", section, flags=re.M)
    assert len(rows) == 36
    inst = get_instrument("ecr-r")
    keys = _keys("ecr-r")
    for number, text, scale, rev in rows:
        assert _norm(inst.item(number).text) == _norm(text), number
        assert keys[number] == (SCALE[scale], rev == "R"), number
    # The reference's own summary line: 2 + 12 reversed items.
    assert sum(r for _, r in keys.values()) == 14


def test_ecr_items_scales_and_keys_match_reference(reference):
    section = _section(reference, "ECR items in original order", "ECR-S (12 items")
    body = section[section.index("\n1 ") :]
    entries = re.findall(r"(\d+) (.+?)(?: ·|$)", " ".join(body.split()))
    assert [int(n) for n, _ in entries] == list(range(1, 37))
    inst = get_instrument("ecr")
    keys = _keys("ecr")
    for number, text in entries:
        reverse = text.endswith("(R)")
        text = text.removesuffix("(R)").strip()
        assert _norm(inst.item(number).text) == _norm(text), number
        expected_scale = "avoidance" if int(number) % 2 else "anxiety"
        assert keys[number] == (expected_scale, reverse), number


def test_ecr_s_items_original_numbers_and_keys_match_reference(reference):
    section = _section(reference, "ECR-S (12 items", "## 4. RQ")
    rows = re.findall(r"^\| (\d+) \| (\d+) \| (.+?) \| (Anx|Avo) \| (R?) *\|$", section, flags=re.M)
    assert len(rows) == 12
    inst = get_instrument("ecr-s")
    full = get_instrument("ecr")
    keys = _keys("ecr-s")
    for number, original, text, scale, rev in rows:
        item = inst.item(number)
        assert _norm(item.text) == _norm(text), number
        assert item.original_number == int(original)
        # The short form re-uses the original item verbatim.
        assert _norm(full.item(original).text) == _norm(text)
        assert keys[number] == (SCALE[scale], rev == "R"), number


def test_ecr_rs_items_and_keys_match_reference(reference):
    section = _section(reference, "## 2. ECR-RS", "## 3. ECR")
    rows = re.findall(r"^(\d)\. (.+?)( \(R\))?$", section, flags=re.M)
    assert len(rows) == 9
    inst = get_instrument("ecr-rs")
    keys = _keys("ecr-rs")
    for target in ("mother", "father", "partner", "friend"):
        for number, text, rev in rows:
            key = f"{target}_{number}"
            assert _norm(inst.item(key).text) == _norm(text)
            scale = "avoidance" if int(number) <= 6 else "anxiety"
            assert keys[key] == (f"{target}_{scale}", bool(rev)), key


def test_rq_paragraphs_match_reference_and_dimension_weights(reference):
    section = _section(reference, "## 4. RQ", "Dimensions (Griffin")
    paragraphs = dict(re.findall(r'\* \*\*(\w+):\*\* "(.+?)"', " ".join(section.split())))
    inst = get_instrument("rq")
    letters = {"Secure": "1", "Fearful": "2", "Preoccupied": "3", "Dismissing": "4"}
    for name, number in letters.items():
        assert _norm(inst.item(number).text) == _norm(paragraphs[name]), name

    # Model of self = (S + D) − (P + F); model of others = (S + P) − (D + F).
    def weights(scale_id: str) -> dict[str, float]:
        scale = inst.scale(scale_id)
        return dict(zip(scale.item_keys, scale.weights, strict=True))

    self_w, other_w = weights("model_of_self"), weights("model_of_others")
    assert self_w == {"1": 1, "4": 1, "3": -1, "2": -1}
    assert other_w == {"1": 1, "3": 1, "4": -1, "2": -1}


def test_ecr_item_texts_match_openpsychometrics_codebook():
    """A second, independent source for the ECR wording (apostrophes aside)."""
    codebook = shared_path("data", "openpsychometrics_ecr", "codebook.txt").read_text()
    quoted = re.findall(r'^"(.+?)" rated on a five point scale', codebook, flags=re.M)
    assert len(quoted) == 36
    inst = get_instrument("ecr")

    def loose(t: str) -> str:
        return _norm(t).replace("'", "").lower()

    for number, text in enumerate(quoted, start=1):
        assert loose(inst.item(str(number)).text) == loose(text), number
