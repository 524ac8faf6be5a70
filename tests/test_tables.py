"""``safebase.tables.score_file`` on real files (CSV, TSV, Parquet, SPSS .sav) written to tmp_path.

Every expected score comes from ``naive_ecrr`` below, a plain per-row Python reading of the ECR-R
scoring key (Fraley, Waller & Brennan, 2000; items 1–18 anxiety with 9 and 11 reversed, items 19–36
avoidance with 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36 reversed; a scale needs 80% of its
items, i.e. 15 of 18), independent of the vectorised scorer under test.
"""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import pandas as pd
import pingouin
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from safebase.core.instrument import get_instrument
from safebase.core.scoring import ResponseRange
from safebase.tables import InputError, score_file

ECR_R = get_instrument("ecr-r")
ANX_ITEMS = list(range(1, 19))
AVO_ITEMS = list(range(19, 37))
ANX_REV = {9, 11}
AVO_REV = {20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
STYLES = {"secure", "anxious-preoccupied", "dismissing-avoidant", "fearful-avoidant"}

Row = dict[int, object]  # item number -> raw cell value (None = empty)


# ------------------------------------------------------------------------------------------------
# An independent, naive scorer.


def keyed(item: int, x: float, lo: int, hi: int) -> float:
    return lo + hi - x if item in ANX_REV | AVO_REV else x


def naive_scale(row: Row, items: list[int], lo: int = 1, hi: int = 7) -> float | None:
    vals = [keyed(i, float(row[i]), lo, hi) for i in items if row.get(i) is not None]  # type: ignore[arg-type]
    if len(vals) < 15:  # 80% of 18 = 14.4 -> at least 15 answered
        return None
    return sum(vals) / len(vals)


def naive_ecrr(row: Row, lo: int = 1, hi: int = 7) -> tuple[float | None, float | None, str | None]:
    anx = naive_scale(row, ANX_ITEMS, lo, hi)
    avo = naive_scale(row, AVO_ITEMS, lo, hi)
    style = None
    if anx is not None and avo is not None:
        mid = (lo + hi) / 2
        style = {
            (False, False): "secure",
            (True, False): "anxious-preoccupied",
            (False, True): "dismissing-avoidant",
            (True, True): "fearful-avoidant",
        }[(anx > mid, avo > mid)]
    return anx, avo, style


def make_rows(n: int, seed: int, lo: int = 1, hi: int = 7, missing: float = 0.03) -> list[Row]:
    """Responses from two latent traits, so keyed items correlate and alpha is substantial."""
    rnd = random.Random(seed)
    mid = (lo + hi) / 2
    spread = (hi - lo) / 6
    rows = []
    for _ in range(n):
        anx, avo = rnd.gauss(0, 1), rnd.gauss(0, 1)
        row: Row = {}
        for item in range(1, 37):
            trait = anx if item <= 18 else avo
            k = round(mid + spread * (1.6 * trait + rnd.gauss(0, 1.0)))
            k = min(hi, max(lo, k))
            raw = lo + hi - k if item in ANX_REV | AVO_REV else k
            row[item] = None if rnd.random() < missing else raw
        rows.append(row)
    return rows


def ids_for(n: int) -> list[str]:
    return [f"p{i:04d}" for i in range(1, n + 1)]


# ------------------------------------------------------------------------------------------------
# Writers and a reader, all plain.


def write_text_table(path: Path, columns: list[str], records: list[list[object]], delim: str = ","):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delim)
        w.writerow(columns)
        for rec in records:
            w.writerow(["" if v is None else v for v in rec])


def ecrr_columns(prefix: str = "ecrr_") -> list[str]:
    return [f"{prefix}{i}" for i in range(1, 37)]


def write_csv(path: Path, rows: list[Row], *, prefix="ecrr_", delim=",", with_id=True) -> None:
    cols = (["id"] if with_id else []) + ecrr_columns(prefix)
    ids = ids_for(len(rows))
    recs = [
        ([ids[r]] if with_id else []) + [row[i] for i in range(1, 37)] for r, row in enumerate(rows)
    ]
    write_text_table(path, cols, recs, delim)


def write_parquet(path: Path, rows: list[Row]) -> None:
    data = {"id": pa.array(ids_for(len(rows)))}
    for i in range(1, 37):
        data[f"ecrr_{i}"] = pa.array([row[i] for row in rows], type=pa.int64())
    pq.write_table(pa.table(data), path)


def write_sav(path: Path, rows: list[Row]) -> None:
    frame = pd.DataFrame({"id": ids_for(len(rows))})
    for i in range(1, 37):
        frame[f"ecrr_{i}"] = [math.nan if row[i] is None else float(row[i]) for row in rows]  # type: ignore[arg-type]
    pyreadstat.write_sav(frame, str(path))


