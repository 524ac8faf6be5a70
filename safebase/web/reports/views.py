"""The person's own report: a small form, and the PDF download it asks for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safebase.web.reports import services
from safebase.web.reports.forms import ReportForm


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Without parameters: the form. With them (GET: making a report changes nothing): the PDF,
    or the form again with what to fix."""
    if not request.GET:
        return render(request, "reports/report.html", {"form": ReportForm()})
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/report.html", {"form": form}, status=400)
    body = services.own_report(
        owner=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        include_practice=form.cleaned_data["practice"],
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{services.filename()}"'
    return response
