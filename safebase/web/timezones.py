"""The person's own day: every date the app counts (streaks, weekly summaries, "today") is a
day in the person's time zone, not in UTC.

The default is the zone of the machine the app runs on (a local app's user sits at it); each
person can choose another in their settings. The chosen zone travels in the session, so reading
it costs no query per page.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SESSION_KEY = "time_zone"


def _valid(name: str | None) -> str | None:
    if not name:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return name


def machine_time_zone(
    etc_timezone: Path = Path("/etc/timezone"), etc_localtime: Path = Path("/etc/localtime")
) -> str:
    """The IANA name of this machine's zone: ``TZ``, then /etc/timezone, then the zoneinfo file
    /etc/localtime points at; UTC when none of them names a zone."""
    if found := _valid(os.environ.get("TZ", "").lstrip(":")):
        return found
    try:
        if found := _valid(etc_timezone.read_text(encoding="utf-8").strip()):
            return found
    except OSError:
        pass
    try:
        target = str(etc_localtime.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target and (found := _valid(target.split("zoneinfo/", 1)[1])):
        return found
    return "UTC"


@cache
def all_time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def remember(request: HttpRequest, name: str) -> None:
    """Use ``name`` for this person's days from the next request on."""
    request.session[SESSION_KEY] = name
    timezone.activate(zoneinfo.ZoneInfo(name))


class PersonTimeZoneMiddleware:
    """Activates the signed-in person's zone (from the session) for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _valid(request.session.get(SESSION_KEY)) if hasattr(request, "session") else None
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