WRITERS = {"csv": write_csv, "parquet": write_parquet, "sav": write_sav}


def read_output(path: Path) -> list[dict[str, object]]:
    """Output rows as dicts; empty cells / nulls as None, numbers as float."""
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    with path.open(newline="", encoding="utf-8") as fh:
        out = []
        for rec in csv.DictReader(fh):
            row: dict[str, object] = {}
            for k, v in rec.items():
                if v == "":
                    row[k] = None
                elif k in {"anxiety", "avoidance", "row"}:
                    row[k] = float(v)
                else:
                    row[k] = v
            out.append(row)
        return out


def header_of(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return pq.read_schema(path).names
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def assert_scores_match(out_rows, rows: list[Row], *, lo=1, hi=7, key="id", ids=None):
    assert len(out_rows) == len(rows)
    ids = ids or ids_for(len(rows))
    for r, (got, row) in enumerate(zip(out_rows, rows, strict=True)):
        anx, avo, style = naive_ecrr(row, lo, hi)
        if key == "id":
            assert got["id"] == ids[r]
        else:
            assert got["row"] == r + 1
        for name, want in (("anxiety", anx), ("avoidance", avo)):
            if want is None:
                assert got[name] is None, (r, name, got)
            else:
                assert got[name] == pytest.approx(want, abs=1e-12), (r, name)
        assert got["style"] == style, r
        if style is not None:
            assert style in STYLES


def keyed_complete(rows: list[Row], items: list[int], lo=1, hi=7) -> pd.DataFrame:
    data = [
        [keyed(i, float(row[i]), lo, hi) for i in items]  # type: ignore[arg-type]
        for row in rows
        if all(row[i] is not None for i in items)
    ]
    return pd.DataFrame(data, columns=[str(i) for i in items])


# ------------------------------------------------------------------------------------------------
# Formats in and out.


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet", "sav"])
@pytest.mark.parametrize("out_ext", [".csv", ".parquet"])
def test_scores_every_format_against_naive(tmp_path, fmt, out_ext):
    rows = make_rows(60, seed=1)
    src = tmp_path / f"in.{fmt}"
    if fmt == "tsv":
        write_csv(src, rows, delim="\t")
    else:
        WRITERS[fmt](src, rows)
    out = tmp_path / f"scores{out_ext}"
    summary = score_file(src, ECR_R, out=out, id_column="id")
    assert header_of(out) == ["id", "anxiety", "avoidance", "style"]
    out_rows = read_output(out)
    assert_scores_match(out_rows, rows)
    # Some rows must fall in each of at least two quadrants, or the style check is weak.
    assert len({r["style"] for r in out_rows} - {None}) >= 2

    naive = [naive_ecrr(r) for r in rows]
    assert summary.rows_read == 60
    assert summary.rows_scored == sum(1 for a, v, _ in naive if a is not None or v is not None)
    assert summary.missing["anxiety"] == sum(1 for a, _, _ in naive if a is None)
    assert summary.missing["avoidance"] == sum(1 for _, v, _ in naive if v is None)
    assert summary.invalid_cells == 0
    anx = [a for a, _, _ in naive if a is not None]
    assert summary.scale_stats["anxiety"]["n"] == len(anx)
    assert summary.scale_stats["anxiety"]["mean"] == pytest.approx(sum(anx) / len(anx))
    m = sum(anx) / len(anx)
    sd = math.sqrt(sum((x - m) ** 2 for x in anx) / (len(anx) - 1))
    assert summary.scale_stats["anxiety"]["sd"] == pytest.approx(sd)


def test_without_id_column_rows_are_numbered(tmp_path):
    rows = make_rows(12, seed=2)
    src = tmp_path / "in.csv"
    write_csv(src, rows, with_id=False)
    out = tmp_path / "out.csv"
    score_file(src, ECR_R, out=out)
    assert header_of(out) == ["row", "anxiety", "avoidance", "style"]
    assert_scores_match(read_output(out), rows, key="row")


def test_no_output_file_still_returns_summary(tmp_path):
    rows = make_rows(10, seed=3, missing=0)
    src = tmp_path / "in.csv"
    write_csv(src, rows)
    summary = score_file(src, ECR_R)
    assert summary.rows_read == summary.rows_scored == 10
    assert list(tmp_path.iterdir()) == [src]


def test_csv_with_columns_in_any_order_and_extra_columns(tmp_path):
    rows = make_rows(20, seed=4)
    cols = ["note", *ecrr_columns(), "id"]
    random.Random(0).shuffle(cols)
    ids = ids_for(20)
    recs = []
    for r, row in enumerate(rows):
        cell = {"note": "hello, world", "id": ids[r]}
        cell.update({f"ecrr_{i}": row[i] for i in range(1, 37)})
        recs.append([cell[c] for c in cols])
    src = tmp_path / "shuffled.csv"
    write_text_table(src, cols, recs)
    out = tmp_path / "out.parquet"
    score_file(src, ECR_R, out=out, id_column="id")
    assert_scores_match(read_output(out), rows)


def test_csv_written_with_a_byte_order_mark(tmp_path):
    # Excel's "CSV UTF-8" starts with a BOM; the first column must still be recognised.
    rows = make_rows(5, seed=5, missing=0)
    plain = tmp_path / "plain.csv"
    write_csv(plain, rows)
    src = tmp_path / "bom.csv"
    src.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    out = tmp_path / "out.csv"
    score_file(src, ECR_R, out=out, id_column="id")
    assert_scores_match(read_output(out), rows)


# ------------------------------------------------------------------------------------------------
# Naming the item columns.


def test_prefix(tmp_path):
    rows = make_rows(15, seed=6)
    src = tmp_path / "q.csv"
    write_csv(src, rows, prefix="Q")
    out = tmp_path / "out.csv"
    score_file(src, ECR_R, out=out, prefix="Q", id_column="id")
    assert_scores_match(read_output(out), rows)
    with pytest.raises(InputError, match=r"36 item column\(s\) of ecr-r not found"):
        score_file(src, ECR_R)  # default prefix ecrr_ is absent


def _mapped_file(tmp_path: Path, rows: list[Row]) -> Path:
    # Item k lives in column "c{37-k}" so that item order and column order disagree.
    cols = ["id", *[f"c{37 - k:02d}" for k in range(1, 37)]]
    ids = ids_for(len(rows))
    recs = [[ids[r], *[row[k] for k in range(1, 37)]] for r, row in enumerate(rows)]
    src = tmp_path / "mapped.csv"
    write_text_table(src, cols, recs)
    return src


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_mapping_file(tmp_path, kind):
    from safebase.tables import read_mapping

    rows = make_rows(15, seed=7)
    src = _mapped_file(tmp_path, rows)
    mapping = {str(k): f"c{37 - k:02d}" for k in range(1, 37)}
    if kind == "json":
        mfile = tmp_path / "map.json"
        mfile.write_text(json.dumps(mapping), encoding="utf-8")
    else:
        mfile = tmp_path / "map.csv"
        write_text_table(mfile, ["item", "column"], [[k, v] for k, v in mapping.items()])
    assert read_mapping(mfile) == mapping
    out = tmp_path / "out.csv"
    score_file(src, ECR_R, out=out, mapping=read_mapping(mfile), id_column="id")
    assert_scores_match(read_output(out), rows)


def test_mapping_with_unknown_item_or_missing_items(tmp_path):
    rows = make_rows(3, seed=8)
    src = _mapped_file(tmp_path, rows)
    mapping = {str(k): f"c{37 - k:02d}" for k in range(1, 37)}
    with pytest.raises(InputError, match="does not have"):
        score_file(src, ECR_R, mapping={**mapping, "37": "c01"})
    partial = {k: v for k, v in mapping.items() if k != "5"}
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, mapping=partial)
    assert "1 item column(s) of ecr-r not found" in str(info.value)
    assert "(item 5)" in str(info.value)


