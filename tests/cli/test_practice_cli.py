"""The practice commands (``checkin``, ``journal``, ``plan``, ``practice``) driven in-process.

Expected values are worked by hand from the ECR-S key (Wei et al., 2007 — anxiety items 2, 4, 6,
8, 10, 12 with 8 reversed; avoidance items 1, 3, 5, 7, 9, 11 with 1, 5, 9 reversed; reversal on
the 1–7 scale is 8 − x; a pattern needs a scale *above* the midpoint 4) and from the exercise
files in ``safebase/exercises/`` (which patterns each serves, its phases, its reason per pattern).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.cli.helpers import keys, run

REPO = Path(__file__).resolve().parents[2]

# All-anxious ECR-S: anxiety items 2, 4, 6, 10, 12 at 7 and item 8 at 1 (8 − 1 = 7) -> 7.00;
# avoidance items 1, 5, 9 at 7 (8 − 7 = 1) and 3, 7, 11 at 1 -> 1.00 -> anxious-preoccupied.
ANXIOUS_STROKES = ["7", "7", "1", "7", "7", "7", "1", "1", "7", "7", "1", "7"]
# The mirror image: anxiety 2, 4, 6, 10, 12 at 1 and 8 at 7 (8 − 7 = 1) -> 1.00; avoidance
# 1, 5, 9 at 1 (8 − 1 = 7) and 3, 7, 11 at 7 -> 7.00 -> dismissing-avoidant.
AVOIDANT_STROKES = ["1", "1", "7", "1", "1", "1", "7", "7", "1", "1", "7", "1"]
# Both high: anxiety 2, 4, 6, 10, 12 at 7 and 8 at 1 -> 7.00; avoidance 1, 5, 9 at 1 and
# 3, 7, 11 at 7 -> 7.00 -> fearful-avoidant.
FEARFUL_STROKES = ["1", "7", "7", "7", "1", "7", "7", "1", "1", "7", "7", "7"]

PHASE_TITLES = [
    "Pattern recognition",
    "Emotional processing",
    "Skill development",
    "Integration and maintenance",
]
HERE = "← you are here"


def panel_lines(out: str) -> list[str]:
    """Lines of a Rich panel without its border and padding."""
    return [line.strip().strip("│").strip() for line in out.splitlines()]


def plan_sections(out: str) -> dict[str, tuple[str, list[str]]]:
    """Phase title -> (its header line, the exercise lines listed under it)."""
    sections: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in panel_lines(out):
        title = next((t for t in PHASE_TITLES if line.startswith(f"{t}: ")), None)
        if title:
            current = title
            sections[title] = (line, [])
        elif current and line and not line.startswith("╰"):
            sections[current][1].append(line)
    return sections


def exercise_ids(lines: list[str]) -> list[str]:
    return [m.group(1) for line in lines if (m := re.match(r"^([a-z][a-z0-9-]*): ", line))]


def assess(monkeypatch, capsys, strokes: list[str], style: str) -> None:
    from safebase.web.assessments.models import Assessment

    keys(monkeypatch, *strokes)
    assert run(["assess", "ecr-s"]) == 0
    capsys.readouterr()
    assert Assessment.objects.order_by("-pk").first().style == style


def plan_out(capsys) -> str:
    assert run(["plan"]) == 0
    return capsys.readouterr().out


def raw_column(table: str, column: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table}")
        return [row[0] for row in cur.fetchall()]


# ------------------------------------------------------------------------------------------------
# plan after a first assessment


@pytest.mark.django_db(transaction=True)
def test_plan_before_any_assessment(capsys):
    out = plan_out(capsys)
    assert "No plan yet: take a questionnaire first" in out
    assert "Your plan" not in out


@pytest.mark.django_db(transaction=True)
def test_new_anxious_user_plan(monkeypatch, capsys):
    from django.utils import timezone

    assess(monkeypatch, capsys, ANXIOUS_STROKES, "anxious-preoccupied")
    out = plan_out(capsys)
    lines = panel_lines(out)
    assert "Your plan" in out
    assert any(
        line.startswith("Pattern: anxious. Focus: Self-soothing before reaching out")
        for line in lines
    )
    assert "attachment-informed therapist" not in out
    assert "Practice streak: 0 day(s), longest 0." in lines
    due = timezone.localdate() + timedelta(weeks=4)
    assert f"Re-assessment suggested: {due.isoformat()}." in lines

    sections = plan_sections(out)
    assert list(sections) == PHASE_TITLES  # all four, in order
    headers = [sections[t][0] for t in PHASE_TITLES]
    assert headers[0] == f"Pattern recognition: 0/5  {HERE}"
    assert headers[1:] == [
        "Emotional processing: 0/5",
        "Skill development: 0/5",
        "Integration and maintenance: 0/5",
    ]
    assert out.count(HERE) == 1

    # Anxious exercises per phase (the files whose `patterns` include "anxious").
    ids = {t: exercise_ids(sections[t][1]) for t in PHASE_TITLES}
    assert sorted(ids["Pattern recognition"]) == [
        "belief-check",
        "emotion-check-in",
        "relationship-story",
    ]
    assert sorted(ids["Emotional processing"]) == [
        "affirmation",
        "belief-check",
        "body-scan",
        "emotion-check-in",
        "self-soothing",
        "tolerate-distance",
    ]
    assert sorted(ids["Skill development"]) == [
        "active-listening",
        "boundary-reflection",
        "i-statement",
        "repair",
        "tolerate-distance",
    ]
    everything = {i for v in ids.values() for i in v}
    for avoidant_only in ("vulnerability-ladder", "support-seeking", "stay-present", "grounding"):
        assert avoidant_only not in everything

    # Each with the anxious reason.
    assert any(
        line.startswith("self-soothing: ")
        and line.endswith(
            "— Self-soothing before reaching out turns protest behaviour into a calm request."
        )
        for line in lines
    )
    assert any(
        line.startswith("tolerate-distance: ")
        and line.endswith(
            "— Each time the feared outcome fails to happen, the alarm learns to quieten."
        )
        for line in lines
    )
    assert any(
        line.startswith("i-statement: ")
        and line.endswith("— A direct request is heard; protest ('you never…') invites defence.")
        for line in lines
    )


@pytest.mark.django_db(transaction=True)
def test_new_avoidant_user_plan(monkeypatch, capsys):
    assess(monkeypatch, capsys, AVOIDANT_STROKES, "dismissing-avoidant")
    out = plan_out(capsys)
    lines = panel_lines(out)
    assert any(
        line.startswith("Pattern: avoidant. Focus: Naming feelings, graduated vulnerability")
        for line in lines
    )
    assert "attachment-informed therapist" not in out

    sections = plan_sections(out)
    assert list(sections) == PHASE_TITLES
    assert sections["Pattern recognition"][0] == f"Pattern recognition: 0/5  {HERE}"
    assert out.count(HERE) == 1
    ids = {t: exercise_ids(sections[t][1]) for t in PHASE_TITLES}
    assert sorted(ids["Skill development"]) == [
        "active-listening",
        "boundary-reflection",
        "i-statement",
        "repair",
        "stay-present",
        "support-seeking",
        "vulnerability-ladder",
    ]
    everything = {i for v in ids.values() for i in v}
    for anxious_only in ("self-soothing", "tolerate-distance", "affirmation", "grounding"):
        assert anxious_only not in everything

    assert any(
        line.startswith("vulnerability-ladder: ")
        and line.endswith(
            "— Small, chosen steps towards being known let closeness grow without feeling engulfed."
        )
        for line in lines
    )
    assert any(
        line.startswith("support-seeking: ")
        and line.endswith(
            "— Depending on someone in a small way tests the belief that you must manage alone."
        )
        for line in lines
    )
    # The same exercise, a different reason from the anxious plan's.
    assert any(
        line.startswith("i-statement: ")
        and line.endswith(
            "— Saying what you feel in one sentence is a small, safe step towards being known."
        )
        for line in lines
    )
    assert "A direct request is heard" not in out


@pytest.mark.django_db(transaction=True)
def test_new_fearful_user_plan_recommends_a_therapist(monkeypatch, capsys):
    assess(monkeypatch, capsys, FEARFUL_STROKES, "fearful-avoidant")
    out = plan_out(capsys)
    lines = panel_lines(out)
    assert any(
        line.startswith("Pattern: fearful. Focus: Grounding and safety first") for line in lines
    )
    assert any(
        line.startswith("We recommend working with an attachment-informed therapist")
        for line in lines
    )
    ids = {t: exercise_ids(v[1]) for t, v in plan_sections(out).items()}
    assert "grounding" in ids["Emotional processing"]
    assert "tolerate-distance" not in {i for v in ids.values() for i in v}  # anxious only


# ------------------------------------------------------------------------------------------------
# checkin


@pytest.mark.django_db(transaction=True)
def test_checkin_with_options(capsys):
    from safebase.web.practice.models import CheckIn

    argv = ["checkin", "--emotion", "lonely", "--intensity", "7", "--need", "connection"]
    assert run([*argv, "--note", "Missed the evening phone call"]) == 0
    out = capsys.readouterr().out
    assert "Check-in saved: lonely (sadness), 7/10, needs connection." in out
    assert "immediate danger" not in out

    saved = CheckIn.objects.get()
    assert (saved.emotion, saved.family, saved.intensity, saved.need) == (
        "lonely",
        "sadness",
        7,
        "connection",
    )
    assert saved.note == "Missed the evening phone call"
    assert saved.owner.username == "local"
    (raw,) = raw_column("practice_checkin", "note")
    assert raw and "Missed" not in raw and "phone" not in raw


@pytest.mark.django_db(transaction=True)
def test_checkin_through_the_prompts(monkeypatch, capsys):
    from safebase.web.practice.models import CheckIn

    keys(
        monkeypatch,
        "lonley",  # not a word on the wheel: asked again
        "Anxious",  # case does not matter
        "11",  # out of range: asked again
        "6",
        "a hug",  # not one of the needs: asked again
        "reassurance",
        "before the date",
    )
    assert run(["checkin"]) == 0
    out = capsys.readouterr().out
    assert "fear: anxious, worried" in out  # the wheel is shown
    assert out.count("What am I feeling?") == 2
    assert out.count("Please pick a word from the list above.") == 1
    assert out.count("How strong, 0–10?") == 2
    assert out.count("A number 0–10.") == 1
    assert out.count("What do I need?") == 2
    assert out.count("Pick one of the needs.") == 1
    assert "Check-in saved: anxious (fear), 6/10, needs reassurance." in out

    saved = CheckIn.objects.get()
    assert (saved.emotion, saved.family, saved.intensity, saved.need, saved.note) == (
        "anxious",
        "fear",
        6,
        "reassurance",
        "before the date",
    )


@pytest.mark.django_db(transaction=True)
def test_checkin_intensity_prompt_refuses_non_ascii_and_huge_numbers(monkeypatch, capsys):
    # '²'.isdigit() is true but int('²') raises; int() refuses 5,000 digits: both used to crash.
    from safebase.web.practice.models import CheckIn

    keys(monkeypatch, "relaxed", "²", "٣", "9" * 5000, "3", "rest", "")
    assert run(["checkin"]) == 0
    out = capsys.readouterr().out
    assert out.count("How strong, 0–10?") == 4
    assert out.count("A number 0–10.") == 3
    assert CheckIn.objects.get().intensity == 3


@pytest.mark.django_db(transaction=True)
def test_checkin_unknown_emotion_option_exits_2(capsys):
    from safebase.web.practice.models import CheckIn

    argv = ["checkin", "--emotion", "hangry", "--intensity", "5", "--need", "rest", "--note", ""]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "error: emotion: 'hangry' is not in the emotion vocabulary" in err
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_checkin_usage_errors_exit_2(capsys):
    from safebase.web.practice.models import CheckIn

    base = ["checkin", "--emotion", "sad", "--note", ""]
    assert run([*base, "--intensity", "11", "--need", "rest"]) == 2  # Typer's max=10
    assert run([*base, "--intensity", "3", "--need", "a nap"]) == 2
    assert "need: 'a nap' is not one of comfort, space" in capsys.readouterr().err
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_checkin_note_with_risk_shows_resources(capsys):
    from safebase.web.practice.models import CheckIn

    argv = ["checkin", "--emotion", "empty", "--intensity", "9", "--need", "support"]
    assert run([*argv, "--note", "I want to kill myself"]) == 0
    out = capsys.readouterr().out
    assert "Check-in saved" in out
    assert "immediate danger" in out
    assert CheckIn.objects.get().note == "I want to kill myself"


@pytest.mark.django_db(transaction=True)
def test_checkin_unknown_emotion_rejected_before_prompting(capsys):
    # Only --emotion given: the bad word should be named before asking for intensity and need.
    assert run(["checkin", "--emotion", "hangry"]) == 2
    captured = capsys.readouterr()
    assert "'hangry' is not in the emotion vocabulary" in captured.err
    assert "How strong" not in captured.out


# ------------------------------------------------------------------------------------------------
# journal


@pytest.mark.django_db(transaction=True)
def test_journal_entry_encrypted_at_rest_and_listed(capsys):
    from safebase.web.practice.models import JournalEntry

    text = "Walked by the river and thought about Sam"
    assert run(["journal", text]) == 0
    out = capsys.readouterr().out
    assert "Journal entry saved (encrypted)." in out
    assert "immediate danger" not in out

    entry = JournalEntry.objects.get()
    assert entry.body == text
    assert entry.owner.username == "local"
    (raw,) = raw_column("practice_journalentry", "body")
    assert raw and raw != text
    for word in ("Walked", "river", "Sam"):
        assert word not in raw

    assert run(["journal", "--list"]) == 0
    out = capsys.readouterr().out
    assert text in out
    assert re.search(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", out, flags=re.M)


@pytest.mark.django_db(transaction=True)
def test_journal_prompts_when_no_text(monkeypatch, capsys):
    from safebase.web.practice.models import JournalEntry

    keys(monkeypatch, "A quiet day")
    assert run(["journal"]) == 0
    assert "Journal entry:" in capsys.readouterr().out
    assert JournalEntry.objects.get().body == "A quiet day"


@pytest.mark.django_db(transaction=True)
def test_journal_empty_entry_exit_2(capsys):
    from safebase.web.practice.models import JournalEntry

    assert run(["journal", "   "]) == 2
    assert "entry: please write something" in capsys.readouterr().err
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_journal_risk_shows_crisis_panel_and_still_saves(capsys):
    from safebase.web.practice.models import JournalEntry

    assert run(["journal", "I don't want to live anymore"]) == 0
    out = capsys.readouterr().out
    assert "Journal entry saved (encrypted)." in out
    assert "immediate danger" in out
    assert "988 Suicide & Crisis Lifeline" in out
    assert "Samaritans" in out
    assert JournalEntry.objects.get().body == "I don't want to live anymore"


@pytest.mark.django_db(transaction=True)
def test_journal_idiom_shows_no_crisis_panel(capsys):
    from safebase.web.practice.models import JournalEntry

    assert run(["journal", "I'm dying to see her"]) == 0
    out = capsys.readouterr().out
    assert "Journal entry saved (encrypted)." in out
    assert "immediate danger" not in out
    assert "Samaritans" not in out
    assert JournalEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_journal_list_prints_brackets_verbatim(capsys):
    # A body is the user's text: "[sad]" must not vanish, "[/b]" must not crash the listing.
    assert run(["journal", "I felt [sad] and wrote [/b] by mistake"]) == 0
    capsys.readouterr()
    assert run(["journal", "--list"]) == 0
    assert "I felt [sad] and wrote [/b] by mistake" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# practice


def test_practice_lists_the_library(capsys):
    assert run(["practice"]) == 0
    out = capsys.readouterr().out
    assert "Exercise library (reflection, not a measure)" in out
    listed = re.findall(r"^│ ([a-z][a-z0-9-]*)\s+│", out, flags=re.M)
    expected = sorted(p.stem for p in (REPO / "safebase" / "exercises").glob("*.toml"))
    assert len(expected) == 17
    assert sorted(listed) == expected
    row = next(line for line in out.splitlines() if line.startswith("│ tolerate-distance "))
    assert "Emotional processing, Skill development" in row
    assert re.search(r"│ anxious\s+│", row)


@pytest.mark.django_db(transaction=True)
def test_practice_i_statement_coach(monkeypatch, capsys):
    from safebase.web.practice.models import ExerciseRecord

    rewrite = "I feel unheard when I'm talking. Could we take turns?"
    keys(monkeypatch, "You never listen to me", rewrite)
    assert run(["practice", "i-statement"]) == 0
    out = capsys.readouterr().out
    assert "Reflection, not a measure." in out
    assert "“You never” — 'You never/always' turns one moment into a verdict" in out
    assert "Try: I feel " in out
    assert "Saved: I-statement practice." in out

    rec = ExerciseRecord.objects.get()
    assert rec.exercise_id == "i-statement"
    assert rec.data == {"original": "You never listen to me", "rewrite": rewrite}
    (raw,) = raw_column("practice_exerciserecord", "data")
    assert "never" not in raw and "unheard" not in raw


@pytest.mark.django_db(transaction=True)
def test_practice_repair_four_answers(monkeypatch, capsys):
    from safebase.web.practice.models import ExerciseRecord

    answers = [
        "We argued about the holiday",
        "I raised my voice",
        "She felt dismissed",
        "I said sorry and asked what she needs",
    ]
    keys(monkeypatch, *answers)
    assert run(["practice", "repair"]) == 0
    out = capsys.readouterr().out
    for label in (
        "What happened?",
        "My part in it",
        "How it was for them",
        "The path forward I offered",
    ):
        assert label in out
    assert "Saved: Repair after conflict." in out
    rec = ExerciseRecord.objects.get()
    assert rec.exercise_id == "repair"
    assert rec.data == dict(
        zip(["situation", "own_part", "their_experience", "path_forward"], answers, strict=True)
    )


@pytest.mark.django_db(transaction=True)
def test_practice_unknown_exercise_exit_2(capsys):
    assert run(["practice", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown exercise 'nope'" in err
    assert "i-statement" in err  # the known ones are listed


@pytest.mark.django_db(transaction=True)
def test_practice_body_scan_bad_scale_exit_2(monkeypatch, capsys):
    from safebase.web.practice.models import ExerciseRecord

    keys(monkeypatch, "abc", "calmer")
    assert run(["practice", "body-scan"]) == 2
    err = capsys.readouterr().err
    assert "Minutes practised: 'abc' is not a whole number" in err
    assert ExerciseRecord.objects.count() == 0

    keys(monkeypatch, "90", "calmer")  # outside 1–60
    assert run(["practice", "body-scan"]) == 2
    assert "Minutes practised: 90 is outside 1-60" in capsys.readouterr().err

    keys(monkeypatch, "12", "calmer")
    assert run(["practice", "body-scan"]) == 0
    assert ExerciseRecord.objects.get().data == {"minutes": 12, "after": "calmer"}


@pytest.mark.django_db(transaction=True)
def test_practice_all_blank_exit_2(monkeypatch, capsys):
    from safebase.web.practice.models import ExerciseRecord

    keys(monkeypatch, "", "")
    assert run(["practice", "gratitude"]) == 2
    assert "fill in at least one field" in capsys.readouterr().err
    assert ExerciseRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_practice_check_in_points_to_its_command(capsys):
    assert run(["practice", "emotion-check-in"]) == 0
    assert "`safebase checkin`" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# plan moves on with practice


@pytest.mark.django_db(transaction=True)
def test_plan_progress_moves_with_records(monkeypatch, capsys):
    assess(monkeypatch, capsys, ANXIOUS_STROKES, "anxious-preoccupied")

    def headers() -> list[str]:
        sections = plan_sections(plan_out(capsys))
        return [sections[t][0] for t in PHASE_TITLES]

    checkin = ["checkin", "--emotion", "worried", "--intensity", "5", "--need", "comfort"]
    for _ in range(4):
        assert run([*checkin, "--note", ""]) == 0
    capsys.readouterr()
    # emotion-check-in serves pattern recognition and emotional processing: 4 towards each.
    assert headers() == [
        f"Pattern recognition: 4/5  {HERE}",
        "Emotional processing: 4/5",
        "Skill development: 0/5",
        "Integration and maintenance: 0/5",
    ]

    # One repair record: skill development and integration, not the first two phases.
    keys(monkeypatch, "a fight", "my part", "their side", "a plan")
    assert run(["practice", "repair"]) == 0
    capsys.readouterr()
    assert headers() == [
        f"Pattern recognition: 4/5  {HERE}",
        "Emotional processing: 4/5",
        "Skill development: 1/5",
        "Integration and maintenance: 1/5",
    ]

    # The fifth check-in completes both of its phases: the marker moves to skill development.
    assert run([*checkin, "--note", ""]) == 0
    capsys.readouterr()
    out = plan_out(capsys)
    assert out.count(HERE) == 1
    assert [plan_sections(out)[t][0] for t in PHASE_TITLES] == [
        "Pattern recognition: 5/5",
        "Emotional processing: 5/5",
        f"Skill development: 1/5  {HERE}",
        "Integration and maintenance: 1/5",
    ]
    assert "Practice streak: 1 day(s), longest 1." in panel_lines(out)


# ------------------------------------------------------------------------------------------------
# README


@pytest.mark.parametrize("command", ["checkin", "journal", "plan", "practice"])
def test_readme_documents_command(command):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"safebase {command}\b", readme), f"README.md lacks `safebase {command}`"


@pytest.mark.django_db(transaction=True)
def test_journal_flagged_only_by_the_classifier_gets_the_gentle_panel(capsys):
    from safebase.core.practice.safety import screen_text

    soft = "i keep thinking everyone would be fine without me around"
    assert screen_text(soft).only_by_classifier
    assert run(["journal", soft]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "If not, you can ignore this" in out and "Samaritans" in out
    assert "not wanting to be alive" in out  # worded for the kind found


@pytest.mark.django_db(transaction=True)
def test_danger_from_someone_else_is_not_answered_as_self_harm(capsys):
    assert run(["journal", "he hit me again last night and I'm scared to go home"]) == 0
    out = " ".join(re.sub(r"[│╭╮╰╯─]", " ", capsys.readouterr().out).split())
    assert "not your fault" in out and "National Domestic Violence Hotline" in out
    assert "hurting themselves" not in out


def test_help_now_prints_crisis_resources_without_a_database(capsys, monkeypatch, tmp_path):
    from safebase.core.practice.safety import crisis_resources

    monkeypatch.setenv("SAFEBASE_CRISIS_NUMBER", "0800 555 0100")
    monkeypatch.setenv("SAFEBASE_CRISIS_LABEL", "Clinic line")
    assert run(["help-now"]) == 0
    out = " ".join(re.sub(r"[│╭╮╰╯─]", " ", capsys.readouterr().out).split())  # no box, no wraps
    assert "If you are in immediate danger" in out
    assert out.index("Clinic line (Local): 0800 555 0100") < out.index(crisis_resources()[0].name)
    for resource in crisis_resources():
        assert resource.name in out
