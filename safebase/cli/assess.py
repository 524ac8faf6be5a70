"""Take a questionnaire in the terminal, one item at a time.

Keys: a number answers; Enter keeps the current answer; ``b`` goes back; ``s`` skips; ``q`` quits
without saving. Nothing is saved until the last item, so an abandoned run leaves no half result.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from safebase.core.instrument import Instrument, Item
from safebase.core.numbers import parse_whole_number


class Quit(Exception):
    """The person chose to stop; nothing is saved."""


def _options_line(item: Item) -> str:
    parts = []
    for o in item.response.options:
        parts.append(f"{o.value} = {o.label}" if o.label else str(o.value))
    return "   ".join(parts)


def _item_panel(inst: Instrument, index: int, answers: dict[str, int]) -> Panel:
    item = inst.items[index]
    total = len(inst.items)
    done = sum(1 for k in inst.item_keys if k in answers)
    header = Text(f"Item {index + 1} of {total}  ·  {done} answered", style="dim")
    filled = round(40 * done / total)
    body: list = [header, Text("█" * filled + "░" * (40 - filled), style="magenta")]
    if item.target is not None:
        body.append(Text(f"About: {item.target.label}", style="bold cyan"))
    label = f"{item.label}. " if item.label else f"{item.number}. "
    body.append(Text(label + item.text, style="bold"))
    body.append(Text(_options_line(item), style="green"))
    current = answers.get(item.key)
    keys = "number = answer · b = back · s = skip · q = quit"
    if current is not None:
        keys = f"current answer {current} (Enter keeps it) · " + keys
    body.append(Text(keys, style="dim"))
    return Panel(Group(*body), title=inst.spec.short_name, expand=False)


def run_questionnaire(inst: Instrument, console: Console) -> dict[str, int]:
    """Ask every item; returns the answers (skipped items absent)."""
    if inst.kind_note:
        console.print(Text(inst.kind_note, style="bold yellow"))
    console.print(Panel(inst.spec.instructions, title=inst.name, expand=False))
    answers: dict[str, int] = {}
    i = 0
    while i < len(inst.items):
        item = inst.items[i]
        console.print(_item_panel(inst, i, answers))
        raw = console.input("> ").strip().lower()
        lo, hi = item.response.low, item.response.high
        if raw == "q":
            raise Quit()
        if raw == "b":
            i = max(0, i - 1)
            continue
        if raw == "s":
            answers.pop(item.key, None)
            i += 1
            continue
        if raw == "" and item.key in answers:
            i += 1
            continue
        value = parse_whole_number(raw)
        if value is not None and lo <= value <= hi:
            answers[item.key] = value
            i += 1
            continue
        console.print(
            Text(f"Please type a whole number from {lo} to {hi}, or b, s or q.", style="red")
        )
    return answers
