"""Reading and writing response tables (CSV, TSV, Parquet, SPSS .sav) in bounded memory.

``score_file`` is the one path from a file of responses (or a folder or glob of Parquet files) to
a file of scores; the ``safebase score`` command and the throughput benchmark both call it. Files
are read in batches of Polars frames; each batch is scored by the instrument compiled into Polars
expressions (``core.compiled``), checked, reduced to sufficient statistics and appended to the
output. Parquet is read row group by row group by Polars, CSV/TSV in blocks of whole lines by
Arrow's parser, SPSS by pyreadstat; batches are read and scored two at a time in a thread pool
while the earliest is written. The Dask
engine (``safebase.cluster``) and ``safebase.score_frame`` (``safebase.frames``) score their
partitions with the same compiled plan.
"""

from __future__ import annotations

import codecs
import csv
import functools
import glob
import json
import mmap
import os
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from safebase.core.batch import BatchSummary
from safebase.core.compiled import CellProblem, CompiledInstrument, InvalidPolicy, Moments
from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument
from safebase.core.scoring import ResponseRange, default_range

READ_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".sav": "sav"}
FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "parquet": "Parquet", "sav": "SPSS .sav"}
WRITE_FORMATS = {".csv": "csv", ".parquet": "parquet"}
CHUNK_ROWS = 250_000
# Dictionary pages only for style (four values). Without the stored Arrow schema, readers see
# style (a dictionary array when written) and ids as plain strings.
PARQUET_OPTIONS: dict = {"use_dictionary": ["style"], "store_schema": False}


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
    errors: tuple[type[Exception], ...] = (
        csv.Error,
        pa.ArrowException,
        OSError,
        pl.exceptions.PolarsError,
    )
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


# --------------------------------------------------------------------------------------------
# Readers: each yields Polars frames of the raw input columns, in file order.


class _Restart(Exception):
    """Raised to tell score_file to re-read a CSV from the start in the next of CSV_MODES."""


def _wanted(plan: ColumnPlan) -> list[str]:
    return list(dict.fromkeys([*([plan.id_column] if plan.id_column else []), *plan.item_columns]))


CSV_BLOCK_BYTES = 16 << 20  # bytes of whole lines per batch (about 200,000 ECR-R rows)
_BLOCK_ROW = re.compile(r"Row #\d+: ")
# How item columns are parsed, in the order tried: valid answers are whole numbers, which parse
# a fifth cheaper as integers than as floats; a fraction (or a number beyond Int16) makes Arrow
# refuse the block and the file is read again as floats, and a cell of text, again as text.
CSV_MODES = ("int", "float", "text")
CSV_ITEM_TYPES = {"int": pa.int16(), "float": pa.float64(), "text": pa.string()}


# Arrow's default null tokens ("", "NA", "NULL", "nan", ...). Checking every cell against them is
# a fifth of the cost of parsing a block of whole numbers, so blocks after the first are parsed in
# "int" mode with "" alone: any other token in an item column (or a typed id column) is then a
# cell Arrow refuses, and the file is read again as floats with all of them, as before; in a text
# id column they are made null afterwards (``_null_tokens``). The first block keeps them all, so
# that the column types it fixes are inferred exactly as before.
CSV_NULLS = tuple(pacsv.ConvertOptions().null_values)


def _csv_options(
    header: list[str], plan: ColumnPlan, delim: str, mode: str, types: Mapping[str, pa.DataType]
) -> dict:
    item_type = CSV_ITEM_TYPES[mode]
    nulls = {"null_values": [""]} if mode == "int" and types else {}
    return {
        "read_options": pacsv.ReadOptions(
            block_size=CSV_BLOCK_BYTES + (1 << 20), column_names=header, use_threads=False
        ),
        "parse_options": pacsv.ParseOptions(delimiter=delim),
        "convert_options": pacsv.ConvertOptions(
            include_columns=_wanted(plan),
            column_types={**types, **{c: item_type for c in plan.item_columns}},
            strings_can_be_null=True,
            **nulls,
        ),
    }


