"""Reading and writing response tables (CSV, TSV, Parquet, SPSS .sav) in bounded memory.

``score_file`` is the one path from a file of responses to a file of scores; the ``safebase score``
command and the throughput benchmark both call it. Files are read in chunks; each chunk becomes a
float64 matrix in the instrument's item order (NaN = missing), is validated, scored by
``core.batch.BatchScorer`` and appended to the output.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from safebase.core.batch import STYLE_CODES, BatchScorer, BatchSummary
from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument
from safebase.core.scoring import ResponseRange, default_range, item_bounds

InvalidPolicy = Literal["error", "missing"]
READ_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".sav": "sav"}
FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "parquet": "Parquet", "sav": "SPSS .sav"}
WRITE_FORMATS = {".csv": "csv", ".parquet": "parquet"}
CHUNK_ROWS = 250_000


class InputError(SafebaseError):
    """A problem with the user's file or options (exit code 2)."""


@dataclass(frozen=True)
class ColumnPlan:
    """Which input column holds each item, and the optional id column."""

    item_columns: list[str]
    id_column: str | None


def read_mapping(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"1": "col", ...}`` or a CSV with columns ``item,column``."""
    if not path.is_file():
        raise InputError(f"mapping file {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: {_not_utf8(exc)}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path.name}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            ) from exc
        if not isinstance(data, dict) or not all(isinstance(v, str | int) for v in data.values()):
            raise InputError(f"{path.name}: expected a JSON object of item -> column name")
        return {str(k): str(v) for k, v in data.items()}
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or not {"item", "column"} <= set(reader.fieldnames):
        raise InputError(f"{path.name}: a CSV mapping needs the header 'item,column'")
    mapping = {}
    for row in reader:
        if row["item"] is None or row["column"] is None:
            raise InputError(f"{path.name}: line {reader.line_num} needs an item and a column")
        mapping[row["item"].strip()] = row["column"].strip()
    return mapping


def check_output_path(path: Path, option: str, input_path: Path | None = None) -> None:
    """Refuse an output file before any work starts, rather than after the scoring."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"{option}: folder {folder} does not exist")
    if path.is_dir():
        raise InputError(f"{option}: {path} is a folder, not a file name")
    if input_path is not None and path.resolve() == Path(input_path).resolve():
        raise InputError(f"{option}: {path} is the input file; choose another name")


def plan_columns(
    instrument: Instrument,
    header: list[str],
    *,
    prefix: str | None = None,
    mapping: dict[str, str] | None = None,
    id_column: str | None = None,
) -> ColumnPlan:
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise InputError(f"the input has duplicate columns: {', '.join(dupes)}")
    if mapping is not None:
        unknown = sorted(set(mapping) - set(instrument.item_keys))
        if unknown:
            raise InputError(f"mapping names items that {instrument.id} does not have: {unknown}")
        wanted = [mapping.get(k, "") for k in instrument.item_keys]
    else:
        p = instrument.spec.column_prefix if prefix is None else prefix
        wanted = [f"{p}{k}" for k in instrument.item_keys]
    missing = [
        w or f"(item {k})"
        for w, k in zip(wanted, instrument.item_keys, strict=True)
        if w not in header
    ]
    if missing:
        shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
        raise InputError(
            f"{len(missing)} item column(s) of {instrument.id} not found in the input: {shown}. "
            f"Use --prefix or --map to name them."
        )
    if id_column is not None and id_column not in header:
        raise InputError(f"id column '{id_column}' not found in the input")
    return ColumnPlan(wanted, id_column)


def detect_format(path: Path, table: dict[str, str]) -> str:
    fmt = table.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path.name}: unsupported file type; use {', '.join(sorted(table))}")
    return fmt


def read_header(path: Path) -> tuple[list[str], int | None]:
    """Column names and, where the format records it, the number of rows."""
    fmt = detect_format(path, READ_FORMATS)
    with _reading(path, fmt):
        if fmt in {"csv", "tsv"}:
            _check_text(path, fmt)
            delim = "," if fmt == "csv" else "\t"
            with path.open(newline="", encoding="utf-8-sig") as fh:
                header = next(csv.reader(fh, delimiter=delim), None)
            if not header:
                raise InputError(f"{path.name}: the file is empty")
            return [h.strip() for h in header], None
        if fmt == "parquet":
            meta = pq.ParquetFile(path)
            return list(meta.schema_arrow.names), meta.metadata.num_rows
        import pyreadstat

        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
        return list(meta.column_names), meta.number_rows