def test_missing_item_columns_are_listed(tmp_path):
    rows = make_rows(3, seed=9)
    cols = [c for c in ["id", *ecrr_columns()] if c not in {"ecrr_5", "ecrr_30"}]
    recs = [
        [ids_for(3)[r], *[row[i] for i in range(1, 37) if i not in (5, 30)]]
        for r, row in enumerate(rows)
    ]
    src = tmp_path / "short.csv"
    write_text_table(src, cols, recs)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, id_column="id")
    msg = str(info.value)
    assert msg.startswith("2 item column(s) of ecr-r not found in the input: ecrr_5, ecrr_30.")
    assert "--prefix" in msg


def test_missing_id_column(tmp_path):
    src = tmp_path / "in.csv"
    write_csv(src, make_rows(2, seed=10))
    with pytest.raises(InputError, match="id column 'person' not found"):
        score_file(src, ECR_R, id_column="person")


def test_duplicate_columns(tmp_path):
    src = tmp_path / "dup.csv"
    cols = ["id", *ecrr_columns(), "ecrr_3"]
    write_text_table(src, cols, [["a", *[4] * 36, 4]])
    with pytest.raises(InputError, match="duplicate columns: ecrr_3"):
        score_file(src, ECR_R)


def test_unsupported_and_missing_files(tmp_path):
    src = tmp_path / "in.csv"
    write_csv(src, make_rows(2, seed=11))
    with pytest.raises(InputError, match="does not exist"):
        score_file(tmp_path / "nope.csv", ECR_R)
    xlsx = tmp_path / "in.xlsx"
    xlsx.write_bytes(b"x")
    with pytest.raises(InputError, match="unsupported file type"):
        score_file(xlsx, ECR_R)
    with pytest.raises(InputError, match="unsupported file type"):
        score_file(src, ECR_R, out=tmp_path / "out.json")


