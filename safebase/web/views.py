"""Site-wide pages that belong to no bounded context."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safebase.core.instrument import all_instruments
from safebase.core.practice.safety import crisis_message, immediate_danger_message
from safebase.web.practice.services import crisis_resources


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the load benchmark's baseline and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html", {"instruments": all_instruments().values()})


def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis resources on a page of their own, linked from every page and open to anyone.

    The safety screen misses most risk phrased in ways its rules do not know (measured on a
    held-out phrase set), so help must never depend on it."""
    return render(
        request,
        "help.html",
        {
            "resources": crisis_resources(),
            "message": crisis_message("help"),
            "immediate_danger": immediate_danger_message(),
        },
    )