def _check_text(path: Path, fmt: str) -> None:
    """CSV and TSV are read as UTF-8: name the two common wrong files before a parser trips."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{path.name}: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)"
        )
    if b"\0" in head:
        raise InputError(f"{path.name}: a binary file, not {FORMAT_NAMES[fmt]} text")


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return f"not UTF-8 text (it holds the byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"


@contextmanager
def _reading(path: Path, fmt: str) -> Iterator[None]:
    """A reader library's complaint about a damaged or mislabelled input file becomes an
    InputError naming the file (exit 2, one line) rather than an unexpected error (exit 1)."""
    errors: tuple[type[Exception], ...] = (csv.Error, pa.ArrowException, OSError)
    if fmt == "sav":
        import pyreadstat

        errors += (pyreadstat.ReadstatError, pyreadstat.PyreadstatError)
    try:
        yield
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: {_not_utf8(exc)}") from exc
    except errors as exc:
        detail = " ".join(str(exc).split())
        if fmt in {"csv", "tsv"} and "invalid UTF8" in detail:
            raise InputError(f"{path.name}: not UTF-8 text; save it as UTF-8") from exc
        if len(detail) > 160:
            detail = detail[:159] + "…"
        raise InputError(f"{path.name}: not readable as {FORMAT_NAMES[fmt]} ({detail})") from exc


@dataclass
class Chunk:
    values: np.ndarray  # rows × items, float64, NaN for empty cells
    raw_text: dict[int, np.ndarray]  # column -> texts where a cell was not a number
    ids: pa.Array | None
    # Column bounds and whether each column holds only whole numbers, taken in Arrow (a min/max
    # per column, and a cast for float columns) so a clean chunk — the usual case — skips the
    # cell-by-cell check.
    col_min: np.ndarray | None = None
    col_max: np.ndarray | None = None
    integral: np.ndarray | None = None

    def suspect_columns(self, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
        """Columns that may hold an invalid value and need the cell-level check."""
        if self.col_min is None or self.col_max is None or self.integral is None:
            return np.arange(self.values.shape[1])
        with np.errstate(invalid="ignore"):
            clean = (self.col_min >= lows) & (self.col_max <= highs) & self.integral
        # An all-empty numeric column has nothing to check; text columns always need the check.
        clean |= np.isnan(self.col_min) & self.integral
        return np.flatnonzero(~clean)


def _column_facts(col: pa.ChunkedArray | pa.Array) -> tuple[float, float, bool]:
    if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
        return np.nan, np.nan, False
    integral = True
    if pa.types.is_floating(col.type):
        # A safe cast to integers fails on any fraction (or NaN/inf): one pass for "all whole".
        try:
            col = pc.cast(col, pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            integral = False
    mm = pc.min_max(col).as_py()
    lo, hi = mm["min"], mm["max"]
    if lo is None:
        return np.nan, np.nan, integral
    return float(lo), float(hi), integral


def _to_float(col: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """Numbers as float64; text that is not a number becomes NaN and is returned for reporting."""
    if (
        pa.types.is_integer(col.type)
        or pa.types.is_floating(col.type)
        or pa.types.is_null(col.type)
    ):
        return pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), None
    import pandas as pd

    text = pc.utf8_trim_whitespace(pc.cast(col, pa.string())).to_pandas()
    out = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    raw = np.where(np.isnan(out) & text.notna().to_numpy() & (text != "").to_numpy(), text, None)
    return out, (raw if any(r is not None for r in raw) else None)


def _table_chunk(table: pa.Table | pa.RecordBatch, plan: ColumnPlan) -> Chunk:
    raws = {}
    k = len(plan.item_columns)
    # Column-major, filled column by column: far cheaper than stacking 36 columns row-wise.
    matrix = np.empty((table.num_rows, k), order="F")
    col_min, col_max, integral = np.empty(k), np.empty(k), np.zeros(k, dtype=bool)
    for j, name in enumerate(plan.item_columns):
        column = table.column(name)
        values, raw = _to_float(column)
        matrix[:, j] = values
        col_min[j], col_max[j], integral[j] = _column_facts(column)
        if raw is not None:
            raws[j] = raw
    ids = table.column(plan.id_column) if plan.id_column else None
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    return Chunk(matrix, raws, ids, col_min, col_max, integral)


def iter_chunks(path: Path, plan: ColumnPlan, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    fmt = detect_format(path, READ_FORMATS)
    wanted = list(
        dict.fromkeys([*plan.item_columns, *([plan.id_column] if plan.id_column else [])])
    )
    with _reading(path, fmt):
        if fmt in {"csv", "tsv"}:
            yield from _csv_chunks(path, plan, wanted, "," if fmt == "csv" else "\t")
        elif fmt == "parquet":
            pf = pq.ParquetFile(path)
            for batch in pf.iter_batches(batch_size=chunk_rows, columns=wanted):
                yield _table_chunk(batch, plan)
        else:
            import pyreadstat

            reader = pyreadstat.read_file_in_chunks(
                pyreadstat.read_sav, str(path), chunksize=chunk_rows, usecols=wanted
            )
            for frame, _meta in reader:
                yield _table_chunk(pa.Table.from_pandas(frame, preserve_index=False), plan)


def _csv_chunks(path: Path, plan: ColumnPlan, wanted: list[str], delim: str) -> Iterator[Chunk]:
    """Fast path: item columns parsed as float64. A cell of text makes Arrow refuse the block;
    then the file is read again with item columns as text so the cell can be reported exactly."""
    fast = {c: pa.float64() for c in plan.item_columns}
    try:
        yield from _csv_stream(path, plan, wanted, delim, fast)
        return
    except pa.ArrowInvalid as exc:
        if "CSV conversion error" not in str(exc):
            raise
    raise _Restart()


class _Restart(Exception):
    """Raised to tell score_file to re-read a CSV in text mode from the start."""


def _csv_stream(path, plan, wanted, delim, types) -> Iterator[Chunk]:
    # Our own header names (whitespace stripped, BOM removed) replace Arrow's raw ones, so that
    # "id, ecrr_1" finds the column "ecrr_1".
    header, _ = read_header(path)
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=16 << 20, column_names=header, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delim),
        convert_options=pacsv.ConvertOptions(
            include_columns=wanted, column_types=types, strings_can_be_null=True
        ),
    )
    for batch in reader:
        yield _table_chunk(batch, plan)


def _text_csv_chunks(path: Path, plan: ColumnPlan, delim: str) -> Iterator[Chunk]:
    wanted = list(
        dict.fromkeys([*plan.item_columns, *([plan.id_column] if plan.id_column else [])])
    )
    types = {c: pa.string() for c in plan.item_columns}
    with _reading(path, "csv" if delim == "," else "tsv"):
        yield from _csv_stream(path, plan, wanted, delim, types)


def _format_value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class _Progress:
    callback: Callable[[int, int | None], None] | None
    total: int | None
    done: int = 0

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.callback:
            self.callback(self.done, self.total)


class _Writer:
    """Writes to a hidden file beside the output and renames it into place only when every row
    has been scored: a bad value halfway leaves no partial scores file, and an older one as it
    was."""

    def __init__(self, path: Path):
        self.path = path
        self.format = detect_format(path, WRITE_FORMATS)
        self._part = path.with_name(f".{path.name}.partial")
        self._w: pq.ParquetWriter | pacsv.CSVWriter | None = None

    def write(self, table: pa.Table) -> None:
        if self._w is None:
            self._w = (
                pq.ParquetWriter(self._part, table.schema)
                if self.format == "parquet"
                else pacsv.CSVWriter(self._part, table.schema)
            )
        self._w.write_table(table)

    def close(self, complete: bool) -> None:
        if self._w is not None:
            self._w.close()
        if complete and self._w is not None:
            os.replace(self._part, self.path)
        else:
            self._part.unlink(missing_ok=True)


def score_file(
    path: Path,
    instrument: Instrument,
    *,
    out: Path | None = None,
    prefix: str | None = None,
    mapping: dict[str, str] | None = None,
    id_column: str | None = None,
    invalid: InvalidPolicy = "error",
    response_range: ResponseRange | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int, int | None], None] | None = None,
) -> BatchSummary:
    """Score every row of a response file; write scores to ``out`` when given."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"input file {path} does not exist")
    if not path.is_file():
        raise InputError(f"input {path} is a folder, not a file")
    if out is not None:
        detect_format(Path(out), WRITE_FORMATS)
        check_output_path(Path(out), "output", input_path=path)
    header, total = read_header(path)
    plan = plan_columns(instrument, header, prefix=prefix, mapping=mapping, id_column=id_column)
    rng = response_range or default_range(instrument)
    fmt = detect_format(path, READ_FORMATS)
    sources = [lambda: iter_chunks(path, plan, chunk_rows)]
    if fmt in {"csv", "tsv"}:
        # Text in an item column makes the fast float parser give up: read again as text.
        sources.append(lambda: _text_csv_chunks(path, plan, "," if fmt == "csv" else "\t"))
    for source in sources:
        try:
            return _score_chunks(
                source(), path, instrument, plan, out, invalid, rng, _Progress(progress, total)
            )
        except _Restart:
            continue
    raise AssertionError("the text-mode CSV reader never restarts")


