"""Practice journeys in a real Chromium: plan, check-in, exercises, journal, progress, timer.

A new person takes the ECR-R (anxious-preoccupied answers), then walks the practice pages. The
expected plan and the weekly counts are worked out by hand from ``safebase/exercises/*.toml``,
never with the app's plan builder or summariser:

Exercises whose ``patterns`` include "anxious", by phase (file-name order):
  pattern recognition:  belief-check, emotion-check-in, relationship-story
  emotional processing: affirmation, belief-check, body-scan, emotion-check-in, self-soothing,
                        tolerate-distance
  skill development:    active-listening, boundary-reflection, i-statement, repair,
                        tolerate-distance
  integration:          affirmation, boundary-reflection, gratitude, relationship-story, repair,
                        rituals
Not for "anxious": grounding, stay-present, support-seeking, vulnerability-ladder.

Practice per phase after one check-in, one I-statement and one repair record:
  emotion-check-in → pattern_recognition + emotional_processing
  i-statement      → skill_development
  repair           → skill_development + integration_maintenance
  = pattern recognition 1, emotional processing 1, skill development 2, integration 1.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import cell, complete_by_mouse, start
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_questionnaire_flows import ANXIOUS, ANXIOUS_SCORES, assert_result_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHASES = (
    "Pattern recognition",
    "Emotional processing",
    "Skill development",
    "Integration and maintenance",
)
ANXIOUS_FOCUS = (
    "Self-soothing before reaching out, direct requests instead of protest, checking "
    "catastrophic beliefs such as 'people always leave', and tolerating distance."
)
ANXIOUS_PLAN = {
    "Pattern recognition": [
        "Belief check (thought record)",
        "Emotion check-in",
        "Relationship story",
    ],
    "Emotional processing": [
        "Affirmation",
        "Belief check (thought record)",
        "Mindfulness and body scan",
        "Emotion check-in",
        "Self-soothing repertoire",
        "Tolerating distance",
    ],
    "Skill development": [
        "Active listening reflection",
        "Boundary reflection",
        "I-statement practice",
        "Repair after conflict",
        "Tolerating distance",
    ],
    "Integration and maintenance": [
        "Affirmation",
        "Boundary reflection",
        "Connection gratitude",
        "Relationship story",
        "Repair after conflict",
        "Co-regulation and relationship rituals",
    ],
}
NOT_FOR_ANXIOUS = (
    "Graduated vulnerability ladder",
    "Grounding: safety first",
    "Staying present in conflict",
    "Asking for and accepting support",
)
# The "why" lines for the anxious pattern, copied from the TOML files.
WHY_SELF_SOOTHING = "Self-soothing before reaching out turns protest behaviour into a calm request."
WHY_I_STATEMENT = "A direct request is heard; protest ('you never…') invites defence."
WHY_REPAIR = "Repair shows that a conflict does not mean the relationship is ending."

CRISIS_HEADING = "You don't have to face this alone"


def axe_clean(page, name: str, found: dict[str, list[dict]]) -> None:
    """Run axe now and remember any serious/critical violation under ``name``."""
    found[name] = blocking_violations(page)


def assert_axe_clean(found: dict[str, list[dict]]) -> None:
    bad = {name: v for name, v in found.items() if v}
    assert not bad, "axe found serious/critical violations:\n" + json.dumps(bad, indent=2)


def phase_section(page, number: int, title: str):
    heading = page.get_by_role("heading", level=2, name=re.compile(rf"^{number}\. {title}"))
    return page.locator("section").filter(has=heading)


def save(page, button: str = "Save") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_new_user_walks_plan_checkin_exercises_and_progress(signed_in, browsing):
    from safebase.web.practice.models import CheckIn, ExerciseRecord

    page = signed_in
    base = browsing.base_url
    axe: dict[str, list[dict]] = {}

    # Before any result the plan only points to the questionnaire.
    page.goto(base + "/practice/")
    assert page.get_by_role("link", name="Take the ECR-S").is_visible()
    assert page.locator("section").count() == 0

    page.goto(base + "/")
    start(page, "ECR-R")
    complete_by_mouse(page, ANXIOUS)
    assert_result_page(page, "Anxious-preoccupied", ANXIOUS_SCORES)

    # --- Plan ---------------------------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan").click()
    assert page.url == base + "/practice/"
    assert page.get_by_role("heading", level=1).inner_text() == "Your plan for earned security"
    focus = page.locator("main p.card").filter(has_text="Focus for")
    assert ANXIOUS_FOCUS in focus.inner_text()
    assert "anxious" in focus.inner_text()
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings == [
        f"1. {PHASES[0]} — you are here",
        f"2. {PHASES[1]}",
        f"3. {PHASES[2]}",
        f"4. {PHASES[3]}",
    ], headings
    for number, title in enumerate(PHASES, start=1):
        section = phase_section(page, number, title)
        assert section.count() == 1, title
        titles = section.locator("li > a").all_inner_texts()
        assert titles == ANXIOUS_PLAN[title], (title, titles)
        assert "Progress: 0 of 5 practices" in section.locator("label").inner_text()
    main = page.locator("main")
    text = main.inner_text()
    assert "Self-soothing repertoire" in text
    for title in NOT_FOR_ANXIOUS:
        assert title not in text, title
    soothing = main.locator("li").filter(has=page.get_by_role("link", name="Self-soothing"))
    assert WHY_SELF_SOOTHING in soothing.inner_text()
    istatement = phase_section(page, 3, PHASES[2]).locator("li").filter(has_text="I-statement")
    assert WHY_I_STATEMENT in istatement.inner_text()
    axe_clean(page, "plan", axe)

    # --- First emotion check-in ---------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Check-in").click()
    assert page.url == base + "/practice/checkin/"
    assert page.get_by_text("Recent check-ins").count() == 0
    axe_clean(page, "check-in", axe)
    page.get_by_role("group", name="Sadness").get_by_role("radio", name="lonely").check()
    slider = page.get_by_label("How strong (0–10)?")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert slider.input_value() == "7"
    assert page.locator("#intensity-out").inner_text() == "7"
    page.get_by_role("group", name="What do I need?").get_by_role(
        "radio", name="reassurance"
    ).check()
    page.get_by_label("A short note (optional, encrypted)").fill("Waiting for a text back.")
    save(page, "Save check-in")
    assert page.url == base + "/practice/progress/", page.url
    assert page.get_by_role("status").filter(has_text="Check-in saved.").is_visible()
    assert page.get_by_role("alert").count() == 0  # an ordinary note is not a risk
    assert "Check-ins: 1 ·" in page.locator("main").inner_text()
    families = page.locator("table").filter(has_text="Check-ins by feeling family")
    assert cell(families, "sadness", 0) == "1"
    intensity = page.locator("table").filter(has_text="Average intensity per day")
    assert intensity.locator("tbody td").all_inner_texts() == ["7.0"]
    saved = CheckIn.objects.get()
    assert (saved.emotion, saved.family, saved.intensity, saved.need) == (
        "lonely",
        "sadness",
        7,
        "reassurance",
    )
    assert saved.note == "Waiting for a text back."
    page.goto(base + "/practice/checkin/")
    recent = page.locator("h2:has-text('Recent check-ins') + ul li")
    assert recent.count() == 1
    assert "lonely (sadness), 7/10, needs reassurance" in recent.inner_text()

    # --- I-statement with the coach -----------------------------------------------------------
    page.goto(base + "/practice/exercise/i-statement/")
    assert page.get_by_role("heading", level=1).inner_text() == "I-statement practice"
    assert WHY_I_STATEMENT in page.locator("main").inner_text()
    assert "Phase: Skill development" in page.locator("main").inner_text()
    page.locator("main form textarea").first.fill("You never listen to me")
    with page.expect_response(lambda r: r.url.endswith("/practice/coach/")) as info:
        page.get_by_role("button", name="Check with the coach").click()
    assert info.value.ok
    coach = page.locator("#coach")
    coach.locator("mark").first.wait_for()
    assert coach.locator("mark").all_inner_texts() == ["You never"]
    assert "The coach noticed:" in coach.inner_text()
    suggestion = coach.locator("em").inner_text()
    assert suggestion.startswith("I feel"), suggestion
    axe_clean(page, "exercise (i-statement, coach feedback shown)", axe)
    rewrite = "I feel unheard when I'm talking and you look at your phone. Could we take turns?"
    page.get_by_label("Your I-statement").fill(rewrite)
    save(page)
    assert page.url == base + "/practice/exercise/i-statement/"
    assert page.get_by_role("status").filter(has_text="I-statement practice saved.").is_visible()
    records = page.locator("section").filter(
        has=page.get_by_role("heading", name="Your recent records")
    )
    assert records.locator("dd").all_inner_texts() == ["You never listen to me", rewrite]
    record = ExerciseRecord.objects.get(exercise_id="i-statement")
    assert record.data == {"original": "You never listen to me", "rewrite": rewrite}

    # --- Repair after conflict ----------------------------------------------------------------
    page.goto(base + "/practice/exercise/repair/")
    assert WHY_REPAIR in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Your recent records").count() == 0
    repair = {
        "What happened?": "We argued about the weekend plans.",
        "My part in it": "I raised my voice.",
        "How it was for them": "They felt cornered.",
        "The path forward I offered": "Plan weekends together on Thursday evenings.",
    }
    for label, value in repair.items():
        page.get_by_label(label, exact=True).fill(value)
    save(page)
    assert page.url == base + "/practice/exercise/repair/"
    records = page.locator("section").filter(
        has=page.get_by_role("heading", name="Your recent records")
    )
    assert records.locator("dt").all_inner_texts() == list(repair)
    assert records.locator("dd").all_inner_texts() == list(repair.values())

    # --- Weekly summary -----------------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    main_text = page.locator("main").inner_text()
    assert "Check-ins: 1 · Gratitude entries: 0 · Journal entries: 0" in main_text
    assert "Days with practice this week: 1 of 7." in main_text
    chart = page.locator("main svg[role='img']")
    assert chart.count() == 1 and chart.is_visible()
    assert chart.get_attribute("aria-label")
    by_phase = page.locator("table").filter(has_text="Practice this week, by phase")
    counts = {title: cell(by_phase, title, 0) for title in PHASES}
    assert counts == {
        "Pattern recognition": "1",
        "Emotional processing": "1",
        "Skill development": "2",
        "Integration and maintenance": "1",
    }, counts
    axe_clean(page, "progress", axe)

    # The plan now counts the practice (still in phase 1: 1 of 5 is not done).
    page.goto(base + "/practice/")
    assert "— you are here" in phase_section(page, 1, PHASES[0]).locator("h2").inner_text()
    progress_labels = [
        phase_section(page, n, t).locator("label").inner_text()
        for n, t in enumerate(PHASES, start=1)
    ]
    assert progress_labels == [
        "Progress: 1 of 5 practices",
        "Progress: 1 of 5 practices",
        "Progress: 2 of 5 practices",
        "Progress: 1 of 5 practices",
    ], progress_labels
    assert "Practice streak: 1 day" in page.locator("main").inner_text()

    assert_axe_clean(axe)


def test_journal_shows_crisis_resources_for_risk_text_but_not_for_idioms(signed_in, browsing):
    from safebase.web.practice.models import JournalEntry

    page = signed_in
    base = browsing.base_url
    axe: dict[str, list[dict]] = {}

    page.goto(base + "/practice/journal/")
    risky = "I don't want to live anymore"
    page.get_by_label("New entry").fill(risky)
    save(page, "Save entry")
    assert page.url == base + "/practice/journal/"
    panel = page.get_by_role("alert")
    assert panel.count() == 1 and panel.is_visible()
    assert panel.get_by_role("heading", name=CRISIS_HEADING).is_visible()
    assert "Your entry was saved." in panel.inner_text()
    assert panel.locator("li").count() >= 1  # at least one resource to contact
    assert page.get_by_role("status").filter(has_text="Journal entry saved.").is_visible()
    entries = page.locator("main article")
    assert entries.count() == 1 and risky in entries.first.inner_text()  # kept, not blocked
    axe_clean(page, "journal (crisis resources shown)", axe)

    # Shown once, right after the save; not on every later page.
    page.reload()
    assert page.get_by_role("alert").count() == 0

    idiom = "I'm dying to see her this weekend"
    page.get_by_label("New entry").fill(idiom)
    save(page, "Save entry")
    assert page.get_by_role("status").filter(has_text="Journal entry saved.").is_visible()
    assert page.get_by_role("alert").count() == 0
    assert page.get_by_text(CRISIS_HEADING).count() == 0
    texts = page.locator("main article > p").all_inner_texts()  # not the sharing line
    assert texts == [idiom, risky]  # newest first, both listed
    assert sorted(JournalEntry.objects.values_list("body", flat=True)) == sorted([idiom, risky])
    axe_clean(page, "journal", axe)

    # The trigger log, with one entry.
    with page.expect_navigation():
        page.get_by_role("link", name="Log a trigger or setback").click()
    page.get_by_label("Situation").fill("They were late and did not text.")
    page.get_by_role("radio", name=re.compile("^Anxious protest")).check()
    page.get_by_label("What I did").fill("Sent five messages.")
    page.get_by_label("Repair made (or planned)").fill("Apologised and asked for a heads-up.")
    save(page)
    assert page.url == base + "/practice/triggers/"
    assert page.get_by_role("alert").count() == 0
    log = page.locator("main article")
    assert log.count() == 1
    assert "Anxious protest" in log.inner_text() and "Sent five messages." in log.inner_text()
    axe_clean(page, "triggers", axe)

    assert_axe_clean(axe)


def test_body_scan_timer_counts_down(signed_in, browsing):
    page = signed_in
    page.goto(browsing.base_url + "/practice/exercise/body-scan/")
    display = page.get_by_role("timer")
    assert display.inner_text() == "12:00"
    button = page.locator("#timer-start")
    assert button.inner_text() == "Start 12-minute timer"
    button.click()
    page.wait_for_function(
        "() => document.getElementById('timer-display').textContent !== '12:00'", timeout=2_500
    )
    assert re.fullmatch(r"11:5\d", display.inner_text()), display.inner_text()
    assert button.inner_text() == "Stop timer"
