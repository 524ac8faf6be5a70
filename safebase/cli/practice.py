"""Terminal versions of the practice tools: check-in prompts, exercises, the plan."""

from __future__ import annotations

from typing import get_args

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from safebase.core.errors import SafebaseError
from safebase.core.numbers import parse_whole_number, shorten
from safebase.core.practice.emotions import EMOTION_FAMILIES, NEEDS, family_of
from safebase.core.practice.exercises import PHASE_TITLES, Exercise, Pattern, all_exercises
from safebase.core.practice.istatement import check_statement
from safebase.core.practice.plan import Plan


def _ask(console: Console, prompt: str, valid, error: str) -> str:
    for _ in range(5):
        answer = console.input(prompt).strip()
        if valid(answer):
            return answer
        console.print(Text(error, style="red"))
    raise SafebaseError(f"no valid answer after 5 tries: {error}")


def ask_checkin(console: Console, emotion, intensity, need, note) -> dict:
    # Options given on the command line are checked before any prompt is shown.
    if emotion is not None and family_of(emotion) is None:
        words = ", ".join(w for family in EMOTION_FAMILIES.values() for w in family)
        raise SafebaseError(
            f"emotion: '{shorten(emotion)}' is not in the emotion vocabulary; use one of: {words}"
        )
    if need is not None and need not in NEEDS:
        raise SafebaseError(f"need: '{need}' is not one of {', '.join(NEEDS)}")
    if emotion is None:
        for fam, words in EMOTION_FAMILIES.items():
            console.print(f"[bold]{fam}[/]: {', '.join(words)}")
        emotion = _ask(
            console,
            "What am I feeling? ",
            lambda a: family_of(a) is not None,
            "Please pick a word from the list above.",
        )
    if intensity is None:
        answer = _ask(
            console,
            "How strong, 0–10? ",
            lambda a: (n := parse_whole_number(a)) is not None and 0 <= n <= 10,
            "A number 0–10.",
        )
        intensity = parse_whole_number(answer)
    if need is None:
        console.print("Needs: " + ", ".join(NEEDS))
        need = _ask(console, "What do I need? ", lambda a: a in NEEDS, "Pick one of the needs.")
    if note is None:
        note = console.input("A short note (Enter to skip): ")
    return {"emotion": emotion, "intensity": int(intensity), "need": need, "note": note}


def run_exercise(console: Console, ex: Exercise) -> dict[str, object]:
    console.print(
        Panel(
            Group(
                Text("Reflection, not a measure.", style="yellow"),
                Text(ex.summary),
                *(Text(f"{i}. {s}") for i, s in enumerate(ex.steps, start=1)),
            ),
            title=ex.title,
            expand=False,
        )
    )
    data: dict[str, object] = {}
    for name, f in ex.fields.items():
        hint = (
            f" ({f.min}–{f.max})"
            if f.type == "scale"
            else (f" ({' / '.join(f.choices)})" if f.type == "choice" else "")
        )
        answer = console.input(f"{f.label}{hint}: ").strip()
        data[name] = answer
        if ex.kind == "istatement" and name == "original" and answer:
            result = check_statement(answer)
            for flag in result.flags:
                console.print(Text(f"• “{flag.matched}” — {flag.why}", style="magenta"))
            if result.rewrite:
                console.print(Text(f"Try: {result.rewrite}", style="green"))
            elif result.is_i_statement:
                console.print(Text("That is already an I-statement.", style="green"))
    return data


def exercise_table() -> Table:
    t = Table(title="Exercise library (reflection, not a measure)")
    t.add_column("id", no_wrap=True)  # typed back as `safebase practice ID`: never split
    for col in ("title", "phases", "for"):
        t.add_column(col, overflow="fold")
    t.add_column("min", justify="right", no_wrap=True)
    every_pattern = set(get_args(Pattern))
    for ex in all_exercises().values():
        t.add_row(
            ex.id,
            ex.title,
            ", ".join(PHASE_TITLES[p] for p in ex.phases),
            "every pattern" if set(ex.patterns) == every_pattern else ", ".join(ex.patterns),
            str(ex.minutes),
        )
    return t


def plan_panel(p: Plan, streak: int, best: int) -> Panel:
    parts: list = [Text(f"Pattern: {p.pattern}. Focus: {p.focus}")]
    if p.recommendation:
        parts.append(Text(p.recommendation, style="bold"))
    parts += [Text(n, style="dim") for n in p.notes]
    parts.append(Text(f"Practice streak: {streak} day(s), longest {best}."))
    if p.reassess_due:
        when = "now" if p.reassess_now else p.reassess_due.isoformat()
        parts.append(Text(f"Re-assessment suggested: {when}."))
    for phase in p.phases:
        here = "  ← you are here" if phase.id == p.current_phase else ""
        parts.append(Text(f"\n{phase.title}: {phase.completed}/{phase.target}{here}", style="bold"))
        for item in phase.exercises:
            parts.append(Text(f"  {item.exercise.id}: {item.exercise.title} — {item.why}"))
    return Panel(Group(*parts), title="Your plan", expand=False)


def _support_panel(kind: str, category: str | None = None) -> Panel:
    """The same words and list as the web app's panel and Get help now page."""
    from safebase.core.practice.safety import (
        crisis_message,
        crisis_resources,
        immediate_danger_message,
    )
    from safebase.web.config import local_crisis_line

    message = crisis_message(kind, category)
    lines = [Text(message.body, style="bold"), Text(immediate_danger_message(), style="bold")]
    if kind == "help":  # asked for help: the emergency line first, as on the web page
        lines.reverse()
    for r in crisis_resources(*local_crisis_line(), category=category):
        lines.append(Text(f"• {r.name}{f' ({r.region})' if r.region else ''}: {r.contact}"))
    lines.append(Text("safebase is not a crisis service; no one is notified.", style="dim"))
    return Panel(Group(*lines), title=message.title, border_style="red", expand=False)


def help_panel() -> Panel:
    """What `safebase help-now` prints."""
    return _support_panel("help")


def crisis_panel(gentle: bool = False, category: str | None = None) -> Panel:
    """Shown after saving an entry the safety screen flagged, worded for the kind it found."""
    return _support_panel("gentle" if gentle else "flagged", category)
