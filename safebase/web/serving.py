"""How the production server is started: one command line for `safebase serve --production`
and for the load benchmark, so the benchmark measures what users run."""

from __future__ import annotations

import sys


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
