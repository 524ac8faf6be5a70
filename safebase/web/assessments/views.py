"""Pages for taking a questionnaire, seeing the result, and the history of results.

Which results a person may open is decided by the one access policy (``safebase.web.access``);
another person's id gives 404, never data. Request parameters are parsed by forms
(``assessments.forms``): bad input re-renders the page with a message.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache, partial
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.errors import SafebaseError
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.profile import build_profile
from safebase.core.styles import DESCRIPTIONS, NOT_A_DIAGNOSIS
from safebase.web import access, charts
from safebase.web.access import Action
from safebase.web.assessments import services
from safebase.web.assessments.forms import AnswersForm, CompareForm
from safebase.web.assessments.models import Assessment
from safebase.web.assessments.paging import first_open_page, pages_for


@login_required
def questionnaires(request: HttpRequest) -> HttpResponse:
    """Every questionnaire, each with its purpose, length, kind and source."""
    return render(request, "assessments/list.html", {"instruments": all_instruments().values()})


@login_required
@require_POST
def start(request: HttpRequest, instrument_id: str) -> HttpResponse:
    try:
        inst = get_instrument(instrument_id)
    except SafebaseError:
        raise Http404("No such questionnaire") from None
    existing = services.in_progress_for(request.user, inst.id).first()
    a = existing or services.start_assessment(owner=request.user, instrument_id=inst.id)
    return redirect("assessments:page", pk=a.pk, page=first_open_page(inst, a.answers))


@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.get_or_404(request.user, Assessment, pk, Action.CHANGE)
    if a.status == Assessment.Status.COMPLETE:
        return redirect("assessments:result", pk=a.pk)
    return redirect("assessments:page", pk=a.pk, page=first_open_page(a.instrument, a.answers))


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    a = access.get_or_404(request.user, Assessment, pk, Action.CHANGE)
    if a.status == Assessment.Status.COMPLETE:
        return redirect("assessments:result", pk=a.pk)
    inst = a.instrument
    pages = pages_for(inst)
    if not 1 <= page <= len(pages):
        raise Http404("No such page")
    items = pages[page - 1]
    error = None
    missing: list[str] = []
    if request.method == "POST":
        form = AnswersForm(items, request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            services.save_answers(assessment=a, answers=form.answers())
        except SafebaseError as exc:
            error = str(exc)
        else:
            action = request.POST.get("action", "next")
            if action == "back":
                return redirect("assessments:page", pk=a.pk, page=max(1, page - 1))
            if action == "finish" or page == len(pages):
                missing = services.unscorable_scales(a)
                if not missing or request.POST.get("finish_anyway") == "yes":
                    # Already finished a moment ago (another tab)? Then show that result.
                    with suppress(services.AlreadyComplete):
                        services.complete_assessment(assessment=a)
                    return redirect("assessments:result", pk=a.pk)
            else:
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
        "missing": missing,
    }
    return render(request, "assessments/page.html", context, status=400 if error else 200)


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the page's answers as soon as one is chosen, so a closed tab loses nothing.

    Returns out-of-band updates for the progress text and bar."""
    a = access.get_or_404(request.user, Assessment, pk, Action.CHANGE)
    if a.status != Assessment.Status.IN_PROGRESS:
        return HttpResponse("This questionnaire is already complete.", status=409)
    inst = a.instrument
    form = AnswersForm(inst.items, request.POST)
    try:
        if not form.is_valid():
            raise SafebaseError(form.first_error())
        services.save_answers(assessment=a, answers=form.answers())
    except SafebaseError as exc:
        return HttpResponse(escape(str(exc)), status=400)
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
    reference = services.reference_for(a.owner, inst)
    profile = build_profile(inst, scored, reference=reference) if inst.profile else None
    ctx = {
        "a": a,
        "inst": inst,
        "scored": scored,
        "profile": profile,
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "other_scales": [
            s
            for s in scored.scales.values()
            if inst.scale(s.scale_id).method != "choice"  # shown in words, not as a number
            and (
                profile is None
                or s.scale_id not in (profile.anxiety.scale_id, profile.avoidance.scale_id)
            )
        ],
    }
    if inst.is_reflection:
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
        ctx["chart"] = stored_chart(a, "profile", lambda: charts.profile_chart(inst, profile))
        if inst.spec.targets:
            ctx["relationships"] = [
                {
                    "label": t.label,
                    "anxiety": scored.value(f"{t.id}_anxiety"),
                    "avoidance": scored.value(f"{t.id}_avoidance"),
                }
                for t in inst.spec.targets
            ]
            ctx["relationships_chart"] = stored_chart(
                a, "relationships", lambda: charts.relationships_chart(inst, profile, scored)
            )
    return ctx


