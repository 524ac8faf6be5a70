"""``safebase score`` on files it cannot use: exit 2 and one line on stderr, nothing written.

Each case is a real file in tmp_path. Before these were handled, every one of them but the
header-only file ended in exit 1 with a library's exception name (UnicodeDecodeError,
ArrowInvalid, ReadstatError, JSONDecodeError, FileNotFoundError) after a blank line; the
header-only file exited 0 with "Rows read: 0".
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from tests.cli.helpers import run

HEADER = ["id", *(f"ecrr_{i}" for i in range(1, 37))]
ROW = ["p1", *["4"] * 36]


def csv_text(rows: list[list[str]], delim: str = ",") -> str:
    return "".join(delim.join(r) + "\n" for r in [HEADER, *rows])


def frame(n: int) -> pd.DataFrame:
    data = {"id": [f"p{k}" for k in range(n)]}
    data.update({c: [4.0] * n for c in HEADER[1:]})
    return pd.DataFrame(data)


def one_error_line(capsys) -> str:
    """The whole of stderr, which must be exactly one line (no blank line before it)."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), repr(err)
    assert err.startswith("error: "), repr(err)
    assert "Traceback" not in err
    return err.rstrip("\n")


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _utf16(path: Path) -> None:
    delim = "\t" if path.suffix == ".tsv" else ","
    path.write_text(csv_text([ROW], delim), encoding="utf-16")  # with its byte order mark


def _latin1(path: Path) -> None:
    path.write_bytes(csv_text([["Zoë", *ROW[1:]]]).encode("latin-1"))


def _bad_utf8_far_down(path: Path) -> None:
    # Past the first block the header reader decodes: found by the Arrow reader, not csv.
    rows = [ROW] * 5000 + [["p2", "4\udce9", *ROW[2:]]]
    path.write_bytes(csv_text(rows).encode("utf-8", "surrogateescape"))


def _ragged(path: Path) -> None:
    delim = "\t" if path.suffix == ".tsv" else ","
    path.write_text(csv_text([ROW, [*ROW, "extra"]], delim), encoding="utf-8")


def _not_parquet(path: Path) -> None:
    path.write_bytes(b"PAR1 this is not a Parquet file\n" * 10)


def _truncated_parquet(path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(frame(50), preserve_index=False), path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _not_sav(path: Path) -> None:
    path.write_text("$FL2 this is not an SPSS file\n", encoding="utf-8")


def _truncated_sav(path: Path) -> None:
    pyreadstat.write_sav(frame(50), str(path))
    path.write_bytes(path.read_bytes()[: path.stat().st_size - 400])


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("bin.csv", _binary, "bin.csv: a binary file, not CSV text"),
        ("bin.tsv", _binary, "bin.tsv: a binary file, not TSV text"),
        ("u16.csv", _utf16, "u16.csv: the file is UTF-16 text; save it as UTF-8"),
        ("u16.tsv", _utf16, "u16.tsv: the file is UTF-16 text; save it as UTF-8"),
        ("latin1.csv", _latin1, "latin1.csv: not UTF-8 text (it holds the byte 0xeb)"),
        ("late.csv", _bad_utf8_far_down, "late.csv: not UTF-8 text; save it as UTF-8"),
        ("ragged.csv", _ragged, "ragged.csv: not readable as CSV (CSV parse error: Expected 37"),
        ("ragged.tsv", _ragged, "ragged.tsv: not readable as TSV (CSV parse error: Expected 37"),
        ("junk.parquet", _not_parquet, "junk.parquet: not readable as Parquet (Parquet magic"),
        ("cut.parquet", _truncated_parquet, "cut.parquet: not readable as Parquet ("),
        ("junk.sav", _not_sav, "junk.sav: not readable as SPSS .sav ("),
        ("cut.sav", _truncated_sav, "cut.sav: not readable as SPSS .sav ("),
    ],
)
def test_unreadable_input_exit_2_one_line(tmp_path, capsys, name, make, message):
    src = tmp_path / name
    make(src)
    out, summary = tmp_path / "scores.csv", tmp_path / "summary.json"
    argv = ["score", str(src), "-i", "ecr-r", "--out", str(out), "--summary-json", str(summary)]
    assert run(argv) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {message}"), line
    assert len(line) < 250
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _header_only_sav(path: Path) -> None:
    pyreadstat.write_sav(frame(0), str(path))


