"""Security headers on every response the app makes (static files are served before this).

- Content-Security-Policy: scripts, styles, images and forms only from the site itself; no
  inline script or style (charts carry presentation attributes instead, see ``charts``).
- ``Cache-Control: no-store`` on every page of a signed-in person and on every download, so a
  shared computer's browser cache or a proxy keeps no copy of private data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        private = bool(user is not None and user.is_authenticated)
        download = "attachment" in response.headers.get("Content-Disposition", "")
        if private or download:
            add_never_cache_headers(response)
        return response