def _null_tokens(frame: pl.DataFrame, plan: ColumnPlan) -> pl.DataFrame:
    """Text columns other than items (the id column) with Arrow's null tokens made null, as
    Arrow's default options would have read them."""
    text = [c for c, t in frame.schema.items() if t == pl.String and c not in plan.item_columns]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).is_in(CSV_NULLS)).then(None).otherwise(pl.col(c)).alias(c) for c in text
    )


def _csv_line_blocks(path: Path) -> Iterator[memoryview]:
    """The file after its header line, in blocks of whole lines of about CSV_BLOCK_BYTES. Like
    Arrow's streaming reader (``newlines_in_values`` off, its default), a line break always ends
    a row; a file with bare CR line ends is cut at CRs. The blocks are views of the memory-mapped
    file, not copies: copying 16 MiB blocks into fresh Python bytes cost more CPU (page faults)
    than parsing them."""
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    # Not closed here: the blocks handed out keep it open until the last of them is dropped.
    view, size = memoryview(mm), len(mm)
    # The header line ends at the first LF, or at the first CR not followed by LF.
    lf, cr = mm.find(b"\n"), mm.find(b"\r")
    header_end = cr if cr >= 0 and (lf < 0 or cr < lf - 1) else lf
    start = header_end + 1 if header_end >= 0 else size
    while start < size:
        end = start + CSV_BLOCK_BYTES
        if end >= size:
            end = size
        else:
            cut = mm.rfind(b"\n", start, end) + 1 or mm.rfind(b"\r", start, end) + 1
            if cut == 0:  # one line longer than a block: up to its end
                ends = [i for i in (mm.find(b"\n", end), mm.find(b"\r", end)) if i >= 0]
                cut = min(ends) + 1 if ends else size
            end = cut
        yield view[start:end]
        start = end


def _csv_batches(
    path: Path, plan: ColumnPlan, delim: str, mode: str
) -> Iterator[pl.DataFrame | Callable[[], pl.DataFrame]]:
    """Blocks of whole lines parsed by Arrow's CSV parser, item columns as
    ``CSV_ITEM_TYPES[mode]``. A cell that does not parse as that type makes Arrow refuse the
    block, and the file is read again in the next of ``CSV_MODES`` (text last, so that the cell
    can be reported exactly). Our own header names (whitespace stripped, BOM removed) replace
    Arrow's raw ones, so that "id, ecrr_1" finds the column "ecrr_1". The first block with rows
    is parsed here and fixes the other columns' types (as Arrow's streaming reader does); every
    later block is yielded unparsed, as a function that parses it, so that the scoring threads
    parse two blocks at once (parsing is most of the CPU a CSV costs, and one thread parsing
    was the bottleneck)."""
    header, _ = read_header(path)
    types: dict[str, pa.DataType] = {}

    def parse(block: memoryview) -> pa.Table:
        with _reading(path, "tsv" if delim == "\t" else "csv"):
            try:
                return pacsv.read_csv(
                    pa.BufferReader(pa.py_buffer(block)),
                    **_csv_options(header, plan, delim, mode, types),
                )
            except pa.ArrowInvalid as exc:
                if mode != "text" and "CSV conversion error" in str(exc):
                    raise _Restart() from exc
                # Arrow numbers rows within the block it was given, not the file: drop that.
                raise pa.ArrowInvalid(_BLOCK_ROW.sub("", str(exc), count=1)) from exc

    def to_frame(block: memoryview) -> pl.DataFrame:
        frame = pl.from_arrow(parse(block), rechunk=False)
        assert isinstance(frame, pl.DataFrame)
        return _null_tokens(frame, plan) if mode == "int" else frame

    typed = False
    for block in _csv_line_blocks(path):
        if typed:
            yield functools.partial(to_frame, block)
            continue
        # Blocks are parsed here until one has rows; its column types hold for the rest.
        table = parse(block)
        if table.num_rows:
            types = dict(zip(table.schema.names, table.schema.types, strict=True))
            typed = True
            yield pl.from_arrow(table, rechunk=False)  # type: ignore[misc]


