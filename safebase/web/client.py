"""The client's network address, as far as it can be trusted.

Behind a reverse proxy every request comes from the proxy, so throttling by ``REMOTE_ADDR``
would treat all users as one. The address is taken from a proxy header only when the operator
names that header (``SAFEBASE_TRUSTED_PROXY_HEADER``, e.g. ``X-Forwarded-For``): a header that a
client can set is otherwise ignored. With ``X-Forwarded-For`` the last address is used, the one
the trusted proxy itself appended.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    header = getattr(settings, "SAFEBASE_TRUSTED_PROXY_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(meta_key, "")
        if forwarded:
            return _valid(forwarded.split(",")[-1])
    return _valid(request.META.get("REMOTE_ADDR", ""))