def _score_chunks(
    chunks: Iterator[Chunk],
    path: Path,
    instrument: Instrument,
    plan: ColumnPlan,
    out: Path | None,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    progress: _Progress,
) -> BatchSummary:
    batch = BatchScorer(instrument, rng)
    lows, highs = item_bounds(instrument, rng)
    writer = _Writer(Path(out)) if out is not None else None
    first_row = 0
    complete = False
    try:
        for chunk in chunks:
            m = chunk.values
            if m.shape[0] == 0:
                continue
            bad = np.zeros(m.shape, dtype=bool)
            suspect = chunk.suspect_columns(lows, highs)
            if suspect.size:
                sub = m[:, suspect]
                with np.errstate(invalid="ignore"):
                    bad[:, suspect] = (
                        (sub < lows[suspect]) | (sub > highs[suspect]) | (np.floor(sub) != sub)
                    ) & ~np.isnan(sub)
            text_cells = [(j, np.flatnonzero(raw != None)) for j, raw in chunk.raw_text.items()]  # noqa: E711
            n_bad = int(bad.sum()) + sum(len(rows) for _, rows in text_cells)
            if n_bad and invalid == "error":
                raise InputError(_first_error(chunk, bad, text_cells, plan, lows, highs, first_row))
            if n_bad:
                m = np.where(bad, np.nan, m)
                batch.invalid_cells += n_bad
            scores = batch.add(m)
            if writer is not None:
                writer.write(_score_table(chunk, scores, first_row, plan))
            first_row += m.shape[0]
            progress.advance(m.shape[0])
        if first_row == 0:
            raise InputError(f"{path.name}: no rows to score (column names but no data)")
        complete = True
    finally:
        if writer is not None:
            writer.close(complete)
    return batch.summary()