def stored_chart(a: Assessment, kind: str, make) -> str:
    """A chart drawn once and stored with the result (the app's one kind of cache, see the model):
    a completed result never changes, and every server process then serves the stored SVG.
    Always called after the access check."""
    kind = f"{kind}@{charts.STYLE_VERSION}"
    svg = a.charts.get(kind)
    if svg is None:
        svg = make()
        a.charts = {k: v for k, v in a.charts.items() if k.endswith(charts.STYLE_VERSION)}
        a.charts[kind] = svg
        Assessment.objects.filter(pk=a.pk).update(charts=a.charts)
    return svg


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.get_own_or_404(request.user, Assessment, pk)
    if a.status != Assessment.Status.COMPLETE:
        return redirect("assessments:resume", pk=pk)
    return render(request, "assessments/result.html", _result_context(a))


def _history_charts(newest: Assessment, inst, ids, points, zone: str) -> tuple[str, str]:
    """The two history charts, drawn together once and kept with the newest result."""
    draw = cache(partial(charts.history_charts, inst, ids, points))
    over_time = stored_chart(newest, f"history-time:{len(points)}:{zone}", lambda: draw()[0])
    path = stored_chart(newest, f"history-path:{len(points)}", lambda: draw()[1])
    return over_time, path


@login_required
def history(request: HttpRequest) -> HttpResponse:
    done = list(services.completed_for(request.user))
    groups = []
    for inst_id in dict.fromkeys(a.instrument_id for a in done):
        inst = get_instrument(inst_id)
        rows = [a for a in done if a.instrument_id == inst_id]
        for number, a in enumerate(rows, start=1):
            a.number = number  # one numbering, per questionnaire, on every part of the page
            a.choice = inst.choice_text(a.scores.get("forced_choice"))  # "B — fearful"
        over_time = path = None
        if inst.profile:
            ids = (inst.profile.anxiety, inst.profile.avoidance)
            points = [
                (a.completed_at, a.scores.get(ids[0]), a.scores.get(ids[1]))
                for a in rows
                if a.scores.get(ids[0]) is not None and a.scores.get(ids[1]) is not None
            ]
            if points:
                # Kept with the newest result: a new result makes a new newest row.
                zone = timezone.get_current_timezone_name()
                over_time, path = _history_charts(rows[-1], inst, ids, points, zone)
        changes = [
            (before, after, services.change_between(before, after))
            for before, after in pairwise(rows)
        ]
        groups.append(
            {"inst": inst, "rows": rows, "over_time": over_time, "path": path, "changes": changes}
        )
    comparison = None
    form = CompareForm(request.GET)
    pair = form.pair()
    if request.GET and not form.is_valid():
        messages.error(request, "Choose two of your results to compare.")
    if pair:
        numbered = {a.pk: a for a in done}
        first, second = (
            numbered.get(pk) or access.get_own_or_404(request.user, Assessment, pk) for pk in pair
        )
        if first.instrument_id != second.instrument_id:
            messages.error(request, "Choose two results of the same questionnaire to compare.")
        elif first.status != Assessment.Status.COMPLETE or second.status != first.status:
            messages.error(request, "Only finished results can be compared.")
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
        status=200 if form.is_valid() else 400,
    )