def _parquet_batches(
    path: Path, plan: ColumnPlan, chunk_rows: int
) -> Iterator[pl.DataFrame | Callable[[], pl.DataFrame]]:
    """Whole row groups (several small ones together, up to ``chunk_rows``), each read by
    Polars on its own: about a third less CPU than Arrow's batch reader, and memory bounded by
    the row group. Each is yielded unread, as a function that reads it, so that the scoring
    threads read as well as score (one thread reading every batch held the rest back). Files
    with row groups over four batches long are read by Arrow's batch reader, which slices a
    row group without decoding it whole. (Polars' own streaming scan, consumed batch by batch
    from Python, reads ahead without bound.)"""
    meta = pq.ParquetFile(path).metadata
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    if any(n > 4 * chunk_rows for n in sizes):
        reader = pq.ParquetFile(path)
        for batch in reader.iter_batches(batch_size=chunk_rows, columns=_wanted(plan)):
            yield pl.from_arrow(batch)  # type: ignore[misc]
        return
    scan = pl.scan_parquet(path).select(_wanted(plan))

    def read(start: int, length: int) -> pl.DataFrame:
        with _reading(path, "parquet"):
            return scan.slice(start, length).collect()

    start = length = 0
    for n in sizes:
        if length and length + n > chunk_rows:
            yield functools.partial(read, start, length)
            start, length = start + length, 0
        length += n
    if length:
        yield functools.partial(read, start, length)


def _sav_batches(path: Path, plan: ColumnPlan, chunk_rows: int) -> Iterator[pl.DataFrame]:
    import pyreadstat

    reader = pyreadstat.read_file_in_chunks(
        pyreadstat.read_sav, str(path), chunksize=chunk_rows, usecols=_wanted(plan)
    )
    for frame, _meta in reader:
        yield pl.from_pandas(frame)


@dataclass(frozen=True)
class Dataset:
    """One input: a file, or the Parquet files of a folder or glob read as one table in order."""

    name: str  # as errors name it
    files: tuple[Path, ...]
    format: str
    header: list[str]
    rows_per_file: tuple[int | None, ...]
    folder: Path | None = None  # the folder given as input, if one was

    def check_output(self, out: Path, option: str) -> None:
        """An output inside an input folder would be read as responses by the next run."""
        if self.folder is not None and self.folder.resolve() in out.resolve().parents:
            raise InputError(
                f"{option}: {out} is inside the input folder {self.folder}; the next run would "
                "read it as responses. Choose a path outside it"
            )

    @property
    def total_rows(self) -> int | None:
        if any(n is None for n in self.rows_per_file):
            return None
        return sum(n for n in self.rows_per_file if n is not None)

    def locate(self, row: int) -> str:
        """'row N' for a 0-based dataset row; in a dataset of several files, also the file."""
        if len(self.files) == 1:
            return f"row {row + 1}"
        first = 0
        for path, n in zip(self.files, self.rows_per_file, strict=True):
            if n is not None and row < first + n:
                return f"row {row + 1} ({path.name} row {row - first + 1})"
            first += n or 0
        return f"row {row + 1}"


_GLOB_CHARS = set("*?[")


def parquet_files(folder: Path) -> list[Path]:
    """The Parquet files under a folder, in path order, skipping hidden and '_' files (Spark's
    _SUCCESS, our own .partial outputs)."""
    return sorted(
        p
        for p in folder.rglob("*.parquet")
        if p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    )


def open_dataset(path: Path | str) -> Dataset:
    """Resolve a file, folder or glob; check that every file is readable and has the same
    columns, before any scoring."""
    path = Path(path)
    if path.is_dir():
        files = parquet_files(path)
        if not files:
            raise InputError(f"input {path} is a folder, not a file")
        name = path.name
    elif not path.exists() and _GLOB_CHARS & set(str(path)):
        files = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
        if not files:
            raise InputError(f"input {path} matches no files")
        name = str(path)
    elif not path.exists():
        raise InputError(f"input file {path} does not exist")
    else:
        files, name = [path], path.name
    fmt = detect_format(files[0], READ_FORMATS)
    if len(files) > 1:
        others = sorted({f.name for f in files if detect_format(f, READ_FORMATS) != "parquet"})
        if others or fmt != "parquet":
            shown = ", ".join(others[:3]) or files[0].name
            raise InputError(f"{name}: a folder or glob is read as Parquet files only ({shown})")
    header, first_rows = read_header(files[0])
    counts = [first_rows]
    for f in files[1:]:
        h, n = read_header(f)
        if h != header:
            raise InputError(
                f"{f.name}: its columns differ from {files[0].name}'s; "
                "the files of one dataset need the same columns"
            )
        counts.append(n)
    folder = path if path.is_dir() else None
    return Dataset(name, tuple(files), fmt, header, tuple(counts), folder)


