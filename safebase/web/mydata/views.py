"""A person's own data as a whole: download it (JSON, CSV) and delete all of it."""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safebase.core.errors import SafebaseError
from safebase.web import access
from safebase.web.accounts.services import delete_person
from safebase.web.assessments.models import Assessment
from safebase.web.mydata.backup import backup_bytes
from safebase.web.mydata.export import export_payload, tidy_rows
from safebase.web.mydata.forms import BackupForm

CSV_COLUMNS = ("kind", "record_id", "date", "field", "value")


def _download(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    payload = export_payload(request.user, exported_at=timezone.now().isoformat())
    return _download(json.dumps(payload, indent=2), "application/json", "safebase-export.json")


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """One tidy table: a row per (record, field), the record's kind in its own column."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(tidy_rows(request.user))
    return _download(buf.getvalue(), "text/csv", "safebase-export.csv")


@login_required
@require_http_methods(["GET", "POST"])
def delete_everything(request: HttpRequest) -> HttpResponse:
    count = access.own(request.user, Assessment).count()
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != "delete":
            messages.error(request, "Type DELETE to confirm.")
            return render(request, "mydata/delete.html", {"count": count}, status=400)
        user = request.user
        logout(request)
        delete_person(user=user)
        return render(request, "mydata/deleted.html")
    return render(request, "mydata/delete.html", {"count": count})


@login_required
@require_http_methods(["GET", "POST"])
def backup(request: HttpRequest) -> HttpResponse:
    """Download an encrypted backup of this installation (the database and its key).

    Only in single-person mode: a backup holds every account's data, so in multi-account mode it
    is the operator's job (`safebase backup`), and each person exports their own data."""
    if settings.MULTI_USER:
        return render(request, "mydata/backup.html", {"multi_user": True})
    form = BackupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = backup_bytes(form.cleaned_data["passphrase"])
        except SafebaseError as exc:
            form.add_error(None, str(exc))
        else:
            stamp = timezone.localtime().strftime("%Y-%m-%d")
            return _download(body, "application/octet-stream", f"safebase-{stamp}.backup")
    return render(request, "mydata/backup.html", {"form": form}, status=400 if form.errors else 200)
