"""How the server is started: one command line for `safebase serve --production` and for the
load benchmark, so the benchmark measures what users run; and the local single-person server.

Both are gunicorn, a production-grade server: Django's development server is meant for
developing Django code, says so on every start, and must not be what a person's private data is
served by.
"""

from __future__ import annotations

import errno
import os
import socket
import sys


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in one line; None when it can."""
    if not 0 < port < 65536:
        return f"--port {port} is not a port number (1-65535)"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"--host {host}: no such address on this machine"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another safebase or program?); "
                    f"choose another with --port"
                )
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def local_command(host: str, port: int) -> list[str]:
    """The single-person server: one process, a few threads, no per-request log lines."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "safebase.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        "1",
        "--threads",
        "4",
        "--log-level",
        "warning",
    ]


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
