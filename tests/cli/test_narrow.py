"""Every command at 80 columns and piped (not a terminal), through Typer's CliRunner.

80 columns is Rich's width off a terminal, so this is also what a pipe or a log file gets. Ids
(exercise ids, instrument ids, item keys, scale ids, patterns) are typed back or looked up, so
they must never be split across lines.
"""

from __future__ import annotations

import re

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from safebase.cli import app as cli
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.practice.emotions import EMOTION_FAMILIES
from safebase.core.practice.exercises import all_exercises
from tests.cli.helpers import keys, run


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    """Undo conftest's 400-column consoles: the width comes from COLUMNS, as for a person."""
    monkeypatch.setattr(cli.console, "_width", None)
    monkeypatch.setattr(cli.err, "_width", None)


def invoke(*args: str, typed: str | None = None) -> str:
    result = CliRunner().invoke(cli.app, list(args), input=typed, env={"COLUMNS": "80"})
    assert result.exit_code == 0, (result.output, result.exception)
    out = result.output
    assert "\x1b" not in out  # piped: no colour or cursor codes
    assert fits(out)
    return out


def fits(out: str) -> bool:
    """No line wider than 80 cells. Input that is not a terminal is not echoed, so what follows a
    prompt ("> ") continues on the prompt's line: the prompt is not counted."""
    return all(cell_len(line.removeprefix("> ")) <= 80 for line in out.splitlines())


def first_column(out: str) -> list[str]:
    """The first cell of every table line that starts a row (continuation lines have it blank)."""
    return re.findall(r"^│ (\S+)\s+│", out, flags=re.M)


def column(out: str, row_start: str, index: int) -> str:
    """Cell ``index`` of the table row starting with ``row_start``, its wrapped lines joined."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"│ {row_start} "))
    parts = [lines[start].split("│")[index + 1].strip()]
    for ln in lines[start + 1 :]:
        cells = ln.split("│")
        if len(cells) < 3 or cells[1].strip():
            break
        parts.append(cells[index + 1].strip())
    return " ".join(p for p in parts if p)


def test_practice_list_keeps_every_exercise_id_whole():
    out = invoke("practice")
    assert sorted(first_column(out)) == sorted(all_exercises())
    assert column(out, "tolerate-distance", 2) == "Emotional processing, Skill development"
    assert column(out, "grounding", 3) == "fearful"
    assert column(out, "repair", 3) == "every pattern"


def test_instruments_list_is_compact_and_points_to_show():
    out = invoke("instruments")
    assert len(out.splitlines()) <= 30  # it was over 150 lines with the citations
    assert sorted(first_column(out)) == sorted(all_instruments())
    assert "doi.org" not in out and "Fraley" not in out
    assert "Citation, licence and norms: safebase instruments show ID" in out
    assert column(out, "secure-signs", 3) == "reflection, not a validated measure"
    assert column(out, "ecr-s", 2) == "12"


@pytest.mark.parametrize("instrument_id", sorted(all_instruments()))
def test_instruments_show_keeps_item_keys_and_scale_ids_whole(instrument_id):
    inst = get_instrument(instrument_id)
    out = invoke("instruments", "show", instrument_id)
    listed = first_column(out)
    assert [k for k in listed if k in inst.item_keys] == list(inst.item_keys)
    # The scales table lists each scale once, in order (a derived form's validation table lists
    # its scales again after it).
    scales = [s for s in listed if s in {s.id for s in inst.scales}]
    assert scales[: len(inst.scales)] == [s.id for s in inst.scales]


def test_score_summary_keeps_scale_ids_whole(tmp_path):
    src = tmp_path / "in.csv"
    # ECR-RS: nine items about each of four relationships; any answers 1-7 will do.
    cols = [f"{t}_{i}" for t in ("mother", "father", "partner", "friend") for i in range(1, 10)]
    rows = [",".join(str(1 + (r * 7 + c) % 7) for c in range(len(cols))) for r in range(5)]
    src.write_text(",".join(cols) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = invoke("score", str(src), "-i", "ecr-rs", "--prefix", "")
    assert [s for s in first_column(out) if not s.isdigit()] == [
        s.id for s in get_instrument("ecr-rs").scales
    ]


def test_every_help_fits_in_80_columns():
    group = typer.main.get_command(cli.app)
    invoke("--help")
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        invoke(name, "--help")
        for sub in getattr(cmd, "commands", {}):
            invoke(name, sub, "--help")


@pytest.mark.django_db(transaction=True)
def test_history_keeps_the_pattern_whole(monkeypatch):
    # All-anxious ECR-S (see test_practice_cli.ANXIOUS_STROKES): anxious-preoccupied.
    keys(monkeypatch, "7", "7", "1", "7", "7", "7", "1", "1", "7", "7", "1", "7")
    assert run(["assess", "ecr-s"]) == 0
    out = invoke("history")
    (row,) = [ln for ln in out.splitlines() if re.match(r"^│\s+\d+ │", ln)]
    assert "│ anxious-preoccupied │" in row


@pytest.mark.django_db(transaction=True)
def test_change_table_keeps_scale_ids_whole():
    invoke("assess", "ecr-rs", typed="4\n" * 36)
    out = invoke("assess", "ecr-rs", typed="5\n" * 36)
    table = out[out.index("Change since the previous result") :]
    assert first_column(table) == [s.id for s in get_instrument("ecr-rs").scales]


@pytest.mark.django_db(transaction=True)
def test_unknown_emotion_lists_the_valid_words(capsys):
    argv = ["checkin", "--emotion", "hangry", "--intensity", "5", "--need", "rest", "--note", ""]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: emotion: 'hangry' is not in the emotion vocabulary; use one of: ")
    listed = err.split("use one of: ", 1)[1].strip().split(", ")
    assert listed == [w for words in EMOTION_FAMILIES.values() for w in words]