@dataclass
class _Progress:
    callback: Callable[[int, int | None], None] | None
    total: int | None
    done: int = 0

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.callback:
            self.callback(self.done, self.total)


def to_arrow(frame: pl.DataFrame) -> pa.Table:
    """Plain Arrow types (string rather than string view), which every writer accepts."""
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest())


class _Writer:
    """Writes to a hidden file beside the output and renames it into place only when every row
    has been scored: a bad value halfway leaves no partial scores file, and an older one as it
    was. Parquet through Arrow's writer (one row group per batch), CSV through Polars' (about
    twice as fast as Arrow's; text unquoted unless needed, empty cells for no score)."""

    def __init__(self, path: Path):
        self.path = path
        self.format = detect_format(path, WRITE_FORMATS)
        self._part = path.with_name(f".{path.name}.partial")
        self._parquet: pq.ParquetWriter | None = None
        self._csv: BinaryIO | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if self.format == "csv":
            first = self._csv is None
            if self._csv is None:
                self._csv = self._part.open("wb")
            frame.write_csv(self._csv, include_header=first)
            return
        table = to_arrow(frame)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._part, table.schema, **PARQUET_OPTIONS)
        self._parquet.write_table(table)

    def close(self, complete: bool) -> None:
        opened = self._parquet is not None or self._csv is not None
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        if complete and opened:
            os.replace(self._part, self.path)
        else:
            self._part.unlink(missing_ok=True)


