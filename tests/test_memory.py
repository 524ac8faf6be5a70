"""Scoring a dataset far larger than the memory it is allowed: peak RSS stays a fraction of it.

A 2.5M-row ECR-R Parquet file takes 2.5M × 37 × 8 bytes ≈ 700 MiB as the float64 table a
single-process scorer would hold at once. Each run happens in a fresh interpreter that first
imports everything and scores a small file (so thread pools and allocators are warm), then
scores the large one; the test reads the growth of the peak resident set (VmHWM) over that
baseline. The limit is a quarter of the table. A control run that loads the table whole with
``polars.read_parquet`` shows the measurement does catch it (it grows by more than the table).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow

ROWS = 2_500_000
BLOCK = 25_000  # rows per generated block and per row group (one batch each)
TABLE_MIB = ROWS * 37 * 8 / 2**20
LIMIT_MIB = TABLE_MIB / 4

CHILD = r"""
import json, sys
from pathlib import Path

def rss(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

mode, big, small, out = sys.argv[1:5]
import polars as pl
from safebase.core.instrument import get_instrument
from safebase.tables import score_file
from safebase.cluster import score_file_on_dask

inst = get_instrument("ecr-r")
if mode == "local":
    run = lambda src, dst: score_file(Path(src), inst, out=Path(dst), chunk_rows=25_000)
elif mode == "dask":
    from distributed import Client, LocalCluster
    import safebase.cluster as cluster

    lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://",
                      host="127.0.0.1", dashboard_address="127.0.0.1:0")
    # Two in-process workers, so the one process's peak covers them all.
    cluster.connect = lambda scheduler, workers: (Client(lc), None)
    run = lambda src, dst: score_file_on_dask(Path(src), inst, out=Path(dst), part_rows=25_000)
else:
    run = lambda src, dst: pl.read_parquet(src)
warm = Path(out)
run(small, str(warm.with_name("warm-" + warm.name)))
base = rss("VmRSS:")
result = run(big, out)
print(json.dumps({"base": base, "peak": rss("VmHWM:")}))
"""


def write_dataset(path: Path, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    names = [f"ecrr_{i}" for i in range(1, 37)]
    with pq.ParquetWriter(path, pa.schema([(n, pa.float64()) for n in names])) as w:
        for _ in range(0, rows, BLOCK):
            block = rng.integers(1, 8, size=(BLOCK, 36)).astype(np.float64)
            block[rng.random(block.shape) < 0.02] = np.nan
            cols = [pa.array(block[:, j], mask=np.isnan(block[:, j])) for j in range(36)]
            w.write_table(pa.table(dict(zip(names, cols, strict=True))))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    big, small = folder / "big.parquet", folder / "small.parquet"
    write_dataset(big, ROWS, seed=1)
    write_dataset(small, BLOCK, seed=2)
    return big, small


def growth(mode: str, files, tmp_path) -> float:
    big, small = files
    out = tmp_path / ("scores" if mode == "dask" else "scores.parquet")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(big), str(small), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return report["peak"] - report["base"]


@pytest.mark.parametrize("mode", ["local", "dask"])
def test_peak_memory_is_a_fraction_of_the_table(files, tmp_path, mode):
    grew = growth(mode, files, tmp_path)
    print(f"{mode}: peak RSS grew {grew:.0f} MiB; the table is {TABLE_MIB:.0f} MiB")
    assert grew < LIMIT_MIB, f"{mode}: peak RSS grew {grew:.0f} MiB (limit {LIMIT_MIB:.0f} MiB)"


def test_the_measurement_catches_a_whole_table_load(files, tmp_path):
    grew = growth("whole", files, tmp_path)
    print(f"whole-table load: peak RSS grew {grew:.0f} MiB; the table is {TABLE_MIB:.0f} MiB")
    assert grew > TABLE_MIB * 0.9, f"reading the table whole grew RSS by only {grew:.0f} MiB"