def _first_error(chunk, bad, text_cells, plan, lows, highs, first_row) -> str:
    candidates = []
    if bad.any():
        r, c = np.argwhere(bad)[0]
        v = chunk.values[r, c]
        lo, hi = int(lows[c]), int(highs[c])
        what = (
            f"value {_format_value(v)} is outside {lo}-{hi}"
            if v < lo or v > hi
            else f"value {_format_value(v)} is not a whole number in {lo}-{hi}"
        )
        candidates.append((int(r), int(c), what))
    for j, rows in text_cells:
        if len(rows):
            r = int(rows[0])
            candidates.append((r, j, f"value '{chunk.raw_text[j][r]}' is not a number"))
    r, c, what = min(candidates)
    return f"row {first_row + r + 1}, column {plan.item_columns[c]}: {what}"


def _score_table(chunk: Chunk, scores: dict[str, np.ndarray], first_row: int, plan: ColumnPlan):
    cols: dict[str, pa.Array] = {}
    if chunk.ids is not None and plan.id_column:
        cols[plan.id_column] = chunk.ids
    else:
        n = chunk.values.shape[0]
        cols["row"] = pa.array(np.arange(first_row + 1, first_row + n + 1))
    for name, values in scores.items():
        if name == "style":
            cols[name] = pc.take(_STYLE_DICTIONARY, pa.array(values))
        else:
            cols[name] = pa.array(values, mask=np.isnan(values))
    return pa.table(cols)


_STYLE_DICTIONARY = pa.array([None, *STYLE_CODES[1:]], pa.string())
