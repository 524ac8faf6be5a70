"""Whole journeys through the web app in a real Chromium: take, resume, retake, export, delete.

Expected scores are worked out by hand from the answers below (never with the app's scorer):
ECR-R anxiety is the mean of items 1–18 with 9 and 11 reversed (8 − x); avoidance is the mean of
items 19–36 with 20, 22, 26–31 and 33–36 reversed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from safebase.core.styles import NOT_A_DIAGNOSIS
from tests.browser.conftest import (
    answer_by_keyboard,
    cell,
    choose,
    complete_by_mouse,
    focused,
    item_keys_on_page,
    press_and_autosave,
    start,
    submit_by_keyboard,
    submit_page,
    tab_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ecr_r(anxiety_items: list[int], avoidance_items: list[int]) -> dict[str, int]:
    """Answers keyed by item number: items 1–18, then items 19–36."""
    values = [*anxiety_items, *avoidance_items]
    assert len(anxiety_items) == len(avoidance_items) == 18
    return {str(number): v for number, v in enumerate(values, start=1)}


# Anxious-preoccupied answers.
#   anxiety 1–18: 6 5 6 7 5 6 4 5 [9: 2→6] 6 [11: 3→5] 5 6 4 5 6 7 5 = 99 → 99/18 = 5.50
#   avoidance 19–36: 2 [20: 6→2] 3 [22: 5→3] 2 1 3 [26: 6→2] [27: 5→3] [28: 6→2] [29: 7→1]
#     [30: 5→3] [31: 6→2] 2 [33: 6→2] [34: 5→3] [35: 6→2] [36: 7→1] = 39 → 39/18 = 2.1666 → 2.17
ANXIOUS = ecr_r(
    [6, 5, 6, 7, 5, 6, 4, 5, 2, 6, 3, 5, 6, 4, 5, 6, 7, 5],
    [2, 6, 3, 5, 2, 1, 3, 6, 5, 6, 7, 5, 6, 2, 6, 5, 6, 7],
)
ANXIOUS_SCORES = ("5.50", "2.17")

# Secure answers.
#   anxiety: 3 2 4 3 2 3 2 3 [9: 5→3] 2 [11: 6→2] 3 2 3 2 3 2 3 = 47 → 2.6111 → 2.61
#   avoidance: 3 [20: 5→3] 2 [22: 6→2] 3 2 2 [26: 6→2] [27: 6→2] [28: 5→3] [29: 6→2] [30: 6→2]
#     [31: 5→3] 3 [33: 6→2] [34: 6→2] [35: 5→3] [36: 6→2] = 43 → 2.3888 → 2.39
SECURE = ecr_r(
    [3, 2, 4, 3, 2, 3, 2, 3, 5, 2, 6, 3, 2, 3, 2, 3, 2, 3],
    [3, 5, 2, 6, 3, 2, 2, 6, 6, 5, 6, 6, 5, 3, 6, 6, 5, 6],
)
SECURE_SCORES = ("2.61", "2.39")

# Dismissing-avoidant answers.
#   anxiety: 2 3 2 3 2 3 2 3 [9: 6→2] 3 [11: 6→2] 2 3 2 3 2 3 2 = 44 → 2.4444 → 2.44
#   avoidance: 6 [20: 2→6] 6 [22: 2→6] 5 6 6 [26: 2→6] [27: 2→6] [28: 3→5] [29: 2→6] [30: 2→6]
#     [31: 3→5] 6 [33: 2→6] [34: 3→5] [35: 2→6] [36: 2→6] = 104 → 5.7777 → 5.78
AVOIDANT = ecr_r(
    [2, 3, 2, 3, 2, 3, 2, 3, 6, 3, 6, 2, 3, 2, 3, 2, 3, 2],
    [6, 2, 6, 2, 5, 6, 6, 2, 2, 3, 2, 2, 3, 6, 2, 3, 2, 2],
)
AVOIDANT_SCORES = ("2.44", "5.78")

DIMENSIONS = ("Attachment anxiety", "Attachment avoidance")
NO_NORM = (
    "not available — missing: the SD and a reliability (no reference sample for ECR-R in this "
    "response format, and no cited observed test–retest correlation)"
)


def dimension_table(page):
    return page.locator("table").filter(has_text="Your scores (data table for the chart)")


def assert_result_page(page, pattern: str, scores: tuple[str, str]) -> None:
    assert re.search(r"/assessments/\d+/$", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Your ECR-R result"
    assert page.get_by_role("heading", name=f"Pattern: {pattern}", exact=True).is_visible()
    table = dimension_table(page)
    assert (cell(table, DIMENSIONS[0], 0), cell(table, DIMENSIONS[1], 0)) == scores
    chart = page.locator("#profile-chart svg[role='img']")
    assert chart.count() == 1 and chart.is_visible()
    assert chart.get_attribute("aria-label")
    assert page.locator("main").get_by_text(NOT_A_DIAGNOSIS).is_visible()


def test_new_user_completes_ecr_r_with_the_keyboard_only(signed_in, browsing):
    page = signed_in
    # A new person is welcomed, with the short and the full questionnaire to choose from.
    assert page.get_by_role("heading", level=1, name="Welcome to safebase").is_visible()
    assert page.get_by_text("Carry on where you stopped").count() == 0
    assert page.get_by_role("button", name="Start the ECR-S").is_visible()

    focus = tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Start the ECR-R")
    assert focus["text"] == "Start the ECR-R"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for number in range(1, 7):
        assert page.url.endswith(f"/page/{number}/"), page.url
        keys = item_keys_on_page(page)
        assert keys == [str(k) for k in range(6 * number - 5, 6 * number + 1)]
        for key in keys:
            answer_by_keyboard(page, key, ANXIOUS[key])
            if key == "1":
                # Change one's mind with the keyboard: one step too far, then Shift+Tab back
                # into the group (focus returns to its checked radio) and ArrowLeft to correct.
                press_and_autosave(page, "ArrowRight")
                tab_until(page, lambda f: f["name"] == "item_2")
                now = tab_until(page, lambda f: f["name"] == "item_1", backwards=True)
                assert (now["value"], now["checked"]) == (str(ANXIOUS["1"] + 1), True)
                press_and_autosave(page, "ArrowLeft")
                assert focused(page)["value"] == str(ANXIOUS["1"])
        expected = f"{6 * number} of 36"
        assert page.locator("#progress-text").inner_text() == expected  # htmx out-of-band swap
        submit_by_keyboard(page, "Enter" if number % 2 else "Space")

    assert_result_page(page, "Anxious-preoccupied", ANXIOUS_SCORES)


def test_enter_on_an_answer_moves_forward_on_every_page(signed_in):
    page = signed_in
    start(page, "ECR-R")
    for number in (1, 2):
        answer_by_keyboard(page, str(6 * number - 5), 4)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # implicit submission from the radio group
        assert page.url.endswith(f"/page/{number + 1}/"), page.url


def test_leaving_halfway_and_resuming(signed_in, browsing):
    from safebase.web.assessments.models import Assessment

    page = signed_in
    start(page, "ECR-R")
    for _ in range(2):
        for key in item_keys_on_page(page):
            choose(page, key, SECURE[key])
        submit_page(page)
    assert page.url.endswith("/page/3/")
    for key in ("13", "14", "15"):
        choose(page, key, SECURE[key])  # waits for htmx's autosave response
    assert page.locator("#progress-text").inner_text() == "15 of 36"
    page.close()  # leave without pressing Next

    saved = Assessment.objects.get()
    assert saved.status == Assessment.Status.IN_PROGRESS
    assert saved.answers == {str(k): SECURE[str(k)] for k in range(1, 16)}

    page = browsing.new_page()
    page.goto(browsing.base_url + "/")
    resume = page.get_by_role("link", name="Resume the ECR-R")
    assert resume.is_visible()
    assert "(15 of 36 answered)" in page.locator("#resume-h + ul").inner_text()
    with page.expect_navigation():
        resume.click()
    assert page.url.endswith(f"/assessments/{saved.pk}/page/3/"), page.url
    for key in ("13", "14", "15"):
        checked = page.locator(f"input[name='item_{key}']:checked")
        assert checked.count() == 1 and checked.get_attribute("value") == str(SECURE[key])
    for key in ("16", "17", "18"):
        assert page.locator(f"input[name='item_{key}']:checked").count() == 0

    complete_by_mouse(page, SECURE)
    assert_result_page(page, "Secure", SECURE_SCORES)
    page.goto(browsing.base_url + "/")
    assert page.get_by_role("link", name=re.compile("^Resume")).count() == 0
    assert page.get_by_role("link", name=re.compile(r"^ECR-R, \d")).is_visible()


def test_retaking_shows_history_trend_change_and_comparison(signed_in, browsing):
    from safebase.web.assessments.models import Assessment

    page = signed_in
    start(page, "ECR-R")
    complete_by_mouse(page, ANXIOUS)
    assert_result_page(page, "Anxious-preoccupied", ANXIOUS_SCORES)
    page.goto(browsing.base_url + "/")
    start(page, "ECR-R")
    assert page.url.endswith("/page/1/")
    assert page.locator("input[type=radio]:checked").count() == 0  # a fresh administration
    complete_by_mouse(page, AVOIDANT)
    assert_result_page(page, "Dismissing-avoidant", AVOIDANT_SCORES)
    first, second = Assessment.objects.order_by("completed_at")

    with page.expect_navigation():
        page.get_by_role("link", name="See your history").click()
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Experiences in Close Relationships – Revised")
    )
    results = section.locator("table").filter(has_text="All ECR-R results")
    assert results.locator("tbody tr").count() == 2
    assert results.locator("tbody tr td:nth-child(4)").all_inner_texts() == [
        "anxious-preoccupied",
        "dismissing-avoidant",
    ]
    trend = section.locator(".chart svg[role='img']")
    assert trend.count() == 2  # scores over time, and the path across the plane
    assert trend.first.is_visible() and trend.last.is_visible()

    changes = section.locator("table.changes")
    assert changes.count() == 1
    # Change = after − before: anxiety 44/18 − 99/18 = −55/18 = −3.0555 → −3.06;
    # avoidance 104/18 − 39/18 = 65/18 = 3.6111 → 3.61.
    assert [cell(changes, "anxiety", i) for i in range(5)] == [
        "5.50", "2.44", "-3.06", "—", NO_NORM
    ]  # fmt: skip
    assert [cell(changes, "avoidance", i) for i in range(5)] == [
        "2.17", "5.78", "3.61", "—", NO_NORM
    ]  # fmt: skip

    # Compare the later result with the earlier one (the reverse of the default order).
    assert page.locator("#comparison").count() == 0
    page.get_by_label("From").select_option(str(second.pk))
    page.get_by_label("to", exact=True).select_option(str(first.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    assert f"a={second.pk}" in page.url and f"b={first.pk}" in page.url
    comparison = page.locator("#comparison")
    assert comparison.is_visible()
    assert comparison.get_by_role("heading").inner_text() == "ECR-R 2 → 1"  # one numbering
    table = comparison.locator("table.changes")
    assert [cell(table, "anxiety", i) for i in range(3)] == ["2.44", "5.50", "3.06"]
    assert [cell(table, "avoidance", i) for i in range(3)] == ["5.78", "2.17", "-3.61"]


def test_export_then_delete_everything(signed_in, browsing, owner):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments.models import Assessment

    page = signed_in
    start(page, "ECR-R")
    complete_by_mouse(page, SECURE)
    page.goto(browsing.base_url + "/history/")

    with page.expect_download() as info:
        page.get_by_role("link", name="Export everything (JSON)").click()
    assert info.value.suggested_filename == "safebase-export.json"
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported["username"] == "local"
    [row] = exported["assessments"]
    assert (row["instrument"], row["status"]) == ("ecr-r", "complete")
    assert row["answers"] == SECURE
    assert round(row["scores"]["anxiety"], 4) == round(47 / 18, 4)

    with page.expect_download() as info:
        page.get_by_role("link", name="Export everything (CSV)").click()
    assert info.value.suggested_filename == "safebase-export.csv"
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    answers = {
        r["field"].removeprefix("answer:"): int(r["value"])
        for r in rows
        if r["kind"] == "assessment" and r["field"].startswith("answer:")
    }
    assert answers == SECURE
    assert {r["value"] for r in rows if r["field"] == "instrument"} == {"ecr-r"}

    with page.expect_navigation():
        page.get_by_role("link", name="Delete everything").click()
    assert "1 questionnaire record " in page.locator("main").inner_text()
    # A wrong confirmation deletes nothing.
    page.get_by_label("Type DELETE to confirm").fill("delete it")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete everything").click()
    assert page.get_by_text("Type DELETE to confirm.").is_visible()
    assert Assessment.objects.filter(owner=owner).count() == 1

    page.get_by_label("Type DELETE to confirm").fill("")
    page.get_by_label("Type DELETE to confirm").press_sequentially("DELETE")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete everything").click()
    assert page.get_by_role("heading", name="Everything has been deleted").is_visible()

    assert Assessment.objects.count() == 0
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert not get_user_model().objects.filter(username="local").exists()

    page.goto(browsing.base_url + "/history/")
    assert page.get_by_role("heading", name="Your history").count() == 0
    assert page.get_by_role("heading", name="Welcome to safebase").is_visible()
    assert "ECR-R" not in page.locator("main").inner_text()


# ECR-RS, one page per relationship: avoidance = mean of items 1–6 with 1–4 reversed (8 − x),
# anxiety = mean of items 7–9.
RS_ANSWERS = {
    # avoidance 6 5 6 6 6 5 = 34/6 = 5.67; anxiety 1 2 1 = 4/3 = 1.33
    "mother": [2, 3, 2, 2, 6, 5, 1, 2, 1],
    # avoidance 2 2 3 1 2 1 = 11/6 = 1.83; anxiety 6 5 7 = 18/3 = 6.00
    "father": [6, 6, 5, 7, 2, 1, 6, 5, 7],
    # avoidance 1 2 2 1 1 2 = 9/6 = 1.50; anxiety 3 4 3 = 10/3 = 3.33
    "partner": [7, 6, 6, 7, 1, 2, 3, 4, 3],
    # avoidance 4 4 5 3 4 3 = 23/6 = 3.83; anxiety 2 2 3 = 7/3 = 2.33
    "friend": [4, 4, 3, 5, 4, 3, 2, 2, 3],
}
RS_EXPECTED = [
    ["Mother or mother-like figure", "1.33", "5.67"],
    ["Father or father-like figure", "6.00", "1.83"],
    ["Dating or marital partner", "3.33", "1.50"],
    ["Best friend", "2.33", "3.83"],
]


def test_ecr_rs_shows_each_relationship_side_by_side(signed_in):
    page = signed_in
    start(page, "ECR-RS")
    answers = {f"{t}_{n}": v for t, values in RS_ANSWERS.items() for n, v in enumerate(values, 1)}
    headings = []
    for _ in range(4):
        headings.append(page.get_by_role("heading", level=2).first.inner_text())
        assert len(item_keys_on_page(page)) == 9
        for key in item_keys_on_page(page):
            choose(page, key, answers[key])
        submit_page(page)
    assert headings == [
        "About your mother or mother-like figure",
        "About your father or father-like figure",
        "About your dating or marital partner",
        "About your best friend",
    ]
    assert re.search(r"/assessments/\d+/$", page.url), page.url

    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Each relationship, side by side")
    )
    table = section.locator("table").filter(has_text="Per-relationship scores")
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    got = [
        [rows.nth(i).locator("th").inner_text().strip()]
        + [t.strip() for t in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(4)
    ]
    assert got == RS_EXPECTED
    assert section.locator(".chart svg[role='img']").count() == 1
    # Global scores are the mean of the relationships answered (here all four):
    # anxiety (4/3 + 6 + 10/3 + 7/3)/4 = 39/12 = 3.25; avoidance (34 + 11 + 9 + 23)/24 = 3.2083.
    dims = dimension_table(page)
    answered = "mean of the relationships answered, at least 2 of 4"
    assert cell(dims, f"Global anxiety ({answered})", 0) == "3.25"
    assert cell(dims, f"Global avoidance ({answered})", 0) == "3.21"
    assert page.get_by_role("heading", name="Pattern: Secure", exact=True).is_visible()
