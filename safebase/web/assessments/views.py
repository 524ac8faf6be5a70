"""Pages for taking a questionnaire, seeing the result, history, export and delete-all.

Every object is fetched with ``owner=request.user``: another person's id gives 404, never data.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import suppress
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.errors import SafebaseError
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.profile import build_profile
from safebase.core.styles import DESCRIPTIONS, NOT_A_DIAGNOSIS
from safebase.web import hotpath
from safebase.web.accounts.services import delete_person
from safebase.web.assessments import charts, services
from safebase.web.assessments.models import Assessment
from safebase.web.assessments.paging import first_open_page, pages_for


def _own(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(Assessment, pk=pk, owner=request.user)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    in_progress = Assessment.objects.filter(
        owner=request.user, status=Assessment.Status.IN_PROGRESS
    ).order_by("-updated_at")
    latest = services.completed_for(request.user).last()
    return render(
        request,
        "home.html",
        {"instruments": all_instruments().values(), "in_progress": in_progress, "latest": latest},
    )


@login_required
@require_POST
def start(request: HttpRequest, instrument_id: str) -> HttpResponse:
    try:
        inst = get_instrument(instrument_id)
    except SafebaseError:
        raise Http404("No such questionnaire") from None
    existing = (
        Assessment.objects.filter(
            owner=request.user, instrument_id=inst.id, status=Assessment.Status.IN_PROGRESS
        )
        .order_by("-updated_at")
        .first()
    )
    a = existing or services.start_assessment(owner=request.user, instrument_id=inst.id)
    return redirect("assessments:page", pk=a.pk, page=first_open_page(inst, a.answers))


@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    a = _own(request, pk)
    if a.status == Assessment.Status.COMPLETE:
        return redirect("assessments:result", pk=a.pk)
    return redirect("assessments:page", pk=a.pk, page=first_open_page(a.instrument, a.answers))


def _answers_from_post(request: HttpRequest, items) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for item in items:
        raw = request.POST.get(f"item_{item.key}")
        if raw not in (None, ""):
            out[item.key] = int(raw) if raw.lstrip("-").isdigit() else raw  # type: ignore[assignment]
    return out


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    a = _own(request, pk)
    if a.status == Assessment.Status.COMPLETE:
        return redirect("assessments:result", pk=a.pk)
    inst = a.instrument
    pages = pages_for(inst)
    if not 1 <= page <= len(pages):
        raise Http404("No such page")
    items = pages[page - 1]
    error = None
    if request.method == "POST":
        try:
            services.save_answers(assessment=a, answers=_answers_from_post(request, items))
        except SafebaseError as exc:
            error = str(exc)
        else:
            action = request.POST.get("action", "next")
            if action == "back":
                return redirect("assessments:page", pk=a.pk, page=max(1, page - 1))
            if action == "finish" or page == len(pages):
                # Already finished a moment ago (another tab)? Then show that result.
                with suppress(services.AlreadyComplete):
                    services.complete_assessment(assessment=a)
                return redirect("assessments:result", pk=a.pk)
            return redirect("assessments:page", pk=a.pk, page=page + 1)
    answered = sum(1 for k in inst.item_keys if k in a.answers)
    context = {
        "a": a,
        "inst": inst,
        "items": [(item, a.answers.get(item.key)) for item in items],
        "page": page,
        "pages": len(pages),
        "answered": answered,
        "total": len(inst.items),
        "percent": round(100 * answered / len(inst.items)),
        "target": items[0].target,
        "error": error,
    }
    return render(request, "assessments/page.html", context, status=400 if error else 200)


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the page's answers as soon as one is chosen, so a closed tab loses nothing.

    Returns out-of-band updates for the progress text and bar."""
    a = _own(request, pk)
    if a.status != Assessment.Status.IN_PROGRESS:
        return HttpResponse("This questionnaire is already complete.", status=409)
    inst = a.instrument
    posted = [item for item in inst.items if f"item_{item.key}" in request.POST]
    try:
        services.save_answers(assessment=a, answers=_answers_from_post(request, posted))
    except SafebaseError as exc:
        return HttpResponse(str(exc), status=400)
    answered = sum(1 for k in inst.item_keys if k in a.answers)
    total = len(inst.items)
    return HttpResponse(
        f'<span id="progress-text" hx-swap-oob="true">{answered} of {total}</span>'
        f'<progress id="progress" hx-swap-oob="true" max="{total}" value="{answered}">'
        f"{round(100 * answered / total)}%</progress>"
    )


def _result_context(a: Assessment) -> dict:
    inst = a.instrument
    scored = a.scored()
    profile = build_profile(inst, scored) if inst.profile else None
    ctx = {
        "a": a,
        "inst": inst,
        "scored": scored,
        "profile": profile,
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "other_scales": [
            s
            for s in scored.scales.values()
            if profile is None
            or s.scale_id not in (profile.anxiety.scale_id, profile.avoidance.scale_id)
        ],
    }
    if not inst.is_validated:
        # A reflection is read item by item, not as a score.
        labels = {o.value: o.label for o in inst.response.options}
        ctx["reflection_rows"] = [
            (item.label or item.number, item.text, labels.get(a.answers.get(item.key), "—"))
            for item in inst.items
        ]
    if profile is not None:
        ctx["dims"] = [profile.anxiety, profile.avoidance]
        ctx["notes"] = list(dict.fromkeys(profile.anxiety.notes + profile.avoidance.notes))
        ctx["description"] = DESCRIPTIONS[profile.style] if profile.style else None
        ctx["chart"] = _cached_chart(a, "profile", lambda: charts.profile_chart(inst, profile))
        if inst.spec.targets:
            ctx["relationships"] = [
                {
                    "label": t.label,
                    "anxiety": scored.value(f"{t.id}_anxiety"),
                    "avoidance": scored.value(f"{t.id}_avoidance"),
                }
                for t in inst.spec.targets
            ]
            ctx["relationships_chart"] = _cached_chart(
                a, "relationships", lambda: charts.relationships_chart(inst, profile, scored)
            )
    return ctx