def score_file(
    path: Path | str,
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
    """Score every row of a response file (or a folder or glob of Parquet files); write scores to
    ``out`` when given."""
    data = open_dataset(path)
    if out is not None:
        detect_format(Path(out), WRITE_FORMATS)
        for f in data.files:
            check_output_path(Path(out), "output", input_path=f)
        data.check_output(Path(out), "output")
    plan = plan_columns(
        instrument, data.header, prefix=prefix, mapping=mapping, id_column=id_column
    )
    rng = response_range or default_range(instrument)
    attempts = CSV_MODES if data.format in {"csv", "tsv"} else ("int",)
    for mode in attempts:
        try:
            return _score_dataset(
                data,
                instrument,
                plan,
                out,
                invalid,
                rng,
                chunk_rows,
                mode,
                _Progress(progress, data.total_rows),
            )
        except _Restart:
            continue
    raise AssertionError("the text-mode CSV reader never restarts")


SCORING_THREADS = 2  # batches scored at once (each also uses Polars' threads)


@dataclass
class ScoredBatch:
    """One batch after scoring: its output columns (the id column when kept, the scores), its
    sufficient statistics, or — with invalid="error" — its first bad cell instead."""

    compiled: CompiledInstrument
    rows: int
    scores: pl.DataFrame | None
    moments: Moments | None
    problem: CellProblem | None


def scored_batches(
    data: Dataset,
    instrument: Instrument,
    plan: ColumnPlan,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    chunk_rows: int,
    mode: str = "int",
) -> Iterator[ScoredBatch]:
    """Scored batches in file order. One thread walks the input ahead; ``SCORING_THREADS``
    batches are read (Parquet, CSV), scored and reduced at once (Polars and Arrow release the
    GIL) while the caller writes the earliest; one more waits its turn, unread for Parquet and
    CSV. At most ``SCORING_THREADS`` + 3 batches are in memory at once (the threads', the one
    being written, one finished and waiting, one read ahead for SPSS)."""
    keep = [plan.id_column] if plan.id_column else []
    compiled: dict[tuple, CompiledInstrument] = {}

    lock = threading.Lock()

    def compile_for(schema: Mapping[str, pl.DataType]) -> CompiledInstrument:
        key = tuple((c, schema[c]) for c in plan.item_columns)
        with lock:
            if key not in compiled:
                compiled[key] = CompiledInstrument(
                    instrument, plan.item_columns, schema, response_range=rng, invalid=invalid
                )
            return compiled[key]

    def read() -> Iterator[pl.DataFrame | Callable[[], pl.DataFrame]]:
        for f in data.files:
            with _reading(f, data.format):
                if data.format == "parquet":
                    yield from _parquet_batches(f, plan, chunk_rows)
                elif data.format == "sav":
                    yield from _sav_batches(f, plan, chunk_rows)
                else:
                    yield from _csv_batches(f, plan, "," if data.format == "csv" else "\t", mode)

    def score(item: pl.DataFrame | Callable[[], pl.DataFrame]) -> ScoredBatch:
        frame = item if isinstance(item, pl.DataFrame) else item()  # a CSV block: parse it
        c = compile_for(frame.schema)
        scored = c.rows(frame.lazy(), keep).collect()
        problem, moments = c.reduce(scored, check=invalid == "error")
        if problem is not None:
            return ScoredBatch(c, scored.height, None, None, problem)
        return ScoredBatch(c, scored.height, c.output(scored, keep), moments, None)

    pool = ThreadPoolExecutor(SCORING_THREADS, thread_name_prefix="safebase-score")
    pending: deque[Future[ScoredBatch]] = deque()
    try:
        for frame in _read_ahead(read()):
            pending.append(pool.submit(score, frame))
            # One more than the threads: while the caller writes a batch, every thread has one.
            if len(pending) > SCORING_THREADS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_DONE = object()


def _read_ahead(items: Iterator, depth: int = 1) -> Iterator:
    """Run a generator in a thread, ``depth`` items ahead of the consumer. Reading (Arrow,
    pyreadstat) and scoring (Polars) release the GIL, so the next batch is prepared while the
    caller reduces and writes this one. The generator's exceptions are raised here; a consumer
    that stops early stops the thread."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            q.put((_DONE, exc))

    worker = threading.Thread(target=run, name="safebase-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, exc = q.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.1)


def _score_dataset(
    data: Dataset,
    instrument: Instrument,
    plan: ColumnPlan,
    out: Path | None,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    chunk_rows: int,
    mode: str,
    progress: _Progress,
) -> BatchSummary:
    keep = [plan.id_column] if plan.id_column else []
    writer = _Writer(Path(out)) if out is not None else None
    moments = Moments()
    first_row = 0
    complete = False
    last: CompiledInstrument | None = None
    try:
        for batch in scored_batches(data, instrument, plan, invalid, rng, chunk_rows, mode):
            last = batch.compiled
            if batch.problem is not None:
                column = plan.item_columns[batch.problem.item]
                where = data.locate(first_row + batch.problem.row)
                raise InputError(f"{where}, column {column}: {batch.problem.what}")
            if batch.rows == 0:
                continue
            assert batch.moments is not None and batch.scores is not None
            moments = moments + batch.moments
            if writer is not None:
                writer.write(_output(batch.compiled, batch.scores, keep, first_row))
            first_row += batch.rows
            progress.advance(batch.rows)
        if first_row == 0:
            raise InputError(f"{data.name}: no rows to score (column names but no data)")
        complete = True
    finally:
        if writer is not None:
            writer.close(complete)
    assert last is not None
    return last.summary(moments)


def _output(
    compiled: CompiledInstrument, batch: pl.DataFrame, keep: list[str], first_row: int
) -> pl.DataFrame:
    """The id column (or 'row', numbered from 1 across the whole input) and the scores."""
    if keep:
        return compiled.output(batch, keep)
    rows = pl.int_range(first_row + 1, first_row + batch.height + 1, dtype=pl.Int64)
    return compiled.output(batch.with_columns(rows.alias("row")), ["row"])
