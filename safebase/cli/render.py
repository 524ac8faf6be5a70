"""Rich renderables for results: the dimension table, the quadrant, the style, the caveats."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from safebase.core.change import ScaleChange, Verdict
from safebase.core.instrument import Instrument
from safebase.core.profile import Dimension, Profile
from safebase.core.scoring import ScoredResponse, scorer_for
from safebase.core.styles import DESCRIPTIONS, NOT_A_DIAGNOSIS

GRID_W, GRID_H = 41, 15


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def insecurity_position(inst: Instrument, dim: Dimension, positive_is_secure: bool) -> float:
    """Where a score lies from 0 (most secure end) to 1 (least secure end) of its scale."""
    lo, hi = scorer_for(inst).bounds(inst.scale(dim.scale_id))
    assert dim.score is not None
    frac = (dim.score - lo) / (hi - lo)
    return 1.0 - frac if positive_is_secure else frac


def quadrant(inst: Instrument, profile: Profile) -> Text:
    """The anxiety × avoidance plane in characters: avoidance left→right, anxiety bottom→top."""
    rows = [[" "] * GRID_W for _ in range(GRID_H)]
    mid_x, mid_y = GRID_W // 2, GRID_H // 2
    for y in range(GRID_H):
        rows[y][mid_x] = "│"
    for x in range(GRID_W):
        rows[mid_y][x] = "┼" if x == mid_x else "─"
    labels = {
        (1, 1): "PREOCCUPIED",
        (1, mid_x + 2): "FEARFUL",
        (GRID_H - 2, 1): "SECURE",
        (GRID_H - 2, mid_x + 2): "DISMISSING",
    }
    for (y, x), word in labels.items():
        for i, ch in enumerate(word):
            rows[y][x + i] = ch
    if profile.anxiety.score is not None and profile.avoidance.score is not None:
        px = insecurity_position(inst, profile.avoidance, profile.positive_is_secure)
        py = insecurity_position(inst, profile.anxiety, profile.positive_is_secure)
        col = min(GRID_W - 1, round(px * (GRID_W - 1)))
        row = min(GRID_H - 1, round((1 - py) * (GRID_H - 1)))
        rows[row][col] = "●"
    y_name = "model of self (−)" if profile.positive_is_secure else "anxiety"
    x_name = "model of others (−)" if profile.positive_is_secure else "avoidance"
    lines = [f"  ↑ {y_name}", *("  " + "".join(r) for r in rows)]
    lines.append(" " * (GRID_W + 2 - len(x_name) - 2) + f"{x_name} →")
    text = Text("\n".join(lines))
    text.highlight_regex("●", "bold magenta")
    text.highlight_regex(r"PREOCCUPIED|FEARFUL|SECURE|DISMISSING", "bold")
    return text


def dimension_table(profile: Profile) -> Table:
    t = Table(title="Where you stand", show_lines=False)
    t.add_column("Dimension")
    t.add_column("Score", justify="right")
    t.add_column("95% band", justify="right")
    t.add_column("Percentile", justify="right")
    t.add_column("Cut-off", justify="right")
    for d in (profile.anxiety, profile.avoidance):
        band = "—" if d.band is None else f"{d.band[0]:.2f}–{d.band[1]:.2f}"
        pct = "—" if d.percentile is None else f"{d.percentile:.0f}"
        t.add_row(d.name, _fmt(d.score), band, pct, _fmt(d.cutoff, 1))
    return t


def result_panel(inst: Instrument, scored: ScoredResponse, profile: Profile | None) -> Panel:
    parts: list = []
    if profile is None:
        t = Table(title="Your scores")
        t.add_column("Scale")
        t.add_column("Score", justify="right")
        for s in scored.scales.values():
            t.add_row(s.name, _fmt(s.value) if s.value is not None else f"— ({s.reason})")
        parts.append(t)
    else:
        parts.append(dimension_table(profile))
        notes = sorted({n for d in (profile.anxiety, profile.avoidance) for n in d.notes})
        for n in notes:
            parts.append(Text(f"• {n}", style="dim"))
        parts.append(Text(f"Cut-off: {profile.cutoff_rule}.", style="dim"))
        parts.append(quadrant(inst, profile))
        if profile.style_note:
            parts.append(Text(f"\n{profile.style_note}", style="bold"))
            parts.append(Text(f"Your choice: {profile.forced_choice or '— (not answered)'}"))
            for r in profile.ratings:
                rating = "—" if r.value is None else str(r.value)
                parts.append(Text(f"{r.label}: {rating} of {inst.response.high}"))
        if profile.style is not None:
            desc = DESCRIPTIONS[profile.style]
            parts.append(Text(f"\nPattern: {desc.title}", style="bold"))
            parts.append(Text(desc.summary))
            parts.append(Text("Strengths: " + "; ".join(desc.strengths)))
            parts.append(Text("To practise next: " + "; ".join(desc.growth)))
        for s in scored.scales.values():
            if s.scale_id not in (profile.anxiety.scale_id, profile.avoidance.scale_id):
                parts.append(Text(f"{s.name}: {_fmt(s.value)}", style="dim"))
    if inst.kind_note:
        parts.insert(0, Text(inst.kind_note, style="bold yellow"))
    parts.append(Text(f"\nSource: {inst.spec.citation}", style="dim"))
    parts.append(Text(NOT_A_DIAGNOSIS, style="italic"))
    return Panel(Group(*parts), title=f"{inst.spec.short_name} result", expand=False)


def change_table(changes: list[ScaleChange]) -> Table:
    t = Table(title="Change since the previous result (Jacobson & Truax, 1991)")
    for col in ("Scale", "Before", "After", "Change", "RCI", "Verdict"):
        t.add_column(col)
    for c in changes:
        if c.verdict is Verdict.UNAVAILABLE:
            verdict = f"— ({c.reason})"
        else:
            verdict = f"{c.verdict.value}: {c.explanation}"
        t.add_row(
            c.scale_id, _fmt(c.before), _fmt(c.after), _fmt(c.difference), _fmt(c.rci), verdict
        )
    bases = sorted({c.basis for c in changes if c.basis})
    if bases:
        t.caption = "Basis: " + " | ".join(bases)
    return t
