"""A real `safebase serve` in a subprocess, signed in through its one-time link, for tests that
need the server's own connections to hold the database open while something happens."""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.web.test_serve import _cookies, _stop, serve_with_link


@dataclass
class LiveServer:
    port: int
    proc: object
    jar: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.jar.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        _cookies(response, self.jar)
        return response

    def post(self, path: str, form: dict) -> http.client.HTTPResponse:
        self.request("GET", path)  # the form page sets the CSRF cookie
        return self.request("POST", path, form)


def start_signed_in(data_dir: Path) -> LiveServer:
    port, proc, link = serve_with_link(data_dir)
    try:
        server = LiveServer(port, proc)
        assert server.post(link, {}).status == 302  # the "Sign in" button
        assert "sessionid" in server.jar
        return server
    except BaseException:
        _stop(proc)
        raise


def stop(server: LiveServer) -> None:
    _stop(server.proc)  # type: ignore[arg-type]