def _header_only_parquet(path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(frame(0), preserve_index=False), path)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("empty.csv", lambda p: p.write_text(csv_text([]), encoding="utf-8")),
        ("empty.tsv", lambda p: p.write_text(csv_text([], "\t"), encoding="utf-8")),
        ("blank-lines.csv", lambda p: p.write_text(csv_text([]) + "\n\n", encoding="utf-8")),
        ("empty.parquet", _header_only_parquet),
        ("empty.sav", _header_only_sav),
    ],
)
def test_header_only_input_exit_2_no_rows(tmp_path, capsys, name, make):
    src = tmp_path / name
    make(src)
    out = tmp_path / "scores.parquet"
    assert run(["score", str(src), "-i", "ecr-r", "--out", str(out)]) == 2
    assert one_error_line(capsys) == f"error: {name}: no rows to score (column names but no data)"
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "map.json",
            '{"1": "ecrr_1",',
            "map.json: not valid JSON (Expecting property name enclosed in double quotes at "
            "line 1, column 16)",
        ),
        ("map.json", '["ecrr_1"]', "map.json: expected a JSON object of item -> column name"),
        (
            "map.json",
            '{"1": {"col": 1}}',
            "map.json: expected a JSON object of item -> column name",
        ),
        ("map.csv", "item,column\n1,ecrr_1\n2\n", "map.csv: line 3 needs an item and a column"),
        ("map.csv", "", "map.csv: a CSV mapping needs the header 'item,column'"),
    ],
)
def test_bad_map_file_exit_2_one_line(tmp_path, capsys, name, content, message):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW]), encoding="utf-8")
    mfile = tmp_path / name
    mfile.write_text(content, encoding="utf-8")
    assert run(["score", str(src), "-i", "ecr-r", "--map", str(mfile)]) == 2
    assert one_error_line(capsys) == f"error: {message}"


def test_map_file_in_utf16_exit_2(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW]), encoding="utf-8")
    mfile = tmp_path / "map.json"
    mfile.write_bytes(codecs.BOM_UTF16_LE + json.dumps({"1": "ecrr_1"}).encode("utf-16-le"))
    assert run(["score", str(src), "-i", "ecr-r", "--map", str(mfile)]) == 2
    assert one_error_line(capsys) == (
        "error: map.json: not UTF-8 text (it holds the byte 0xff); save it as UTF-8"
    )


@pytest.mark.parametrize("option", ["--out", "--summary-json"])
def test_output_in_a_missing_folder_is_refused_before_any_work(tmp_path, capsys, option):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW]), encoding="utf-8")
    missing = tmp_path / "no-such-folder"
    outputs = {"--out": tmp_path / "scores.csv", "--summary-json": tmp_path / "summary.json"}
    outputs[option] = missing / outputs[option].name
    argv = ["score", str(src), "-i", "ecr-r"]
    for opt, path in outputs.items():
        argv += [opt, str(path)]
    assert run(argv) == 2
    assert one_error_line(capsys) == f"error: {option}: folder {missing} does not exist"
    # Neither output was written: the check comes before the scoring.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("option", ["--out", "--summary-json"])
def test_output_that_is_the_input_or_a_folder_is_refused(tmp_path, capsys, option):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW]), encoding="utf-8")
    before = src.read_bytes()
    assert run(["score", str(src), "-i", "ecr-r", option, str(src)]) == 2
    assert (
        one_error_line(capsys) == f"error: {option}: {src} is the input file; choose another name"
    )
    assert src.read_bytes() == before
    assert run(["score", str(src), "-i", "ecr-r", option, str(tmp_path)]) == 2
    assert one_error_line(capsys) == f"error: {option}: {tmp_path} is a folder, not a file name"


def test_input_that_is_a_folder_exit_2(tmp_path, capsys):
    folder = tmp_path / "responses.csv"
    folder.mkdir()
    assert run(["score", str(folder), "-i", "ecr-r"]) == 2
    assert one_error_line(capsys) == f"error: input {folder} is a folder, not a file"


def test_bad_value_message_has_no_blank_line_before_it(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW, ["p2", "9", *ROW[2:]]]), encoding="utf-8")
    assert run(["score", str(src), "-i", "ecr-r"]) == 2
    assert one_error_line(capsys) == "error: row 2, column ecrr_1: value 9 is outside 1-7"


def test_success_off_a_terminal_leaves_stderr_empty(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(csv_text([ROW]), encoding="utf-8")
    assert run(["score", str(src), "-i", "ecr-r"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Rows read: 1 · rows scored: 1" in captured.out