# ------------------------------------------------------------------------------------------------
# Invalid values.


def _all_fours(n: int) -> list[Row]:
    return [{i: 4 for i in range(1, 37)} for _ in range(n)]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sav"])
def test_first_out_of_range_value_is_reported_exactly(tmp_path, fmt):
    rows = _all_fours(10)
    rows[6][20] = 0  # row 7, later column
    rows[4][12] = 9  # row 5: the first bad value in reading order
    rows[4][30] = 8  # row 5, later column
    src = tmp_path / f"bad.{fmt}"
    WRITERS[fmt](src, rows)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, out=tmp_path / "o.csv")
    assert str(info.value) == "row 5, column ecrr_12: value 9 is outside 1-7"


def test_non_numeric_cell_is_reported_exactly(tmp_path):
    rows: list[Row] = _all_fours(8)
    rows[2][7] = "abc"
    rows[5][1] = 0  # a later out-of-range value must not be reported first
    src = tmp_path / "bad.csv"
    write_csv(src, rows)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R)
    assert str(info.value) == "row 3, column ecrr_7: value 'abc' is not a number"


def test_out_of_range_before_text_cell_wins(tmp_path):
    rows: list[Row] = _all_fours(8)
    rows[5][7] = "abc"
    rows[1][33] = 12
    src = tmp_path / "bad.csv"
    write_csv(src, rows)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R)
    assert str(info.value) == "row 2, column ecrr_33: value 12 is outside 1-7"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_fraction_is_not_a_whole_number(tmp_path, fmt):
    rows: list[Row] = _all_fours(4)
    rows[3][2] = 3.5
    src = tmp_path / f"bad.{fmt}"
    if fmt == "csv":
        write_csv(src, rows)
    else:
        data = {
            f"ecrr_{i}": pa.array([r[i] for r in rows], type=pa.float64()) for i in range(1, 37)
        }
        pq.write_table(pa.table(data), src)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R)
    assert str(info.value).startswith("row 4, column ecrr_2: value 3.5 is not a whole number")


def test_text_in_a_parquet_string_column(tmp_path):
    data = {f"ecrr_{i}": pa.array([4, 4, 4], type=pa.int64()) for i in range(1, 37)}
    data["ecrr_15"] = pa.array(["4", " 5 ", "seven"])
    src = tmp_path / "text.parquet"
    pq.write_table(pa.table(data), src)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R)
    assert str(info.value) == "row 3, column ecrr_15: value 'seven' is not a number"
    out = tmp_path / "o.csv"
    summary = score_file(src, ECR_R, out=out, invalid="missing")
    assert summary.invalid_cells == 1
    got = read_output(out)
    # Row 2: item 15 read as 5 (whitespace trimmed): (17·4 + 5)/18.
    assert got[1]["anxiety"] == pytest.approx((17 * 4 + 5) / 18)
    assert got[2]["anxiety"] == pytest.approx(4.0)  # 17 answered fours


def test_text_in_a_sav_string_column(tmp_path):
    frame = pd.DataFrame({f"ecrr_{i}": [4.0, 4.0, 4.0] for i in range(1, 37)})
    frame["ecrr_7"] = ["6", "x", ""]
    src = tmp_path / "text.sav"
    pyreadstat.write_sav(frame, str(src))
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R)
    assert str(info.value) == "row 2, column ecrr_7: value 'x' is not a number"
    out = tmp_path / "o.csv"
    summary = score_file(src, ECR_R, out=out, invalid="missing")
    assert summary.invalid_cells == 1  # the empty string is missing, not invalid
    got = read_output(out)
    assert got[0]["anxiety"] == pytest.approx((17 * 4 + 6) / 18)
    assert got[1]["anxiety"] == pytest.approx(4.0)
    assert got[2]["anxiety"] == pytest.approx(4.0)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sav"])
