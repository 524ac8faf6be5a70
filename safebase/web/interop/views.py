"""Download of the person's own results as a FHIR R4 Bundle."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from safebase.web.interop import services


@login_required
@require_safe
def fhir_bundle(request: HttpRequest) -> HttpResponse:
    done = services.person_bundle(user=request.user, exported_at=timezone.now())
    response = HttpResponse(json.dumps(done.bundle, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = 'attachment; filename="safebase-fhir-bundle.json"'
    return response
