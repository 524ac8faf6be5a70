"""Pages of the couple practices under /together/.

Without a linked partner every joint page explains how to link instead of failing; the
twelve-signs checklist about oneself works alone. Objects are found through the access policy
(``safebase.web.access``), never by filtering on people here. When a person's own words are
flagged by the safety screen, the crisis resources show at once (as after a journal entry); when
a partner's words are, the reader sees the same resources and no label or diagnosis.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.couple import signs
from safebase.core.couple.rituals import REPAIR_EXAMPLES, REPAIR_SOURCE, REPAIR_STEPS, RITUALS, Kind
from safebase.core.couple.sources import SAFEBASE_SUMMARY
from safebase.core.errors import SafebaseError
from safebase.core.practice.emotions import EMOTION_FAMILIES, NEEDS
from safebase.core.practice.istatement import check_statement
from safebase.core.practice.safety import crisis_message, immediate_danger_message
from safebase.web import access
from safebase.web.couple import services
from safebase.web.couple.forms import (
    CoachForm,
    RepairStepsForm,
    RitualForm,
    SignsAboutForm,
    SignsForm,
    StartRepairForm,
)
from safebase.web.couple.models import Repair, SignsReflection
from safebase.web.couple.pair import pair_plane
from safebase.web.couple.partners import name_of
from safebase.web.practice.services import Saved, crisis_resources
from safebase.web.relationships.services import partner_of

RITUAL_KINDS = {Kind.DAILY.value, Kind.WEEKLY.value, Kind.YEARLY.value}


def _after_save(request: HttpRequest, saved: Saved, what: str) -> None:
    messages.success(request, f"{what} saved.")
    if saved.show_resources:
        request.session["show_crisis"] = "gentle" if saved.gentle else "clear"
        request.session["crisis_kind"] = saved.screen.kind


def _partners_words_flagged() -> dict:
    """The crisis panel for a reader of a partner's flagged words: the resources and the general
    'get help' wording, nothing about what was found or about the partner."""
    return {
        "crisis_resources": crisis_resources(),
        "crisis_message": crisis_message("help"),
        "immediate_danger": immediate_danger_message(),
    }


def _not_linked(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "couple/not_linked.html", {"title": title})


def _names(request: HttpRequest, partner) -> dict:
    return {"partner": partner, "partner_name": name_of(partner)}


@login_required
@require_POST
def coach(request: HttpRequest) -> HttpResponse:
    """htmx: the I-statement coach on any text box of these pages (its name in ``field``)."""
    form = CoachForm(request.POST)
    text = request.POST.get(form.cleaned_data["field"], "") if form.is_valid() else ""
    return render(request, "practice/_coach.html", {"result": check_statement(str(text)[:2000])})


@login_required
@require_http_methods(["GET", "POST"])
def ritual(request: HttpRequest, ritual: str) -> HttpResponse:
    if ritual not in RITUAL_KINDS:
        raise Http404("No such ritual")
    return _ritual_page(request, Kind(ritual), "couple/ritual.html")


@login_required
@require_http_methods(["GET", "POST"])
def coregulate(request: HttpRequest) -> HttpResponse:
    return _ritual_page(request, Kind.COREGULATE, "couple/coregulate.html")


def _ritual_page(request: HttpRequest, kind: Kind, template: str) -> HttpResponse:
    info = RITUALS[kind]
    partner = partner_of(request.user)
    if partner is None:
        return _not_linked(request, info.title)
    error = None
    form = RitualForm(kind, request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = services.answer_ritual(owner=request.user, kind=kind, answers=form.cleaned_data)
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, "Your answer")
            return redirect(request.path)
    view = services.ritual_today(request.user, partner, kind)
    context = {
        **_names(request, partner),
        "ritual": info,
        "view": view,
        "prompts": [
            (
                p,
                request.POST.get(p.name, "")
                if error
                else (view.mine.answers.get(p.name, "") if view.mine else ""),
            )
            for p in info.prompts
        ],
        "theirs": [(p.label, view.theirs.answers.get(p.name, "")) for p in info.prompts]
        if view.theirs
        else [],
        "streaks": services.shared_streaks(request.user, partner),
        "error": error,
        "families": EMOTION_FAMILIES,
        "needs": NEEDS,
    }
    if kind == Kind.YEARLY:
        context["year"] = services.year_in_review(request.user, partner)
        context["plane"] = pair_plane(request.user, partner, "You", name_of(partner))
    if view.theirs_flagged:
        context.update(_partners_words_flagged())
    return render(request, template, context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def repairs(request: HttpRequest) -> HttpResponse:
    """The repair log (time from rupture to repair, by month) and the form to start one."""
    partner = partner_of(request.user)
    log = services.repair_log(request.user)
    items = list(services.repairs_of(request.user)[:50])
    if partner is None and not items:
        return _not_linked(request, "Repair")
    error = None
    if request.method == "POST":
        if partner is None:
            return _not_linked(request, "Repair")
        form = StartRepairForm(request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            data = form.cleaned_data
            saved, _ = services.start_repair(
                owner=request.user,
                about=data["about"],
                ruptured_at=data.get("ruptured_at"),
                steps=data,
            )
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, "Your repair")
            return redirect("couple:repair", pk=saved.obj.pk)
    return render(
        request,
        "couple/repairs.html",
        {
            **(_names(request, partner) if partner else {}),
            "linked": partner is not None,
            "log": log,
            "items": items,
            "steps": _step_fields(request.POST if error else {}),
            "about": request.POST.get("about", "") if error else "",
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "error": error,
            "source": REPAIR_SOURCE,
            "summary_label": SAFEBASE_SUMMARY,
        },
        status=400 if error else 200,
    )


def _step_fields(values) -> list:
    return [(s, REPAIR_EXAMPLES[s.name], values.get(s.name, "")) for s in REPAIR_STEPS]


@login_required
@require_http_methods(["GET", "POST"])
def repair(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_or_404(request.user, Repair, pk)
    partner = partner_of(request.user)
    error = None
    if request.method == "POST":
        form = RepairStepsForm(request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = services.respond_to_repair(
                owner=request.user, repair_id=obj.pk, steps=form.cleaned_data
            )
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, "Your steps")
            return redirect("couple:repair", pk=obj.pk)
    view = services.repair_view(request.user, obj)
    values = (
        request.POST
        if error
        else ({s.name: getattr(view.mine, s.name) for s in REPAIR_STEPS} if view.mine else {})
    )
    linked = partner is not None and {obj.owner_id, obj.partner_id} == {request.user.pk, partner.pk}
    context = {
        **(_names(request, partner) if partner else {}),
        "linked": linked,
        "view": view,
        "repair": obj,
        "steps": _step_fields(values),
        "their_steps": [(s.label, getattr(view.theirs, s.name)) for s in REPAIR_STEPS]
        if view.theirs
        else [],
        "my_steps": [(s.label, getattr(view.mine, s.name)) for s in REPAIR_STEPS]
        if view.mine
        else [],
        "started_by_me": obj.owner_id == request.user.pk,
        "error": error,
        "source": REPAIR_SOURCE,
    }
    if view.theirs_flagged:
        context.update(_partners_words_flagged())
    return render(request, "couple/repair.html", context, status=400 if error else 200)


@login_required
@require_POST
def repaired(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_or_404(request.user, Repair, pk)
    try:
        done = services.mark_repaired(owner=request.user, repair_id=obj.pk)
    except SafebaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Repaired, by both of you." if done.repaired_at else "Marked repaired on your side.",
        )
    return redirect("couple:repair", pk=obj.pk)


@login_required
@require_http_methods(["GET", "POST"])
def signs_checklist(request: HttpRequest) -> HttpResponse:
    partner = partner_of(request.user)
    about_form = SignsAboutForm(request.GET)
    about = (about_form.cleaned_data.get("about") if about_form.is_valid() else "") or "self"
    error = None
    if request.method == "POST":
        form = SignsForm(request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            data = form.cleaned_data
            about = data["about"]
            saved = services.reflect_on_signs(
                owner=request.user, about=about, checked=data["signs"], note=data["note"]
            )
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, "Your reflection")
            return redirect(f"{request.path}?about={about}")
    if about == "partner" and partner is None:
        return _not_linked(request, "Twelve signs, about a partner")
    checked = set()
    if error:
        checked = {v for v in request.POST.getlist("signs")}
    past = access.own(request.user, SignsReflection).filter(about=about)[:10]
    return render(
        request,
        "couple/signs.html",
        {
            "about": about,
            "linked": partner is not None,
            "statements": [(n, text, str(n) in checked) for n, text in signs.statements(about)],
            "label": signs.LABEL,
            "source": signs.SOURCE,
            "past": [(r, [t for n, t in signs.statements(about) if n in r.checked]) for r in past],
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def pair(request: HttpRequest) -> HttpResponse:
    partner = partner_of(request.user)
    if partner is None:
        return _not_linked(request, "The two of you on one plane")
    plane = pair_plane(request.user, partner, "You", name_of(partner))
    points = [p for p in (plane.me, plane.them) if p is not None]
    sides = []
    if plane.reading is not None:
        sides = [
            {"who": p.who, "title": p.title, "helps": plane.reading.helps_side[p.style]}
            for p in points
        ]
    return render(
        request,
        "couple/pair.html",
        {
            **_names(request, partner),
            "plane": plane,
            "points": points,
            "sides": sides,
            "summary_label": SAFEBASE_SUMMARY,
        },
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every couple practice in one list, with the shared streaks."""
    partner = partner_of(request.user)
    if partner is None:
        return _not_linked(request, "Practices for two")
    return render(
        request,
        "couple/overview.html",
        {
            **_names(request, partner),
            "streaks": services.shared_streaks(request.user, partner),
            "daily": services.ritual_today(request.user, partner, Kind.DAILY),
        },
    )