def test_invalid_missing_counts_planted_cells(tmp_path, fmt):
    rows = make_rows(40, seed=12)
    planted = [(0, 1, 8), (3, 9, 0), (3, 25, 99), (10, 36, -1), (22, 18, 7.5), (39, 19, 100)]
    if fmt == "csv":
        planted.append((30, 2, "x"))
    expected_rows = [dict(r) for r in rows]
    for r, item, v in planted:
        rows[r][item] = v
        expected_rows[r][item] = None
    src = tmp_path / f"in.{fmt}"
    if fmt == "parquet":  # float column so 7.5 fits
        data = {"id": pa.array(ids_for(40))}
        for i in range(1, 37):
            data[f"ecrr_{i}"] = pa.array([r[i] for r in rows], type=pa.float64())
        pq.write_table(pa.table(data), src)
    else:
        WRITERS[fmt](src, rows)
    out = tmp_path / "out.csv"
    summary = score_file(src, ECR_R, out=out, id_column="id", invalid="missing")
    assert summary.invalid_cells == len(planted)
    assert_scores_match(read_output(out), expected_rows)
    with pytest.raises(InputError):
        score_file(src, ECR_R, id_column="id")


def test_response_range_one_to_five(tmp_path):
    rows = make_rows(50, seed=13, lo=1, hi=5)
    assert max(v for r in rows for v in r.values() if v is not None) == 5  # type: ignore[type-var]
    src = tmp_path / "five.csv"
    write_csv(src, rows)
    out = tmp_path / "out.csv"
    summary = score_file(src, ECR_R, out=out, id_column="id", response_range=ResponseRange(1, 5))
    assert summary.response_range == "1-5"
    assert_scores_match(read_output(out), rows, lo=1, hi=5)
    # Hand-worked: all 5s -> anxiety (16·5 + 2·(6−5))/18, avoidance (6·5 + 12·1)/18.
    fives = tmp_path / "fives.csv"
    write_csv(fives, [{i: 5 for i in range(1, 37)}])
    score_file(fives, ECR_R, out=out, response_range=ResponseRange(1, 5))
    got = read_output(out)[0]
    assert got["anxiety"] == pytest.approx(82 / 18)
    assert got["avoidance"] == pytest.approx(42 / 18)
    # The range check follows the override: 6 is valid on 1-7 but not on 1-5.
    six = tmp_path / "six.csv"
    bad = {i: 3 for i in range(1, 37)}
    bad[4] = 6
    write_csv(six, [bad])
    with pytest.raises(InputError) as info:
        score_file(six, ECR_R, response_range=ResponseRange(1, 5))
    assert str(info.value) == "row 1, column ecrr_4: value 6 is outside 1-5"
    score_file(six, ECR_R)  # fine on the default 1-7


# ------------------------------------------------------------------------------------------------
# Chunks.


@pytest.mark.parametrize("fmt", ["parquet", "sav"])
def test_small_chunks_give_the_same_scores_and_summary(tmp_path, fmt):
    rows = make_rows(100, seed=14)
    src = tmp_path / f"in.{fmt}"
    WRITERS[fmt](src, rows)
    big, small = tmp_path / "big.csv", tmp_path / "small.csv"
    seen: list[tuple[int, int | None]] = []
    s_big = score_file(src, ECR_R, out=big, id_column="id")
    s_small = score_file(
        src,
        ECR_R,
        out=small,
        id_column="id",
        chunk_rows=7,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert read_output(small) == read_output(big)
    assert_scores_match(read_output(small), rows)
    assert [d for d, _ in seen] == [*range(7, 100, 7), 100]
    assert {t for _, t in seen} == {100}
    for s in (s_big, s_small):
        assert s.rows_read == 100
    assert s_small.missing == s_big.missing
    for scale in ("anxiety", "avoidance"):
        rb, rs = s_big.reliability[scale], s_small.reliability[scale]
        assert rs["n_complete"] == rb["n_complete"]
        assert rs["alpha"] == pytest.approx(rb["alpha"], abs=1e-10)
        assert rs["omega_total"] == pytest.approx(rb["omega_total"], abs=1e-8)
        for k in s_big.scale_stats[scale]:
            assert s_small.scale_stats[scale][k] == pytest.approx(s_big.scale_stats[scale][k])


def test_small_chunks_report_the_global_row_number(tmp_path):
    rows = _all_fours(20)
    rows[16][3] = 8
    src = tmp_path / "in.parquet"
    write_parquet(src, rows)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, chunk_rows=7)
    assert str(info.value) == "row 17, column ecrr_3: value 8 is outside 1-7"


