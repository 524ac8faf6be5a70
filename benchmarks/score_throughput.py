"""ECR-R scoring throughput: `safebase score` against the Polars expression a researcher writes.

Run from the repository root:

    .venv/bin/python benchmarks/score_throughput.py [--rows N] [--seed S] [--repeats R]
    .venv/bin/python benchmarks/score_throughput.py --rows 5000000      # the issue's headline size
    .venv/bin/python benchmarks/score_throughput.py --memory-check      # 10M-row Parquet, peak RSS

This is a measurement, not a test: it exits 0 whenever it finishes, and prints "TARGET MISSED"
lines when a target is not met. Targets:

* ``safebase.tables.score_file`` (the ``safebase score`` path), Parquet -> Parquet and CSV -> CSV,
  each within 1.5x the wall time of the bare Polars expression (scan_parquet -> reverse-key ->
  mean_horizontal -> sink_parquet; scan_csv -> ... -> sink_csv), timed alternately in the same
  run;
* in-memory scoring (ScaleScorer.score) within 3x of a bare NumPy baseline.

The Dask engine's rows/second with 1 and 2 local worker processes is reported (no target; cluster
start-up is timed separately). The Polars expression lacks what safebase adds: range checks that
name row and column, the 80% missing-data rule, style, reliability statistics, progress.

Synthetic data: integers 1-7 drawn with ``numpy.random.default_rng(seed)``, about 2% of cells
missing (null in Parquet, empty cell in CSV, NaN in memory), columns ``id, ecrr_1 .. ecrr_36``.
Data are generated in fixed blocks of GEN_BLOCK rows, so the first N rows for a seed are the same
whatever N is (the 1M-row file is a prefix of the 10M-row one).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from safebase.core.instrument import get_instrument  # noqa: E402
from safebase.core.scoring import ScaleScorer  # noqa: E402


def reversed_columns(inst) -> np.ndarray:
    """Column indices of the reverse-keyed items, read from the instrument file."""
    keys = list(inst.item_keys)
    rev = sorted({keys.index(k) for s in inst.scales for k in s.reverse_keys})
    return np.array(rev, dtype=np.intp)


from safebase.tables import CHUNK_ROWS, score_file  # noqa: E402

INSTRUMENT = "ecr-r"
N_ITEMS = 36
MISSING_RATE = 0.02
GEN_BLOCK = 250_000  # rows per generated block (and per Parquet row group)
IN_MEMORY_TARGET_RATIO = 3.0  # at most this many times slower than the NumPy baseline
POLARS_TARGET_RATIO = 1.5  # safebase score at most this many times the Polars expression
MEMORY_CHECK_ROWS = 10_000_000
MEMORY_BASE_ROWS = 1_000_000


# --------------------------------------------------------------------------- data generation


def item_columns() -> list[str]:
    return [f"ecrr_{i}" for i in range(1, N_ITEMS + 1)]


def generate_blocks(n: int, seed: int, correlated: bool = False) -> Iterator[np.ndarray]:
    """float64 blocks (rows x 36) of integers 1-7 with ~2% NaN, in fixed GEN_BLOCK pieces.

    Default: independent uniform answers. ``correlated``: one latent factor per scale (items
    1-18, 19-36) and the reversed items answered in reverse, like real questionnaire data."""
    rng = np.random.default_rng(seed)
    rev = reversed_columns(get_instrument(INSTRUMENT))
    done = 0
    while done < n:
        rows = min(GEN_BLOCK, n - done)
        if correlated:
            f = np.repeat(rng.standard_normal((rows, 2)), N_ITEMS // 2, axis=1)
            noise = rng.standard_normal((rows, N_ITEMS))
            block = np.clip(np.rint(4.0 + 1.2 * f + noise), 1, 7)
            block[:, rev] = 8.0 - block[:, rev]
        else:
            block = rng.integers(1, 8, size=(rows, N_ITEMS), dtype=np.int8).astype(np.float64)
        block[rng.random((rows, N_ITEMS), dtype=np.float32) < MISSING_RATE] = np.nan
        done += rows
        yield block


def generate_matrix(n: int, seed: int, correlated: bool = False) -> np.ndarray:
    return np.concatenate(list(generate_blocks(n, seed, correlated)), axis=0)


def block_table(block: np.ndarray, first_id: int, item_type: pa.DataType) -> pa.Table:
    cols: dict[str, pa.Array] = {
        "id": pa.array(np.arange(first_id, first_id + block.shape[0], dtype=np.int64))
    }
    for j, name in enumerate(item_columns()):
        col = block[:, j]
        missing = np.isnan(col)
        values = np.where(missing, 0, col).astype(item_type.to_pandas_dtype())
        cols[name] = pa.array(values, mask=missing, type=item_type)
    return pa.table(cols)


def write_files(
    blocks: Iterator[np.ndarray],
    parquet: Path | None,
    csv: Path | None,
    parquet_type: pa.DataType,
) -> int:
    """Stream blocks into a Parquet file (one row group per block) and/or a CSV file."""
    pw: pq.ParquetWriter | None = None
    cw: pacsv.CSVWriter | None = None
    rows = 0
    try:
        for block in blocks:
            if parquet is not None:
                t = block_table(block, rows + 1, parquet_type)
                pw = pw or pq.ParquetWriter(parquet, t.schema)
                pw.write_table(t, row_group_size=block.shape[0])
            if csv is not None:
                # int8 with nulls: cells are written as "3" and missing as an empty cell.
                t = block_table(block, rows + 1, pa.int8())
                cw = cw or pacsv.CSVWriter(csv, t.schema)
                cw.write_table(t)
            rows += block.shape[0]
    finally:
        if pw is not None:
            pw.close()
        if cw is not None:
            cw.close()
    return rows


# --------------------------------------------------------------------------- the NumPy baseline


def numpy_baseline(x: np.ndarray, reverse_cols: np.ndarray) -> dict[str, np.ndarray]:
    """The same arithmetic written directly: 8 - x on reversed items, count, sum, mean if >= 15."""
    keyed = x.copy()
    keyed[:, reverse_cols] = 8.0 - keyed[:, reverse_cols]
    answered = ~np.isnan(keyed)
    filled = np.where(answered, keyed, 0.0)
    out = {}
    for name, sl in (("anxiety", slice(0, 18)), ("avoidance", slice(18, 36))):
        count = answered[:, sl].sum(axis=1)
        total = filled[:, sl].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(count >= 15, total / count, np.nan)
    return out


# --------------------------------------------------------------------------- timing helpers


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / (1024 * 1024) if sys.platform == "darwin" else r / 1024


def peak_rss_fresh_mib() -> float:
    """Peak RSS of this process image. Linux carries ru_maxrss over fork+exec (a child reports at
    least its parent's peak), so a child process reads VmHWM, which starts afresh at exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def time_it(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Warm up once, then best-of-`repeats` wall time (time.perf_counter)."""
    fn()
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times


def fmt_rate(rps: float) -> str:
    return f"{rps:>14,.0f}"


# --------------------------------------------------------------------------- the Polars expression


def polars_expression(scan, out: Path, sink: str) -> None:
    """What a researcher would write: reverse-key, mean of each scale's items, write."""
    import polars as pl

    inst = get_instrument(INSTRUMENT)
    rev = {k for s in inst.scales for k in s.reverse_keys}

    def item(key: str):
        c = pl.col(f"ecrr_{key}")
        return (8 - c) if key in rev else c

    query = scan.select(
        pl.col("id"),
        *[pl.mean_horizontal([item(k) for k in s.item_keys]).alias(s.id) for s in inst.scales],
    )
    getattr(query, sink)(out)


# --------------------------------------------------------------------------- main benchmark


def cpu_seconds() -> float:
    """CPU time of this process, all threads (Polars' and Arrow's included)."""
    return time.process_time()


def paired(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[tuple]]:
    """Run each function once to warm up, then `repeats` rounds in alternation, so that every
    round compares the paths under the same load. Returns (wall, cpu) per path per round."""
    for fn in runs.values():
        fn()
    out: dict[str, list[tuple]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            gc.collect()
            t0, c0 = time.perf_counter(), cpu_seconds()
            fn()
            out[name].append((time.perf_counter() - t0, cpu_seconds() - c0))
    return out


def dask_rates(pq_in: Path, out_dir: Path, inst, n: int, repeats: int) -> list[tuple]:
    """Rows/second of the Dask engine on a local cluster of 1 and 2 worker processes."""
    from distributed import Client, LocalCluster

    from safebase.cluster import score_dataset_on_dask
    from safebase.core.scoring import default_range
    from safebase.tables import open_dataset, plan_columns

    data = open_dataset(pq_in)
    plan = plan_columns(inst, data.header, id_column="id")
    rows = []
    for workers in (1, 2):
        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            env={"POLARS_MAX_THREADS": "1"},
        )
        client = Client(cluster)
        startup = time.perf_counter() - t0
        times = []
        for r in range(repeats + 1):  # the first run warms the workers' imports
            t0 = time.perf_counter()
            score_dataset_on_dask(
                data,
                inst.id,
                plan,
                out=out_dir / f"dask{workers}_{r}",
                invalid="error",
                response_range=default_range(inst),
                client=client,
            )
            if r:
                times.append(time.perf_counter() - t0)
        client.close()
        cluster.close()
        rows.append((workers, startup, times))
    return rows


def run_benchmark(args: argparse.Namespace) -> None:
    import polars as pl

    inst = get_instrument(INSTRUMENT)
    assert list(inst.item_keys) == [str(i) for i in range(1, 37)], "unexpected ECR-R item order"
    parquet_type = pa.int8() if args.parquet_type == "int8" else pa.float64()
    n = args.rows

    print(
        f"safebase score throughput — {INSTRUMENT}, {n:,} rows, seed {args.seed}, "
        f"chunk_rows {args.chunk_rows:,}, {args.repeats} alternating rounds after 1 warm-up, "
        f"{'one-factor correlated' if args.correlated else 'independent uniform'} answers"
    )
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}, "
        f"polars {pl.__version__}, {os.cpu_count()} CPU(s), {platform.machine()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )

    with tempfile.TemporaryDirectory(prefix="safebase-bench-") as tmp:
        tmpdir = Path(tmp)
        pq_in, csv_in = tmpdir / "responses.parquet", tmpdir / "responses.csv"
        pq_out, csv_out = tmpdir / "scores.parquet", tmpdir / "scores.csv"
        ref_pq, ref_csv = tmpdir / "polars.parquet", tmpdir / "polars.csv"

        t0 = time.perf_counter()
        matrix = generate_matrix(n, args.seed, args.correlated)
        blocks = (matrix[i : i + GEN_BLOCK] for i in range(0, n, GEN_BLOCK))
        write_files(blocks, pq_in, csv_in, parquet_type)
        print(
            f"generated in {time.perf_counter() - t0:.1f}s: {matrix.shape[0]:,} rows, "
            f"{np.isnan(matrix).mean():.2%} missing; Parquet ({args.parquet_type} items) "
            f"{pq_in.stat().st_size / 2**20:.1f} MiB, CSV {csv_in.stat().st_size / 2**20:.1f} MiB"
        )

        # Cross-checks before any timing: NumPy baseline = ScaleScorer; Polars expression =
        # safebase wherever the 80% rule gives safebase a score.
        reverse_cols = reversed_columns(inst)
        assert reverse_cols.size == 14, reverse_cols
        base = numpy_baseline(matrix, reverse_cols)
        got = ScaleScorer(inst).score(matrix)
        for sid in ("anxiety", "avoidance"):
            if not np.array_equal(base[sid], got[sid], equal_nan=True):
                print(f"WARNING: baseline and ScaleScorer disagree on {sid}")
        score_file(pq_in, inst, out=pq_out, id_column="id")
        polars_expression(pl.scan_parquet(pq_in), ref_pq, "sink_parquet")
        ours, theirs = pl.read_parquet(pq_out), pl.read_parquet(ref_pq)
        for sid in ("anxiety", "avoidance"):
            scored = ours[sid].is_not_null()
            same = (ours[sid] == theirs[sid]).fill_null(False) & scored
            print(
                f"{sid}: Polars expression equals safebase on {int(same.sum()):,} of "
                f"{int(scored.sum()):,} scored rows; {n - int(scored.sum()):,} rows have no "
                f"safebase score (fewer than 15 of 18 answered; the expression gives a mean)"
            )
        del base, got, ours, theirs

        print("\ntiming …", flush=True)
        memory = paired(
            {
                "numpy baseline (in memory)": lambda: numpy_baseline(matrix, reverse_cols),
                "ScaleScorer.score(matrix)": lambda: ScaleScorer(inst).score(matrix),
            },
            args.repeats,
        )
        # Drop the in-memory copy so the file paths run without it.
        matrix = np.empty((0, N_ITEMS))
        gc.collect()
        files = paired(
            {
                "Polars expression Parquet -> Parquet": lambda: polars_expression(
                    pl.scan_parquet(pq_in), ref_pq, "sink_parquet"
                ),
                "safebase score Parquet -> Parquet": lambda: score_file(
                    pq_in, inst, out=pq_out, id_column="id", chunk_rows=args.chunk_rows
                ),
                "Polars expression CSV -> CSV": lambda: polars_expression(
                    pl.scan_csv(csv_in), ref_csv, "sink_csv"
                ),
                "safebase score CSV -> CSV": lambda: score_file(
                    csv_in, inst, out=csv_out, id_column="id", chunk_rows=args.chunk_rows
                ),
            },
            args.repeats,
        )
        assert pq.ParquetFile(pq_out).metadata.num_rows == n
        dask = [] if args.no_dask else dask_rates(pq_in, tmpdir, inst, n, args.repeats)

    missed: list[str] = []
    print(f"\n{'path':<38} {'best wall':>10} {'rows/second':>13} {'CPU s':>7}  runs (wall s)")
    print("-" * 96)
    for name, runs in {**memory, **files}.items():
        best = min(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        spread = ", ".join(f"{w:.2f}" for w, _ in runs)
        print(f"{name:<38} {best:>9.3f}s {n / best:>13,.0f} {cpu:>7.2f}  {spread}")
    print("-" * 96)
    ratio = min(w for w, _ in memory["ScaleScorer.score(matrix)"]) / min(
        w for w, _ in memory["numpy baseline (in memory)"]
    )
    print(f"ScaleScorer / NumPy baseline: {ratio:.2f}x (best over best)")
    if ratio > IN_MEMORY_TARGET_RATIO:
        missed.append(
            f"TARGET MISSED: ScaleScorer is {ratio:.2f}x the NumPy baseline "
            f"(target <= {IN_MEMORY_TARGET_RATIO:g}x)"
        )
    for fmt in ("Parquet -> Parquet", "CSV -> CSV"):
        ours = files[f"safebase score {fmt}"]
        ref = files[f"Polars expression {fmt}"]
        rounds = [o[0] / r[0] for o, r in zip(ours, ref, strict=True)]
        cpu_rounds = [o[1] / r[1] for o, r in zip(ours, ref, strict=True)]
        best = min(w for w, _ in ours) / min(w for w, _ in ref)
        print(
            f"safebase score / Polars expression, {fmt}: {best:.2f}x wall (best over best); "
            f"per round {min(rounds):.2f}-{max(rounds):.2f}x wall, "
            f"{min(cpu_rounds):.2f}-{max(cpu_rounds):.2f}x CPU"
        )
        if best > POLARS_TARGET_RATIO:
            missed.append(
                f"TARGET MISSED: safebase score {fmt} is {best:.2f}x the Polars expression "
                f"(target <= {POLARS_TARGET_RATIO:g}x)"
            )
    for workers, startup, times in dask:
        spread = ", ".join(f"{n / s:,.0f}" for s in times)
        print(
            f"Dask engine, {workers} local worker process(es): best {n / min(times):,.0f} rows/s "
            f"(runs: {spread}); cluster start-up {startup:.1f}s, not included"
        )
    print()
    for line in missed:
        print(line)
    if not missed:
        print("all targets met")


# --------------------------------------------------------------------------- memory check


def rss_child(path: str, out: str, chunk_rows: int) -> None:
    """Run in a fresh process: score one Parquet file to Parquet and report time and peak RSS."""
    inst = get_instrument(INSTRUMENT)
    t0 = time.perf_counter()
    summary = score_file(Path(path), inst, out=Path(out), id_column="id", chunk_rows=chunk_rows)
    secs = time.perf_counter() - t0
    rss = peak_rss_fresh_mib()
    print(json.dumps({"rows": summary.rows_read, "seconds": secs, "peak_rss_mib": rss}))


def run_memory_check(args: argparse.Namespace) -> None:
    parquet_type = pa.int8() if args.parquet_type == "int8" else pa.float64()
    print(
        f"memory check — score_file Parquet -> Parquet, {MEMORY_BASE_ROWS:,} vs "
        f"{MEMORY_CHECK_ROWS:,} rows, chunk_rows {args.chunk_rows:,}, each in a fresh process"
    )
    with tempfile.TemporaryDirectory(prefix="safebase-bench-mem-") as tmp:
        tmpdir = Path(tmp)
        runs = []
        for n in (MEMORY_BASE_ROWS, MEMORY_CHECK_ROWS):
            src = tmpdir / f"responses_{n}.parquet"
            t0 = time.perf_counter()
            write_files(generate_blocks(n, args.seed, args.correlated), src, None, parquet_type)
            print(
                f"  generated {n:,} rows in row groups of {GEN_BLOCK:,} "
                f"({src.stat().st_size / 2**20:,.0f} MiB) in {time.perf_counter() - t0:.1f}s; "
                f"generator peak RSS so far {peak_rss_mib():,.0f} MiB",
                flush=True,
            )
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--_rss-child",
                    str(src),
                    str(tmpdir / f"scores_{n}.parquet"),
                    "--chunk-rows",
                    str(args.chunk_rows),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                print(proc.stderr)
                raise RuntimeError(f"scoring child for {n:,} rows failed")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            runs.append(res)
            print(
                f"  scored {res['rows']:,} rows in {res['seconds']:.2f}s "
                f"({res['rows'] / res['seconds']:,.0f} rows/s), peak RSS "
                f"{res['peak_rss_mib']:,.0f} MiB",
                flush=True,
            )
            src.unlink()
    small, big = runs
    growth = big["peak_rss_mib"] / small["peak_rss_mib"]
    print(
        f"\npeak RSS {small['peak_rss_mib']:,.0f} MiB at {MEMORY_BASE_ROWS:,} rows vs "
        f"{big['peak_rss_mib']:,.0f} MiB at {MEMORY_CHECK_ROWS:,} rows: x{growth:.2f} for 10x "
        f"the rows (the 10M x 36 float64 matrix alone would be "
        f"{MEMORY_CHECK_ROWS * N_ITEMS * 8 / 2**20:,.0f} MiB)"
    )
    if growth > 1.5:
        print("TARGET MISSED: peak RSS grows with the number of rows (memory is not bounded)")
    else:
        print("memory stays bounded")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000, help="rows to generate (default 1M)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p.add_argument(
        "--chunk-rows",
        type=int,
        default=CHUNK_ROWS,
        help=f"rows per chunk for score_file (default {CHUNK_ROWS:,})",
    )
    p.add_argument("--repeats", type=int, default=3, help="timed rounds per path; best is kept")
    p.add_argument("--no-dask", action="store_true", help="skip the Dask engine timings")
    p.add_argument(
        "--parquet-type",
        choices=["float64", "int8"],
        default="float64",
        help="physical type of the Parquet item columns (default float64 with nulls)",
    )
    p.add_argument(
        "--correlated",
        action="store_true",
        help="one-factor-per-scale answers instead of independent uniform ones "
        "(realistic for the reliability/omega part of the summary)",
    )
    p.add_argument(
        "--memory-check",
        action="store_true",
        help=f"instead of the timings, score a {MEMORY_CHECK_ROWS:,}-row Parquet file "
        f"and compare its peak RSS with a {MEMORY_BASE_ROWS:,}-row run",
    )
    p.add_argument("--_rss-child", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._rss_child:
        rss_child(*args._rss_child, args.chunk_rows)
        return 0
    if args.memory_check:
        run_memory_check(args)
    else:
        run_benchmark(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
