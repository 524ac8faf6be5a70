"""No outbound network: the suite runs with sockets disabled except to loopback."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError


def test_outbound_connections_are_blocked():
    with pytest.raises((SocketBlockedError, SocketConnectBlockedError)):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_pages_reference_no_third_party_hosts():
    """Templates and static files name no external host (fonts, scripts, styles served locally)."""
    import re
    from pathlib import Path

    import safebase

    root = Path(safebase.__file__).parent / "web"
    offenders = []
    for path in list(root.rglob("*.html")) + list(root.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", text):
            offenders.append(f"{path.name}: {url}")
        offenders += [f"{path.name}: {u}" for u in re.findall(r"url\((https?://[^)]+)\)", text)]
    assert offenders == []