def test_csv_with_text_cell_far_down_the_file(tmp_path):
    n = 5000
    rows: list[Row] = make_rows(n, seed=15)
    rows[4321][17] = "abc"
    rows[4400][2] = 9
    src = tmp_path / "long.csv"
    write_csv(src, rows)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, id_column="id")
    assert str(info.value) == "row 4322, column ecrr_17: value 'abc' is not a number"

    out = tmp_path / "out.parquet"
    summary = score_file(src, ECR_R, out=out, id_column="id", invalid="missing")
    assert summary.invalid_cells == 2
    assert summary.rows_read == n
    rows[4321][17] = None
    rows[4400][2] = None
    assert_scores_match(read_output(out), rows)


# ------------------------------------------------------------------------------------------------
# Reliability and the missing-data rule.


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_alpha_matches_pingouin(tmp_path, fmt):
    rows = make_rows(300, seed=16, missing=0.01)
    src = tmp_path / f"in.{fmt}"
    WRITERS[fmt](src, rows)
    summary = score_file(src, ECR_R)
    for scale, items in (("anxiety", ANX_ITEMS), ("avoidance", AVO_ITEMS)):
        frame = keyed_complete(rows, items)
        assert 100 < len(frame) < 300  # some rows really are dropped listwise
        alpha, _ci = pingouin.cronbach_alpha(data=frame)
        rel = summary.reliability[scale]
        assert rel["n_complete"] == len(frame)
        assert rel["alpha"] == pytest.approx(alpha, abs=1e-10)
        assert alpha > 0.8  # the keyed items really do hang together


def test_fourteen_of_eighteen_gives_no_score(tmp_path):
    full = {i: 5 for i in range(1, 37)}
    fourteen = dict(full)
    for i in (1, 2, 9, 18):  # 4 anxiety items left blank
        fourteen[i] = None
    fifteen = dict(full)
    for i in (1, 2, 9):
        fifteen[i] = None
    rows = [full, fourteen, fifteen]
    src = tmp_path / "in.csv"
    write_csv(src, rows)
    out = tmp_path / "out.csv"
    summary = score_file(src, ECR_R, out=out, id_column="id")
    got = read_output(out)
    # Anxiety: 16 fives and items 9, 11 reversed to 3 -> (16·5 + 2·3)/18.
    assert got[0]["anxiety"] == pytest.approx(86 / 18)
    assert got[1]["anxiety"] is None
    assert got[1]["style"] is None
    # Avoidance is untouched: 6 fives + 12 threes.
    assert got[1]["avoidance"] == pytest.approx((6 * 5 + 12 * 3) / 18)
    # 15 answered: 14 fives (items 3-8, 10-18 minus 11) and item 11 reversed to 3.
    assert got[2]["anxiety"] == pytest.approx((14 * 5 + 3) / 15)
    assert summary.missing == {"anxiety": 1, "avoidance": 0}
    assert summary.rows_scored == 3
    # The raw CSV cell really is empty, not "nan" or "None".
    with out.open(newline="", encoding="utf-8") as fh:
        raw = list(csv.reader(fh))
    assert raw[2][1] == ""


def test_row_with_nothing_answered_is_read_but_not_scored(tmp_path):
    rows = [{i: 4 for i in range(1, 37)}, {i: None for i in range(1, 37)}]
    src = tmp_path / "in.csv"
    write_csv(src, rows)
    summary = score_file(src, ECR_R)
    assert summary.rows_read == 2
    assert summary.rows_scored == 1
    assert summary.missing == {"anxiety": 1, "avoidance": 1}


# ------------------------------------------------------------------------------------------------
# Edge cases of real-world files.


def test_header_names_with_spaces_after_commas(tmp_path):
    src = tmp_path / "spaced.csv"
    header = "id, " + ", ".join(ecrr_columns())
    src.write_text(header + "\np1," + ",".join(["4"] * 36) + "\n", encoding="utf-8")
    summary = score_file(src, ECR_R, id_column="id")
    assert summary.rows_scored == 1


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sav"])
def test_header_only_input_is_an_error_and_writes_nothing(tmp_path, fmt):
    # An input with column names and no data is almost always the wrong file or a failed
    # export; "Rows read: 0" and an empty scores file hid that.
    src = tmp_path / f"empty.{fmt}"
    WRITERS[fmt](src, [])
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError, match=r"^empty\.\w+: no rows to score"):
        score_file(src, ECR_R, out=out, id_column="id")
    assert not out.exists()


