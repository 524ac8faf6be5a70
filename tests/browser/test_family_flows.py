"""A caregiver on a 375 px phone in a real Chromium: add a child, then this week's
five-conditions check-in, by keyboard and by touch-sized controls; every page axe-clean, no
sideways scrolling.

The expected trend words are worked out by hand: one check only, so each condition reads
"first check" with the rating chosen (safe 4, seen 3, soothed 5, valued 4, explore 2).
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_pages_light_dark import BROKEN_WORDS, HORIZONTAL_OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = {
    "Safe and protected": 4,
    "Seen and known": 3,
    "Comforted and soothed": 5,
    "Valued for who they are": 4,
    "Supported to explore": 2,
}


def check_page(page, name: str, problems: dict, artifacts=None) -> None:
    if artifacts is not None:
        slug = "".join(ch if ch.isalnum() else "-" for ch in name)
        page.screenshot(path=str(artifacts / f"family-{slug}-375.png"), full_page=True)
    if (overflow := page.evaluate(HORIZONTAL_OVERFLOW)) > 0:
        problems[f"{name}: scrolls sideways"] = overflow
    if broken := page.evaluate(BROKEN_WORDS):
        problems[f"{name}: words broken across lines"] = broken[:10]
    if violations := blocking_violations(page):
        problems[f"{name}: axe"] = violations


def test_add_a_child_and_check_in_on_a_phone(signed_in, browsing, owner, artifacts):
    from safebase.web.family.models import Child, FiveConditionsCheck

    page = signed_in
    page.set_viewport_size(PHONE)
    problems: dict[str, object] = {}

    page.get_by_role("link", name="Family").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="For parents and caregivers").is_visible()
    check_page(page, "family home (empty)", problems, artifacts)

    # A bad year first: one clear message, nothing saved.
    page.get_by_label("First name or nickname").fill("Robin")
    page.get_by_label("Birth year").fill("1850")
    page.get_by_role("button", name="Add child").click()
    page.wait_for_load_state()
    assert "Birth year:" in page.get_by_role("alert").inner_text()
    assert Child.objects.count() == 0
    check_page(page, "family home (error)", problems, artifacts)

    page.get_by_label("First name or nickname").fill("Robin")
    page.get_by_label("Birth year").fill("2022")
    page.get_by_role("button", name="Add child").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Robin", exact=True).is_visible()
    assert "Child saved." in page.get_by_role("status").inner_text()
    check_page(page, "child page (no check yet)", problems, artifacts)

    page.get_by_role("link", name="This week's five-conditions check").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Five conditions for Robin").is_visible()
    check_page(page, "five-conditions check-in", problems, artifacts)
    for title, value in CHOSEN.items():
        group = page.get_by_role("group", name=title)
        option = group.get_by_role("radio").nth(value - 1)
        option.focus()
        page.keyboard.press("Space")  # by keyboard, as a screen-reader user would
        assert option.is_checked(), title
        box = group.locator("label").first.bounding_box()  # the label is the tap target
        assert box is not None and box["height"] >= 24 and box["width"] >= 200, (title, box)
    page.get_by_label("Note (optional)").fill("a calm week together")
    page.get_by_role("button", name="Save this week's check").click()
    page.wait_for_load_state()
    assert "This week's check saved." in page.get_by_role("status").inner_text()

    stored = FiveConditionsCheck.objects.get(owner=owner)
    assert (stored.safe, stored.seen, stored.soothed, stored.valued, stored.explore) == (
        4,
        3,
        5,
        4,
        2,
    )
    assert stored.note == "a calm week together"

    page.get_by_role("link", name="Back to Robin").click()
    page.wait_for_load_state()
    trend = page.get_by_role("region", name="Ratings by week")
    assert trend.is_visible()
    row = trend.get_by_role("row").nth(1).inner_text().split()
    assert row[-5:] == ["4", "3", "5", "4", "2"]
    for title, value in CHOSEN.items():
        assert f"{title}: {value} of 5, first check" in page.locator("main").inner_text()
    check_page(page, "child page (with a check)", problems, artifacts)

    assert not problems, json.dumps(problems, indent=2)
