"""How the production server is started: one command line for `safebase serve --production`
and for the load benchmark, so the benchmark measures what users run."""

from __future__ import annotations

import os
import sys


def default_workers() -> int:
    """One sync worker per core plus one. The pages are CPU-bound Python over a local database,
    so more processes than cores only queue on the CPU: on the 2-core reference machine 3
    workers served the result page ~1.5x faster than gunicorn's usual 2 x cores + 1 (5) under
    benchmarks/web_load.py."""
    return (os.cpu_count() or 1) + 1


def gunicorn_command(host: str, port: int, workers: int, threads: int = 1) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "safebase.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    if threads > 1:
        cmd += ["--threads", str(threads)]
    return cmd