@pytest.mark.parametrize("out_ext", [".csv", ".parquet"])
def test_a_bad_value_halfway_leaves_no_partial_scores_file(tmp_path, out_ext):
    # Chunks 1 and 2 (rows 1-14) are scored and written before row 17 stops the run.
    rows = _all_fours(20)
    rows[16][3] = 8
    src = tmp_path / "in.parquet"
    write_parquet(src, rows)
    out = tmp_path / f"scores{out_ext}"
    with pytest.raises(InputError, match="row 17"):
        score_file(src, ECR_R, out=out, chunk_rows=7)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]
    # An older scores file of the same name is left as it was.
    out.write_text("earlier run\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 17"):
        score_file(src, ECR_R, out=out, chunk_rows=7)
    assert out.read_text(encoding="utf-8") == "earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", out.name]
    # A clean run replaces it.
    rows[16][3] = 4
    write_parquet(src, rows)
    score_file(src, ECR_R, out=out, chunk_rows=7)
    assert len(read_output(out)) == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", out.name]


# ------------------------------------------------------------------------------------------------
# CSV in blocks of whole lines (parsed two at a time in the scoring threads).


def _small_blocks(monkeypatch, size: int = 1000) -> None:
    """Blocks of about ``size`` bytes (a dozen lines): a small file is cut into many."""
    import safebase.tables as tables

    monkeypatch.setattr(tables, "CSV_BLOCK_BYTES", size)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_cut_into_many_blocks_gives_the_same_scores(tmp_path, monkeypatch, newline):
    rows = make_rows(300, seed=31)
    src = tmp_path / "in.csv"
    write_csv(src, rows)
    text = src.read_text(encoding="utf-8").replace("\r\n", "\n")
    # Blank lines here and there, and a byte order mark: skipped as Arrow's reader skips them.
    lines = text.split("\n")
    lines[40:40] = ["", ""]
    lines[151:151] = [""]
    src.write_bytes(b"\xef\xbb\xbf" + newline.join(lines).encode("utf-8"))
    whole = score_file(src, ECR_R, out=tmp_path / "whole.csv", id_column="id")
    _small_blocks(monkeypatch)
    seen: list[int] = []
    cut = score_file(
        src,
        ECR_R,
        out=tmp_path / "cut.csv",
        id_column="id",
        progress=lambda done, total: seen.append(done),
    )
    assert len(seen) > 20 and seen[-1] == 300  # many blocks, every row counted once
    assert read_output(tmp_path / "cut.csv") == read_output(tmp_path / "whole.csv")
    assert_scores_match(read_output(tmp_path / "cut.csv"), rows)
    assert cut.rows_read == whole.rows_read == 300
    assert cut.reliability == whole.reliability  # from exact sums: the same however cut
    for scale, stats in whole.scale_stats.items():  # float sums: equal up to rounding
        assert cut.scale_stats[scale] == pytest.approx(stats, rel=1e-12)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_line_longer_than_a_block(tmp_path, monkeypatch, newline):
    rows = make_rows(40, seed=32)
    src = tmp_path / "in.csv"
    cols = ["id", *ecrr_columns(), "note"]
    recs = [
        [p, *[row[i] for i in range(1, 37)], "x" * (5000 if r == 17 else 3)]
        for r, (p, row) in enumerate(zip(ids_for(40), rows, strict=True))
    ]
    write_text_table(src, cols, recs)
    src.write_bytes(src.read_bytes().replace(b"\r\n", newline.encode()))
    _small_blocks(monkeypatch)
    score_file(src, ECR_R, out=tmp_path / "out.csv", id_column="id")
    assert_scores_match(read_output(tmp_path / "out.csv"), rows)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (9, "value 9 is outside 1-7"),
        (3.5, "value 3.5 is not a whole number in 1-7"),  # read again as floats
        ("x", "value 'x' is not a number"),  # read again as text
    ],
)
def test_csv_bad_cell_in_a_later_block_names_its_file_row(tmp_path, monkeypatch, value, message):
    rows: list[Row] = make_rows(300, seed=33)
    rows[250][12] = value  # type: ignore[assignment]
    src = tmp_path / "in.csv"
    write_csv(src, rows)
    _small_blocks(monkeypatch)
    with pytest.raises(InputError) as info:
        score_file(src, ECR_R, out=tmp_path / "out.csv", id_column="id")
    assert str(info.value) == f"row 251, column ecrr_12: {message}"
    assert not (tmp_path / "out.csv").exists()


