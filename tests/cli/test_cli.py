"""The ``safebase`` command driven in-process through ``safebase.cli.app.main(argv)``.

Expected scores are worked by hand in the comments (ECR-S key: Wei et al., 2007 — anxiety items
2, 4, 6, 8, 10, 12 with 8 reversed; avoidance items 1, 3, 5, 7, 9, 11 with 1, 5, 9 reversed;
ECR-R key: Fraley et al., 2000 — anxiety 1–18 with 9, 11 reversed; avoidance 19–36 with 20, 22,
26–31, 33–36 reversed; reversal on a 1–7 scale is 8 − x).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safebase.cli import app as cli
from tests.cli.helpers import keys, run

ALL_IDS = ["ecr-r", "ecr-rs", "ecr-s", "ecr", "ecr-5pt", "rq", "secure-signs", "safebase-ecr12"]
ECRR_REV = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}


def err_lines(captured) -> list[str]:
    return [line for line in captured.err.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------
# --help everywhere.


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["instruments", "--help"],
        ["instruments", "show", "--help"],
        ["assess", "--help"],
        ["history", "--help"],
        ["score", "--help"],
        ["norms", "--help"],
        ["norms", "build", "--help"],
        ["norms", "list", "--help"],
    ],
)
def test_help(argv, capsys):
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "Usage" in out
    assert "safebase" in out


def test_usage_errors_exit_2(capsys):
    assert run(["no-such-command"]) == 2
    assert run(["score"]) == 2  # INPUT and --instrument missing
    assert run(["instruments", "show"]) == 2


# ------------------------------------------------------------------------------------------------
# instruments


def test_instruments_lists_every_shipped_one(capsys):
    assert run(["instruments"]) == 0
    out = capsys.readouterr().out
    listed = re.findall(r"^│ (\S+)\s+│", out, flags=re.M)
    assert sorted(listed) == sorted(ALL_IDS)
    assert "reflection, not a validated measure" in out  # secure-signs
    assert "safebase's own derived short form, not a published measure" in out


def test_instruments_show_ecr_r(capsys):
    assert run(["instruments", "show", "ecr-r"]) == 0
    out = capsys.readouterr().out
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^│ (\d+)\s+│.*$", out, flags=re.M)}
    assert sorted(rows, key=int) == [str(i) for i in range(1, 37)]
    assert "I rarely worry about my partner leaving me." in rows["9"]
    for n in range(1, 37):
        scale = "anxiety" if n <= 18 else "avoidance"
        if n in ECRR_REV:
            assert f"{scale} (R)" in rows[str(n)], n
        else:
            assert re.search(rf"{scale}\s+│\s*$", rows[str(n)]), n
    assert "Fraley, R. C., Waller, N. G., & Brennan, K. A. (2000)" in out
    assert "Reference samples: none (no published norm could be verified)" in out
    assert (
        "Latent stability anxiety, avoidance: r = 0.92 over 3 weeks (for information only, " in out
    )
    assert re.search(r"│ avoidance\s+│.*│ 20 22 26 27 28 29 30 31 33 34 35 36\s+│", out)
    assert "≥80% answered" in out


def test_instruments_show_derived_form_prints_its_validation_table(capsys):
    from safebase.core.instrument import get_instrument

    assert run(["instruments", "show", "safebase-ecr12"]) == 0
    out = capsys.readouterr().out
    assert "safebase's own derived short form, not a published measure." in out
    assert "1=Strongly disagree, 2=Disagree, 3=Neither agree nor disagree" in out
    d = get_instrument("safebase-ecr12").spec.derivation
    for row in d.validation:
        items = " ".join(str(n) for n in row.source_items)
        lo, hi = row.r_full_ci95
        assert re.search(
            rf"│ {row.scale}\s+│ {items}\s+│ {row.r_full:.3f} \({lo:.3f}–{hi:.3f}\)\s+│ "
            rf"{row.r_rest:.3f}\s+│ {row.alpha:.3f}\s+│ {row.n}\s+│",
            out,
        ), row.scale
    assert f"Split seed {d.split_seed}: train {d.train_n}, validation {d.validation_n}" in out
    assert "Published ECR-S (12 items) on the same test rows" in out


@pytest.mark.django_db(transaction=True)
def test_assess_derived_form_on_five_points(monkeypatch, capsys):
    from safebase.web.assessments.models import Assessment

    # 12 items; "6" is out of range on this 5-point form and is asked again.
    keys(monkeypatch, "6", *["2"] * 12)
    assert run(["assess", "safebase-ecr12"]) == 0
    out = capsys.readouterr().out
    assert out.count("Please type a whole number from 1 to 5, or b, s or q.") == 1
    assert "safebase's own derived short form, not a published measure." in out
    saved = Assessment.objects.get()
    # Anxiety: seven items of 2 -> 2.00. Avoidance: 2, 2, 2 and reversed 6 - 2 = 4 twice -> 14/5.
    assert saved.scores["anxiety"] == pytest.approx(2.0)
    assert saved.scores["avoidance"] == pytest.approx(14 / 5)


def test_instruments_show_unknown(capsys):
    assert run(["instruments", "show", "ecr-x"]) == 2
    assert "unknown instrument 'ecr-x'" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------
# assess and history

# Keystrokes for ECR-S: back, skip, a bad key, and Enter to keep an answer.
ECR_S_STROKES = [
    "2",  # item 1
    "6",  # item 2
    "b",  # item 3 -> back to item 2
    "7",  # item 2 again, replaces 6
    "9",  # item 3: out of range, asked again
    "3",  # item 3
    "s",  # item 4 skipped
    "1",  # item 5
    "5",  # item 6
    "b",  # item 7 -> back to item 6
    "",  # item 6: Enter keeps 5
    "4",  # item 7
    "2",  # item 8
    "6",  # item 9
    "5",  # item 10
    "3",  # item 11
    "6",  # item 12
]
ECR_S_ANSWERS = {
    "1": 2,
    "2": 7,
    "3": 3,
    "5": 1,
    "6": 5,
    "7": 4,
    "8": 2,
    "9": 6,
    "10": 5,
    "11": 3,
    "12": 6,
}
# Anxiety: items 2, 6, 8R, 10, 12 (4 skipped; 5 of 6 >= 80%) = 7, 5, 8−2=6, 5, 6 -> 29/5 = 5.80.
# Avoidance: 1R, 3, 5R, 7, 9R, 11 = 8−2=6, 3, 8−1=7, 4, 8−6=2, 3 -> 25/6 = 4.1667.
# Both above the midpoint 4 -> fearful-avoidant.
ECR_S_ANXIETY, ECR_S_AVOIDANCE = 29 / 5, 25 / 6


@pytest.mark.django_db(transaction=True)
def test_assess_ecr_s_through_the_prompts(monkeypatch, capsys):
    from safebase.web.assessments.models import Assessment

    keys(monkeypatch, *ECR_S_STROKES)
    assert run(["assess", "ecr-s"]) == 0
    out = capsys.readouterr().out
    assert out.count("Item 2 of 12") == 2
    assert out.count("Item 3 of 12") == 3
    assert out.count("Item 6 of 12") == 2
    assert "current answer 6 (Enter keeps it)" in out
    assert "current answer 5 (Enter keeps it)" in out
    assert out.count("Please type a whole number from 1 to 7, or b, s or q.") == 1
    assert re.search(r"Attachment anxiety\s+│\s+5\.80\s+│", out)
    assert re.search(r"Attachment avoidance\s+│\s+4\.17\s+│", out)
    assert "Pattern: Fearful-avoidant" in out
    assert "safebase is not a diagnosis." in out
    assert "Change since the previous result" not in out  # first result

    saved = Assessment.objects.get()
    assert saved.instrument_id == "ecr-s"
    assert saved.status == Assessment.Status.COMPLETE
    assert saved.answers == ECR_S_ANSWERS
    assert saved.scores["anxiety"] == pytest.approx(ECR_S_ANXIETY)
    assert saved.scores["avoidance"] == pytest.approx(ECR_S_AVOIDANCE)
    assert saved.style == "fearful-avoidant"
    assert saved.owner.username == "local"
    assert f"Saved as result #{saved.pk}." in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("strokes", [["3", "5", "q"], ["3", "5"]], ids=["q", "end-of-input"])
def test_assess_quit_saves_nothing(monkeypatch, capsys, strokes):
    from safebase.web.assessments.models import Assessment

    keys(monkeypatch, *strokes)
    assert run(["assess", "ecr-s"]) == 0
    out = capsys.readouterr().out
    assert "Item 3 of 12" in out
    assert "Stopped; nothing was saved." in out
    assert "Saved as result" not in out
    assert Assessment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("typed", ["²", "٣", "9" * 5000], ids=["superscript", "arabic", "5000"])
def test_assess_asks_again_for_a_non_ascii_or_huge_number(monkeypatch, capsys, typed):
    # '²'.isdigit() is true but int('²') raises; int() refuses 5,000 digits: both used to crash.
    from safebase.web.assessments.models import Assessment

    keys(monkeypatch, typed, *["4"] * 12)
    assert run(["assess", "ecr-s"]) == 0
    out = capsys.readouterr().out
    assert out.count("Item 1 of 12") == 2
    assert out.count("Please type a whole number from 1 to 7, or b, s or q.") == 1
    assert Assessment.objects.get().answers == {str(n): 4 for n in range(1, 13)}


@pytest.mark.django_db(transaction=True)
def test_assess_unknown_instrument(capsys):
    assert run(["assess", "nope"]) == 2
    assert "unknown instrument 'nope'" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_history_after_two_runs(monkeypatch, capsys):
    from safebase.web.assessments.models import Assessment

    assert run(["history"]) == 0
    assert "No results yet." in capsys.readouterr().out

    keys(monkeypatch, *ECR_S_STROKES)
    assert run(["assess", "ecr-s"]) == 0
    # Second run, all 1s: anxiety 2,4,6,10,12 = 1 and 8R = 7 -> 12/6 = 2.00;
    # avoidance 1R,5R,9R = 7 and 3,7,11 = 1 -> 24/6 = 4.00; neither above 4 -> secure.
    keys(monkeypatch, *["1"] * 12)
    assert run(["assess", "ecr-s"]) == 0
    out = capsys.readouterr().out
    assert "Change since the previous result" in out
    assert "— (missing: the SD and a reliability (no reference sample for ECR-S in this" in out
    first, second = Assessment.objects.order_by("pk")
    assert second.scores == {"anxiety": pytest.approx(2.0), "avoidance": pytest.approx(4.0)}
    assert second.style == "secure"

    assert run(["history"]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if re.match(rf"^│ ({first.pk}|{second.pk})\s+│", ln)]
    assert len(lines) == 2
    row1, row2 = lines
    assert "ecr-s" in row1
    assert "anxiety 5.80, avoidance 4.17" in row1
    assert "fearful-avoidant" in row1
    assert "first result" in row1
    assert "anxiety 2.00, avoidance 4.00" in row2
    assert "secure" in row2
    missing = "missing: the SD and a reliability (no reference sample for ECR-S in this"
    assert f"anxiety: not available — {missing}" in row2
    assert f"avoidance: not available — {missing}" in row2

    assert run(["history", "--instrument", "ecr-r"]) == 0
    assert "No results yet." in capsys.readouterr().out
    assert run(["history", "-i", "ecr-s"]) == 0
    assert "first result" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# score


def ecrr_all(k: int) -> dict[int, int]:
    return {i: k for i in range(1, 37)}


def expected_all(k: int) -> tuple[float, float, str]:
    # Anxiety: 16 items at k, items 9 and 11 at 8 − k. Avoidance: 6 at k, 12 at 8 − k.
    anx = (16 * k + 2 * (8 - k)) / 18
    avo = (6 * k + 12 * (8 - k)) / 18
    style = {
        (False, False): "secure",
        (True, False): "anxious-preoccupied",
        (False, True): "dismissing-avoidant",
        (True, True): "fearful-avoidant",
    }[(anx > 4, avo > 4)]
    return anx, avo, style


def write_csv(path: Path, rows: list[dict[int, object]], prefix: str = "ecrr_") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["pid", *[f"{prefix}{i}" for i in range(1, 37)]])
        for n, row in enumerate(rows, start=1):
            w.writerow([f"p{n}", *["" if row[i] is None else row[i] for i in range(1, 37)]])
    return path


def write_parquet(path: Path, rows: list[dict[int, object]]) -> Path:
    data = {"pid": pa.array([f"p{n}" for n in range(1, len(rows) + 1)])}
    for i in range(1, 37):
        data[f"ecrr_{i}"] = pa.array([r[i] for r in rows], type=pa.int64())
    pq.write_table(pa.table(data), path)
    return path


def read_scores(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            {
                k: (float(v) if k in {"anxiety", "avoidance"} and v else (v or None))
                for k, v in rec.items()
            }
            for rec in csv.DictReader(fh)
        ]


@pytest.mark.parametrize(
    ("in_ext", "out_ext"), [(".csv", ".csv"), (".parquet", ".parquet"), (".csv", ".parquet")]
)
def test_score_end_to_end(tmp_path, capsys, in_ext, out_ext):
    rows = [ecrr_all(k) for k in range(1, 8)]
    src = tmp_path / f"in{in_ext}"
    (write_csv if in_ext == ".csv" else write_parquet)(src, rows)
    out, summ = tmp_path / f"scores{out_ext}", tmp_path / "summary.json"
    code = run(
        [
            "score",
            str(src),
            "-i",
            "ecr-r",
            "--id-column",
            "pid",
            "--out",
            str(out),
            "--summary-json",
            str(summ),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert out.exists()
    got = read_scores(out)
    assert list(got[0]) == ["pid", "anxiety", "avoidance", "style"]
    for k, rec in zip(range(1, 8), got, strict=True):
        anx, avo, style = expected_all(k)
        assert rec["pid"] == f"p{k}"
        assert rec["anxiety"] == pytest.approx(anx)
        assert rec["avoidance"] == pytest.approx(avo)
        assert rec["style"] == style
    summary = json.loads(summ.read_text(encoding="utf-8"))
    assert summary["rows_read"] == 7
    assert summary["rows_scored"] == 7
    assert summary["instrument"] == "ecr-r"
    assert set(summary["reliability"]) == {"anxiety", "avoidance"}
    assert summary["reliability"]["anxiety"]["n_complete"] == 7
    assert summary["missing_per_scale"] == {"anxiety": 0, "avoidance": 0}
    assert "Rows read: 7 · rows scored: 7 · response range 1-7" in captured.out
    assert f"Scores written to {out}" in captured.out
    assert "Fraley, R. C." in captured.out


def test_score_without_out_prints_summary_only(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", [ecrr_all(4), ecrr_all(5), ecrr_all(2)])
    assert run(["score", str(src), "--instrument", "ecr-r"]) == 0
    out = capsys.readouterr().out
    assert "Rows read: 3 · rows scored: 3" in out
    assert "Scores written" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_score_prefix_map_range_and_invalid_missing(tmp_path, capsys):
    src = write_csv(tmp_path / "q.csv", [ecrr_all(3), ecrr_all(5)], prefix="Q")
    out = tmp_path / "o.csv"
    assert run(["score", str(src), "-i", "ecr-r", "--prefix", "Q", "--out", str(out)]) == 0
    assert [r["anxiety"] for r in read_scores(out)] == [
        pytest.approx(expected_all(3)[0]),
        pytest.approx(expected_all(5)[0]),
    ]
    assert "row" in read_scores(out)[0]  # no --id-column: rows are numbered

    mfile = tmp_path / "map.json"
    mfile.write_text(json.dumps({str(i): f"Q{i}" for i in range(1, 37)}), encoding="utf-8")
    assert run(["score", str(src), "-i", "ecr-r", "--map", str(mfile), "--out", str(out)]) == 0
    assert read_scores(out)[1]["avoidance"] == pytest.approx(expected_all(5)[1])

    # On a 1-5 form all 5s give anxiety (16·5 + 2·1)/18 and avoidance (6·5 + 12·1)/18.
    five = write_csv(tmp_path / "five.csv", [ecrr_all(5)])
    assert run(["score", str(five), "-i", "ecr-r", "--range", "1-5", "--out", str(out)]) == 0
    rec = read_scores(out)[0]
    assert rec["anxiety"] == pytest.approx(82 / 18)
    assert rec["avoidance"] == pytest.approx(42 / 18)
    assert rec["style"] == "anxious-preoccupied"  # 4.56 > 3, 2.33 < 3

    bad = ecrr_all(4)
    bad[3], bad[21] = 8, 0
    src = write_csv(tmp_path / "bad.csv", [ecrr_all(4), bad])
    capsys.readouterr()
    assert run(["score", str(src), "-i", "ecr-r", "--invalid", "missing", "--out", str(out)]) == 0
    assert "Invalid values counted as missing: 2" in capsys.readouterr().out
    assert read_scores(out)[1]["anxiety"] == pytest.approx(4.0)


@pytest.mark.parametrize("in_ext", [".csv", ".parquet"])
def test_score_bad_value_exit_2_with_exact_message(tmp_path, capsys, in_ext):
    rows = [ecrr_all(4) for _ in range(5)]
    rows[2][5] = 9
    rows[4][1] = 0
    src = tmp_path / f"bad{in_ext}"
    (write_csv if in_ext == ".csv" else write_parquet)(src, rows)
    assert run(["score", str(src), "-i", "ecr-r"]) == 2
    captured = capsys.readouterr()
    assert err_lines(captured) == ["error: row 3, column ecrr_5: value 9 is outside 1-7"]
    assert "Traceback" not in captured.err


def test_score_text_cell_exit_2(tmp_path, capsys):
    rows: list[dict[int, object]] = [ecrr_all(4) for _ in range(3)]
    rows[1][36] = "seven"
    src = write_csv(tmp_path / "bad.csv", rows)
    assert run(["score", str(src), "-i", "ecr-r"]) == 2
    assert err_lines(capsys.readouterr()) == [
        "error: row 2, column ecrr_36: value 'seven' is not a number"
    ]


def test_score_range_applies_to_validation(tmp_path, capsys):
    src = write_csv(tmp_path / "six.csv", [ecrr_all(6)])
    assert run(["score", str(src), "-i", "ecr-r", "--range", "1-5"]) == 2
    assert err_lines(capsys.readouterr()) == ["error: row 1, column ecrr_1: value 6 is outside 1-5"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["-i", "nope"], "unknown instrument 'nope'"),
        (["-i", "ecr-r", "--range", "5-1"], "LO must be smaller than HI"),
        (["-i", "ecr-r", "--range", "one-five"], "is not of the form LO-HI"),
        (["-i", "ecr-r", "--invalid", "maybe"], "--invalid must be 'error' or 'missing'"),
        (["-i", "ecr-r", "--prefix", "Q", "--map", "m.json"], "use either --prefix or --map"),
        (["-i", "ecr-r", "--out", "scores.xlsx"], "unsupported file type"),
        (["-i", "ecr-r", "--prefix", "Z"], "36 item column(s) of ecr-r not found"),
    ],
)
def test_score_input_errors_exit_2(tmp_path, capsys, extra, fragment):
    src = write_csv(tmp_path / "in.csv", [ecrr_all(4)])
    (tmp_path / "m.json").write_text("{}", encoding="utf-8")
    argv = [
        "score",
        str(src),
        *[str(tmp_path / a) if a.endswith((".json", ".xlsx")) else a for a in extra],
    ]
    assert run(argv) == 2
    captured = capsys.readouterr()
    lines = err_lines(captured)
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("text", ["²-5", "1-²", "1-" + "9" * 5000])
def test_score_range_with_non_ascii_or_huge_number_exit_2_one_line(tmp_path, capsys, text):
    src = write_csv(tmp_path / "in.csv", [ecrr_all(4)])
    assert run(["score", str(src), "-i", "ecr-r", "--range", text]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: range '")
    assert "is not of the form LO-HI, e.g. 1-5 (whole numbers, up to 6 digits)" in err
    assert err.count("\n") == 1
    assert len(err) < 120


def test_score_missing_file_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert run(["score", str(missing), "-i", "ecr-r"]) == 2
    assert err_lines(capsys.readouterr()) == [f"error: input file {missing} does not exist"]


def test_score_unexpected_error_exit_1_one_line(tmp_path, capsys, monkeypatch):
    import safebase.tables

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(safebase.tables, "score_file", boom)
    src = write_csv(tmp_path / "in.csv", [ecrr_all(4)])
    assert run(["score", str(src), "-i", "ecr-r"]) == 1
    captured = capsys.readouterr()
    assert err_lines(captured) == [
        "error: RuntimeError: disk on fire (run with --debug for the traceback)"
    ]
    assert "Traceback" not in captured.err + captured.out

    with pytest.raises(RuntimeError, match="disk on fire"):
        cli.main(["--debug", "score", str(src), "-i", "ecr-r"])


def test_long_error_message_stays_on_one_line_off_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli.err, "_width", 80)  # Rich's width when stderr is a pipe or a log
    missing = tmp_path / ("x" * 60) / "responses.csv"
    assert run(["score", str(missing), "-i", "ecr-r"]) == 2
    assert err_lines(capsys.readouterr()) == [f"error: input file {missing} does not exist"]
