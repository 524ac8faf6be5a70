"""Site-wide pages that belong to no bounded context."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safebase.core.instrument import all_instruments


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the load benchmark's baseline and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html", {"instruments": all_instruments().values()})