def test_csv_later_blocks_keep_the_first_blocks_column_types(tmp_path, monkeypatch):
    # Numeric ids in the first block, so the id column is read as numbers; a later block that
    # cannot be is refused as a whole file, as Arrow's streaming reader refuses it.
    rows = make_rows(300, seed=34)
    src = tmp_path / "in.csv"
    ids = [str(i) for i in range(1, 301)]
    ids[280] = "p281"
    write_text_table(
        src,
        ["id", *ecrr_columns()],
        [[ids[r], *[row[i] for i in range(1, 37)]] for r, row in enumerate(rows)],
    )
    _small_blocks(monkeypatch)
    with pytest.raises(InputError, match=r"in\.csv: not readable as CSV"):
        score_file(src, ECR_R, out=tmp_path / "out.csv", id_column="id")


@pytest.mark.parametrize("token", ["NA", "NULL", "nan", "#N/A"])
def test_csv_null_tokens_in_later_blocks_read_as_arrow_reads_them(tmp_path, monkeypatch, token):
    # Later blocks are parsed with "" as the only null token at first; "NA" in an item column
    # makes the file be read again as floats (all tokens), and in a text id column it is made
    # null afterwards: either way the same scores and ids as one block with Arrow's defaults.
    rows = make_rows(300, seed=35)
    ids: list[str | None] = list(ids_for(300))
    recs = []
    for r, row in enumerate(rows):
        cells = [token if row[i] is None else row[i] for i in range(1, 37)]
        recs.append([ids[r], *cells])
    ids[5] = ids[222] = None
    recs[5][0] = recs[222][0] = token
    src = tmp_path / "in.csv"
    write_text_table(src, ["id", *ecrr_columns()], recs)
    whole = score_file(src, ECR_R, out=tmp_path / "whole.csv", id_column="id")
    _small_blocks(monkeypatch)
    cut = score_file(src, ECR_R, out=tmp_path / "cut.parquet", id_column="id")
    got = read_output(tmp_path / "cut.parquet")
    assert [g["id"] for g in got] == ids
    assert_scores_match([{**g, "id": "x"} for g in got], rows, ids=["x"] * 300)
    for g, w in zip(got, read_output(tmp_path / "whole.csv"), strict=True):
        for k in ("anxiety", "avoidance", "style"):
            assert g[k] == w[k]
    assert cut.reliability == whole.reliability


def test_csv_null_token_only_in_a_later_item_block_is_missing(tmp_path, monkeypatch):
    rows = make_rows(300, seed=36, missing=0.0)
    recs = [[p, *[row[i] for i in range(1, 37)]] for p, row in zip(ids_for(300), rows, strict=True)]
    recs[250][3] = "NA"  # the only token in the file, far past the first block
    rows[250][3] = None
    src = tmp_path / "in.csv"
    write_text_table(src, ["id", *ecrr_columns()], recs)
    _small_blocks(monkeypatch)
    score_file(src, ECR_R, out=tmp_path / "out.csv", id_column="id")
    assert_scores_match(read_output(tmp_path / "out.csv"), rows)


@pytest.mark.parametrize("token", ["NA", "NULL"])
def test_csv_null_tokens_in_a_text_id_column_of_later_blocks_are_null(tmp_path, monkeypatch, token):
    rows = make_rows(300, seed=37)
    ids: list[str | None] = list(ids_for(300))
    recs = [[p, *[row[i] for i in range(1, 37)]] for p, row in zip(ids, rows, strict=True)]
    for r in (2, 150, 290):  # the first block and later ones; items have no token at all
        recs[r][0], ids[r] = token, None
    src = tmp_path / "in.csv"
    write_text_table(src, ["id", *ecrr_columns()], recs)
    _small_blocks(monkeypatch)
    score_file(src, ECR_R, out=tmp_path / "out.parquet", id_column="id")
    got = read_output(tmp_path / "out.parquet")
    assert [g["id"] for g in got] == ids


def test_csv_first_block_infers_types_with_every_null_token(tmp_path, monkeypatch):
    # Numeric ids with an "NA" among them in the first block: numbers with a gap, as Arrow's
    # defaults read them (not text), and an "NA" in a later block is read the same way.
    rows = make_rows(300, seed=38)
    ids: list[int | None] = list(range(1, 301))
    recs = [[p, *[row[i] for i in range(1, 37)]] for p, row in zip(ids, rows, strict=True)]
    for r in (3, 200):
        recs[r][0], ids[r] = "NA", None
    src = tmp_path / "in.csv"
    write_text_table(src, ["id", *ecrr_columns()], recs)
    _small_blocks(monkeypatch)
    score_file(src, ECR_R, out=tmp_path / "out.parquet", id_column="id")
    assert pq.read_schema(tmp_path / "out.parquet").field("id").type == pa.int64()
    assert [g["id"] for g in read_output(tmp_path / "out.parquet")] == ids
