"""``--engine dask`` against the local path: the same scores row by row, the same alpha and omega.

A LocalCluster of two in-process workers (processes=False: quick to start, and the partitioning,
task scheduling and reduction are the real ones) scores a folder of three Parquet files in many
small partitions; one test starts the real thing through the CLI (two worker processes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safebase.cluster import partitions, score_dataset_on_dask
from safebase.core.instrument import get_instrument
from safebase.core.scoring import default_range
from safebase.tables import InputError, open_dataset, plan_columns, score_file
from tests.cli.helpers import run

ECR_R = get_instrument("ecr-r")
REVERSED = [int(k) - 1 for s in ECR_R.scales for k in s.reverse_keys]


def responses(n: int, seed: int, missing: float = 0.03) -> np.ndarray:
    """One latent trait per scale, reversed items answered in reverse, some cells empty."""
    rng = np.random.default_rng(seed)
    f = np.repeat(rng.standard_normal((n, 2)), 18, axis=1)
    m = np.clip(np.rint(4 + 1.3 * f + rng.standard_normal((n, 36))), 1, 7)
    m[:, REVERSED] = 8 - m[:, REVERSED]
    m[rng.random(m.shape) < missing] = np.nan
    return m


def write_part(path: Path, m: np.ndarray, first_id: int, row_group: int) -> None:
    cols = {"id": pa.array([f"p{first_id + i}" for i in range(len(m))])}
    for j in range(36):
        col = m[:, j]
        cols[f"ecrr_{j + 1}"] = pa.array(np.nan_to_num(col).astype(np.int64), mask=np.isnan(col))
    pq.write_table(pa.table(cols), path, row_group_size=row_group)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data") / "responses"
    folder.mkdir()
    first = 1
    for i, (n, group) in enumerate([(1_500, 400), (700, 700), (2_300, 300)]):
        m = responses(n, seed=i)
        write_part(folder / f"wave-{i}.parquet", m, first, group)
        first += n
    return folder


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        # Loopback TCP: the in-process transport would look up this machine's address by
        # reaching for 8.8.8.8, which the test suite forbids.
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # diagnostics on loopback, any free port
    )
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def on_dask(client, folder, out=None, invalid="error", part_rows=500):
    data = open_dataset(folder)
    plan = plan_columns(ECR_R, data.header, id_column="id")
    return score_dataset_on_dask(
        data,
        ECR_R.id,
        plan,
        out=out,
        invalid=invalid,
        response_range=default_range(ECR_R),
        client=client,
        part_rows=part_rows,
    )


def read_parts(folder: Path) -> list[dict]:
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [f"part-{i:05d}.parquet" for i in range(len(files))]
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def test_dask_gives_the_local_scores_row_by_row_and_the_same_alpha(client, dataset, tmp_path):
    local_out, dask_out = tmp_path / "local.parquet", tmp_path / "scores"
    local = score_file(dataset, ECR_R, out=local_out, id_column="id", chunk_rows=333)
    parts = partitions(open_dataset(dataset), 500)
    assert len(parts) >= 6  # really split: whole row groups, never across files
    assert {p.path.name for p in parts} == {"wave-0.parquet", "wave-1.parquet", "wave-2.parquet"}
    summary = on_dask(client, dataset, dask_out)

    want = pq.read_table(local_out).to_pylist()
    got = read_parts(dask_out)
    assert len(got) == 4_500
    assert got == want  # every id, score and style, bit for bit
    assert summary.rows_read == local.rows_read == 4_500
    assert summary.missing == local.missing
    for scale in ("anxiety", "avoidance"):
        d, s = summary.reliability[scale], local.reliability[scale]
        assert d["n_complete"] == s["n_complete"]
        assert abs(d["alpha"] - s["alpha"]) <= 1e-12
        assert d["alpha"] > 0.8
        assert abs(d["omega_total"] - s["omega_total"]) <= 1e-12
        assert d["item_total_correlations"] == s["item_total_correlations"]
        for key in ("n", "mean", "sd"):
            assert summary.scale_stats[scale][key] == pytest.approx(
                local.scale_stats[scale][key], rel=1e-12
            )
    # Nothing but the part files: the hidden working folder was renamed into place.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.parquet", "scores"]


def test_first_bad_cell_names_dataset_row_and_file(client, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    a, b = responses(900, seed=7, missing=0), responses(900, seed=8, missing=0)
    b[650, 2] = 9  # dataset row 1551: file 2, row 651
    b[800, 0] = 0
    write_part(folder / "a.parquet", a, 1, 300)
    write_part(folder / "b.parquet", b, 901, 300)
    out = tmp_path / "scores"
    with pytest.raises(InputError) as info:
        on_dask(client, folder, out, part_rows=200)
    assert str(info.value) == "row 1551 (b.parquet row 651), column ecrr_3: value 9 is outside 1-7"
    with pytest.raises(InputError) as local:
        score_file(folder, ECR_R, id_column="id", chunk_rows=250)
    assert str(local.value) == str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad"]  # no output, no partial folder
    summary = on_dask(client, folder, out, invalid="missing", part_rows=200)
    assert summary.invalid_cells == 2
    assert summary.rows_read == 1_800


def test_dask_cli_on_a_local_cluster_of_two_processes(dataset, tmp_path, capsys):
    out, summary = tmp_path / "scores", tmp_path / "summary.json"
    argv = ["score", str(dataset), "-i", "ecr-r", "--id-column", "id", "--engine", "dask"]
    argv += ["--workers", "2", "--out", str(out), "--summary-json", str(summary)]
    assert run(argv) == 0
    assert "Rows read: 4,500" in capsys.readouterr().out
    local = tmp_path / "local.parquet"
    assert (
        run(["score", str(dataset), "-i", "ecr-r", "--id-column", "id", "--out", str(local)]) == 0
    )
    assert read_parts(out) == pq.read_table(local).to_pylist()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("x"), "is a file; the Dask engine writes a folder of part files"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")), "holds other files"),
    ],
)
def test_dask_output_is_refused_before_any_work(dataset, tmp_path, capsys, make, message):
    out = tmp_path / "scores"
    make(out)
    argv = ["score", str(dataset), "-i", "ecr-r", "--engine", "dask", "--out", str(out)]
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_dask_refuses_to_write_into_its_input(dataset, capsys):
    argv = ["score", str(dataset), "-i", "ecr-r", "--engine", "dask", "--out", str(dataset)]
    assert run(argv) == 2
    assert "holds" in capsys.readouterr().err


def test_local_engine_reads_the_folder_and_a_glob_as_one_dataset(dataset, tmp_path):
    by_folder = score_file(dataset, ECR_R, out=tmp_path / "a.parquet", id_column="id")
    by_glob = score_file(
        str(dataset / "wave-*.parquet"), ECR_R, out=tmp_path / "b.parquet", id_column="id"
    )
    assert by_folder.rows_read == by_glob.rows_read == 4_500
    a, b = pq.read_table(tmp_path / "a.parquet"), pq.read_table(tmp_path / "b.parquet")
    assert a.to_pylist() == b.to_pylist()
    assert a.column("id").to_pylist()[:2] == ["p1", "p2"]
    assert a.column("id").to_pylist()[-1] == "p4500"


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_output_inside_the_input_folder_is_refused(dataset, capsys, engine):
    out = dataset / ("scores" if engine == "dask" else "scores.parquet")
    argv = ["score", str(dataset), "-i", "ecr-r", "--engine", engine, "--out", str(out)]
    assert run(argv) == 2
    assert "is inside the input folder" in capsys.readouterr().err
    assert not out.exists()


def test_header_only_dataset_is_no_rows_on_dask(client, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    write_part(folder / "a.parquet", responses(0, seed=1), 1, 100)
    write_part(folder / "b.parquet", responses(0, seed=2), 1, 100)
    with pytest.raises(InputError, match=r"^empty: no rows to score \(column names but no data\)$"):
        on_dask(client, folder, tmp_path / "scores")
    assert not (tmp_path / "scores").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
