"""`safebase serve` on a port that is taken says so in one line and exits 2, before printing a
sign-in link or "running"."""

from __future__ import annotations

import socket

from tests.cli.helpers import run


def test_a_busy_port_exits_2_with_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(["serve", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # no "running", no sign-in link
    assert err.count("\n") == 1 and f"port {port} on 127.0.0.1 is already in use" in err


def test_a_port_out_of_range_exits_2(capsys):
    assert run(["serve", "--port", "70000"]) == 2
    assert "not a port number" in capsys.readouterr().err