def _cached_chart(a: Assessment, kind: str, make) -> str:
    """A completed result never changes, so its chart is drawn once and stored with it; every
    server process then serves the stored SVG."""
    svg = a.charts.get(kind)
    if svg is None:
        svg = make()
        a.charts = {**a.charts, kind: svg}
        Assessment.objects.filter(pk=a.pk).update(charts=a.charts)
    return svg


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    state = hotpath.result_state(pk, request.user.pk)
    if state is None:
        raise Http404("No such result")
    status, completed_at, instrument_id = state
    if status != Assessment.Status.COMPLETE:
        return redirect("assessments:resume", pk=pk)
    # A completed result never changes: its page body is rendered once per process and kept
    # (after the ownership check above), so repeat views skip re-scoring and templating.
    key = f"result-body:{pk}:{completed_at}".replace(" ", "_")
    body = cache.get(key)
    if body is None:
        body = render_to_string("assessments/_result_body.html", _result_context(_own(request, pk)))
        cache.set(key, body, timeout=None)
    inst = get_instrument(instrument_id)
    return render(request, "assessments/result.html", {"inst": inst, "body": mark_safe(body)})


@login_required
def history(request: HttpRequest) -> HttpResponse:
    done = list(services.completed_for(request.user))
    groups = []
    for inst_id in dict.fromkeys(a.instrument_id for a in done):
        inst = get_instrument(inst_id)
        rows = [a for a in done if a.instrument_id == inst_id]
        chart = None
        if inst.profile and len(rows) >= 1:
            ids = (inst.profile.anxiety, inst.profile.avoidance)
            points = [
                (a.completed_at, a.scores.get(ids[0]), a.scores.get(ids[1]))
                for a in rows
                if a.scores.get(ids[0]) is not None and a.scores.get(ids[1]) is not None
            ]
            key = f"history:{request.user.pk}:{inst_id}:{rows[-1].pk}:{len(rows)}"
            chart = cache.get(key)
            if chart is None and points:
                chart = charts.history_chart(inst, ids, points)
                cache.set(key, chart, timeout=None)
        changes = []
        for before, after in pairwise(rows):
            changes.append((before, after, services.change_between(before, after)))
        groups.append({"inst": inst, "rows": rows, "chart": chart, "changes": changes})
    comparison = None
    a_id, b_id = request.GET.get("a"), request.GET.get("b")
    if a_id and b_id:
        if not (a_id.isdigit() and b_id.isdigit()):
            raise Http404("No such result")
        first, second = _own(request, int(a_id)), _own(request, int(b_id))
        if first.instrument_id != second.instrument_id:
            messages.error(request, "Choose two results of the same questionnaire to compare.")
        else:
            comparison = {
                "a": first,
                "b": second,
                "changes": services.change_between(first, second),
            }
    return render(
        request,
        "assessments/history.html",
        {"groups": groups, "done": done, "comparison": comparison},
    )


def _export_rows(user) -> list[dict]:
    return [
        {
            "id": a.pk,
            "instrument": a.instrument_id,
            "status": a.status,
            "started_at": a.started_at.isoformat(),
            "updated_at": a.updated_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "answers": a.answers,
            "scores": a.scores,
            "style": a.style,
            "response_low": a.response_low,
            "response_high": a.response_high,
        }
        for a in Assessment.objects.filter(owner=user).order_by("started_at", "id")
    ]


@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    from safebase.web.practice.export import practice_export

    payload = {
        "exported_at": timezone.now().isoformat(),
        "username": request.user.get_username(),
        "assessments": _export_rows(request.user),
        **practice_export(request.user),
    }
    response = HttpResponse(json.dumps(payload, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="safebase-export.json"'
    return response


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        ["assessment_id", "instrument", "status", "completed_at", "kind", "key", "value"]
    )
    for row in _export_rows(request.user):
        base = [row["id"], row["instrument"], row["status"], row["completed_at"] or ""]
        for key, value in row["answers"].items():
            writer.writerow([*base, "answer", key, value])
        for key, value in row["scores"].items():
            writer.writerow([*base, "score", key, "" if value is None else value])
        if row["style"]:
            writer.writerow([*base, "style", "", row["style"]])
    from safebase.web.practice.export import practice_export

    # Practice records share the columns: id, kind of record, date, field, value.
    for section, rows in practice_export(request.user).items():
        for r in rows:
            for key, value in r.items():
                if key not in ("id", "created_at"):
                    writer.writerow([r["id"], section, "", r["created_at"], section, key, value])
    response = HttpResponse(buf.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="safebase-export.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_everything(request: HttpRequest) -> HttpResponse:
    count = Assessment.objects.filter(owner=request.user).count()
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != "delete":
            messages.error(request, "Type DELETE to confirm.")
            return render(request, "assessments/delete.html", {"count": count}, status=400)
        user = request.user
        logout(request)
        delete_person(user=user)
        return render(request, "assessments/deleted.html")
    return render(request, "assessments/delete.html", {"count": count})
