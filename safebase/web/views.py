"""Site-wide pages that belong to no single bounded context: home, about, help, liveness.

The home page gathers from several contexts (assessments, practice); they never import from
here, so dependencies run one way.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safebase.core.instrument import all_instruments
from safebase.core.practice.safety import crisis_message, immediate_danger_message
from safebase.web import today
from safebase.web.practice.services import crisis_resources


def home(request: HttpRequest) -> HttpResponse:
    """Today at a glance for a signed-in person; a first-time person gets a short welcome."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    return render(request, "home.html", today.today_context(request.user))


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the load benchmark's baseline and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html", {"instruments": all_instruments().values()})


def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis resources on a page of their own, linked from every page and open to anyone.

    The safety screen misses risk phrased in ways it does not know, so help must never depend
    on it."""
    return render(
        request,
        "help.html",
        {
            "resources": crisis_resources(),
            "message": crisis_message("help"),
            "immediate_danger": immediate_danger_message(),
        },
    )
