"""The parents-and-caregivers content: complete, cited, linked to practices that exist."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from statistics import median

import pytest

from safebase.core import caregiving
from safebase.core.practice.exercises import all_exercises

MATERIAL = Path("/work/shared/source-material")


def test_the_five_conditions_are_the_materials_five_in_order():
    titles = [c.title for c in caregiving.five_conditions()]
    assert titles == [
        "Safe and protected",
        "Seen and known",
        "Comforted and soothed",
        "Valued for who they are",
        "Supported to explore",
    ]
    assert caregiving.condition_ids() == ("safe", "seen", "soothed", "valued", "explore")


def test_every_entry_cites_a_known_article():
    titles = {s.title for s in caregiving.sources().values()}
    cited = [c.citation for c in caregiving.five_conditions()]
    cited += [s.citation for b in caregiving.age_bands() for s in b.signs]
    cited += [
        caregiving.professional().citation,
        caregiving.attuned().citation,
        caregiving.repair_framing().citation,
        *caregiving.caregiver_patterns().citations,
    ]
    assert len(cited) == 5 + 16 + 3 + 3
    for text in cited:
        assert any(f"“{t}”" in text for t in titles), text


def test_linked_practices_exist_in_the_library_or_are_family_pages():
    library = set(all_exercises())
    for pid in caregiving.all_practice_ids():
        if pid.startswith(caregiving.FAMILY_PRACTICE_PREFIX):
            assert pid in {"family:attuned", "family:repairs"}, pid
        else:
            assert pid in library, pid
    for cond in caregiving.five_conditions():
        assert cond.practices, cond.id


def test_four_age_bands_cover_every_age_without_gaps():
    bands = caregiving.age_bands()
    assert [b.id for b in bands] == ["infant", "toddler", "school", "adolescent"]
    for earlier, later in itertools.pairwise(bands):
        assert later.youngest == earlier.oldest + 1
    assert [caregiving.band_for_age(a).id for a in (0, 1, 3, 4, 12, 13, 17, 40)] == [
        "infant",
        "toddler",
        "toddler",
        "school",
        "school",
        "adolescent",
        "adolescent",
        "adolescent",
    ]


def test_signs_are_worded_as_observations_not_diagnoses():
    words = " ".join(s.text for b in caregiving.age_bands() for s in b.signs).lower()
    for diagnostic in ("disorder", "diagnos", "insecure", "avoidant", "anxious", "score"):
        assert diagnostic not in words


def test_attuned_response_has_the_three_steps_then_a_look_ahead():
    steps = caregiving.attuned().steps
    assert [s.id for s in steps] == ["read", "respond", "received", "next_time"]
    assert "Attuned responses" in caregiving.attuned().citation


@pytest.mark.skipif(not MATERIAL.exists(), reason="the source material is not on this machine")
def test_the_one_third_quotation_is_the_materials_own_words():
    text = " ".join((MATERIAL / "004_7fb87439ed1cc348.txt").read_text().split())
    assert caregiving.repair_framing().quote in text
    # and it sits in the section the citation names, just before "Attuned responses"
    at = text.index(caregiving.repair_framing().quote)
    assert text.rindex("2.2. Emotional Attunement", 0, at) < at < text.index("Attuned responses")


def test_repairs_by_month_counts_and_medians_against_a_hand_count():
    rows = [
        (date(2026, 10, 3), 10),
        (date(2026, 10, 20), 30),
        (date(2026, 10, 31), 1440),
        (date(2026, 11, 1), 5),
        (date(2026, 11, 28), 15),
    ]
    months = caregiving.repairs_by_month(rows)
    assert [(m.month, m.count, m.median_minutes) for m in months] == [
        (date(2026, 11, 1), 2, 10.0),
        (date(2026, 10, 1), 3, 30.0),
    ]
    assert months[1].median_minutes == median([10, 30, 1440])
    assert caregiving.repairs_by_month([]) == []
