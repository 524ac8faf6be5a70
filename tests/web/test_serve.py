"""`safebase serve` for real: a subprocess on loopback, reached over HTTP.

Local mode prints a one-time sign-in link that works once; production mode runs gunicorn with
static files from whitenoise behind a TLS-terminating proxy (X-Forwarded-Proto).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SAFEBASE = [sys.executable, "-c", "from safebase.cli.app import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def _wait(port: int, proc: subprocess.Popen, headers=None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            _get(port, "/healthz", headers)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not start")


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, **env}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        SAFEBASE + args,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def serve_with_link(data_dir: Path) -> tuple[int, subprocess.Popen, str]:
    """A local `safebase serve` on a free port: (port, process, the path of its sign-in link).
    The caller stops the process."""
    port = _free_port()
    proc = _start(["serve", "--port", str(port)], {"SAFEBASE_DATA_DIR": str(data_dir)})
    try:
        deadline = time.monotonic() + 60
        output = ""
        while "auth/token/" not in output and time.monotonic() < deadline:
            output += proc.stdout.readline()  # type: ignore[union-attr]
        link = re.search(r"http://127\.0\.0\.1:\d+(/auth/token/[\w-]+/)", output)
        assert link, output
        _wait(port, proc)
    except BaseException:
        _stop(proc)
        raise
    return port, proc, link.group(1)


def test_local_serve_prints_a_sign_in_link_that_works_once(tmp_path: Path):
    port, proc, link = serve_with_link(tmp_path)
    try:
        assert _get(port, "/history/").status == 302  # nothing without the link
        button = _get(port, link)  # a link previewer's GET spends nothing
        assert button.status == 200 and b"Sign in" in button.body  # type: ignore[attr-defined]
        jar: dict[str, str] = {}
        _cookies(button, jar)
        form = {"csrfmiddlewaretoken": jar["csrftoken"]}
        signed_in = _post(port, link, form, jar)
        assert signed_in.status == 302
        assert "sessionid" in jar
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        assert _get(port, "/history/", {"Cookie": cookie}).status == 200
        assert _get(port, link).status == 403  # spent
        css = _get(port, "/static/safebase/site.css")
        assert css.status == 200 and b"system-ui" in css.body  # type: ignore[attr-defined]
    finally:
        _stop(proc)


def test_production_serve_runs_gunicorn_with_whitenoise(tmp_path: Path):
    port = _free_port()
    env = {
        "SAFEBASE_DATA_DIR": str(tmp_path),
        "SAFEBASE_SECRET_KEY": secrets.token_urlsafe(60),
        "SAFEBASE_ALLOWED_HOSTS": "127.0.0.1",
    }
    proto = {"X-Forwarded-Proto": "https"}
    proc = _start(["serve", "--production", "--port", str(port), "--workers", "2"], env)
    try:
        _wait(port, proc, proto)
        assert _get(port, "/healthz").status == 301  # plain http is redirected to https
        ok = _get(port, "/healthz", proto)
        assert ok.status == 200
        assert ok.getheader("Strict-Transport-Security", "").startswith("max-age=")
        css = _get(port, "/static/safebase/site.css", proto)
        assert css.status == 200
        # Hashed, compressed copies from CompressedManifestStaticFilesStorage exist.
        static_root = tmp_path / "static" / "safebase"
        assert any(re.match(r"site\.[0-9a-f]{12}\.css$", p.name) for p in static_root.iterdir())
    finally:
        _stop(proc)
    out = proc.stdout.read() if proc.stdout else ""  # type: ignore[union-attr]
    assert "gunicorn" in out.lower() or "Booting worker" in out or "Listening at" in out


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> dict[str, str]:
    for raw in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = raw.partition("=")
        value = rest.split(";")[0]
        if value in ("", '""') or "Max-Age=0" in raw:
            jar.pop(name, None)
        else:
            jar[name] = value
    return jar


def _post(port: int, path: str, form: dict, jar: dict[str, str]) -> http.client.HTTPResponse:
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {
        "X-Forwarded-Proto": "https",
        "Referer": f"https://127.0.0.1:{port}{path}",  # Django checks it on https
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    }
    conn.request("POST", path, body=urlencode(form), headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    _cookies(response, jar)
    return response


def test_log_out_ends_the_session_in_every_worker_process(tmp_path: Path):
    """A session cached inside one gunicorn worker must not outlive log-out in another:
    a copied session cookie stops working everywhere the moment its owner logs out."""
    port = _free_port()
    env = {
        "SAFEBASE_DATA_DIR": str(tmp_path),
        "SAFEBASE_SECRET_KEY": secrets.token_urlsafe(60),
        "SAFEBASE_ALLOWED_HOSTS": "127.0.0.1",
        "SAFEBASE_MULTI_USER": "1",
    }
    https = {"X-Forwarded-Proto": "https"}
    proc = _start(["serve", "--production", "--port", str(port), "--workers", "3"], env)
    try:
        _wait(port, proc, https)
        jar = _cookies(_get(port, "/accounts/signup/", https), {})
        password = secrets.token_urlsafe(16)
        signed_up = _post(
            port,
            "/accounts/signup/",
            {
                "csrfmiddlewaretoken": jar["csrftoken"],
                "username": "dana",
                "password1": password,
                "password2": password,
            },
            jar,
        )
        assert signed_up.status == 302 and "sessionid" in jar
        stolen = {**jar}

        def history_status() -> int:
            cookie = "; ".join(f"{k}={v}" for k, v in stolen.items())
            return _get(port, "/history/", {**https, "Cookie": cookie}).status

        # Many requests, so every worker has loaded (and could have cached) the session.
        assert {history_status() for _ in range(30)} == {200}
        logged_out = _post(
            port, "/accounts/logout/", {"csrfmiddlewaretoken": jar["csrftoken"]}, jar
        )
        assert logged_out.status == 302
        assert [history_status() for _ in range(30)] == [302] * 30
    finally:
        _stop(proc)
