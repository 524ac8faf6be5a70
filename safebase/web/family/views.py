"""Pages for parents and caregivers: children, the weekly five-conditions self-check, signs per
age band, attuned moments, the rupture-and-repair log, and the caregiver's own pattern.

A child is reached through the access policy (its caregivers may view it); the observations
listed are always the signed-in caregiver's own (``access.own``), never a co-caregiver's.
Saving free text never blocks: when the safety screen flags it, crisis resources worded for the
kind found (a child at risk: child-protection lines) are shown at once on the next page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safebase.core import caregiving
from safebase.core.errors import SafebaseError
from safebase.core.practice.exercises import get_exercise
from safebase.web import access
from safebase.web.access import Action
from safebase.web.family import services
from safebase.web.family.forms import (
    AddChildForm,
    AttunedForm,
    FiveConditionsForm,
    RepairForm,
    SignsForm,
)
from safebase.web.family.models import AttunedMoment, Child, RuptureRepair, SignsObservation
from safebase.web.practice.services import Saved

PRIVACY = (
    "Only the child's name and birth year are shared with a co-caregiver. Your check-ins, "
    "observations, moments and repairs are yours alone: a co-caregiver never sees them, and "
    "you never see theirs."
)


def _after_save(request: HttpRequest, saved: Saved, what: str) -> None:
    messages.success(request, f"{what} saved.")
    if saved.show_resources:
        request.session["show_crisis"] = "gentle" if saved.gentle else "clear"
        request.session["crisis_kind"] = saved.screen.kind  # e.g. child-protection wording


def practice_links(ids, child: Child | None) -> list[tuple[str, str]]:
    """(title, url) for practice ids of the content: library exercises and family pages."""
    family_pages = {"family:attuned": "An attuned response", "family:repairs": "Rupture and repair"}
    links = []
    for pid in ids:
        if pid in family_pages:
            url = reverse(pid, args=[child.pk]) if child else reverse("family:home")
            links.append((family_pages[pid], url))
        else:
            links.append((get_exercise(pid).title, reverse("practice:exercise", args=[pid])))
    return links


def _child(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Child:
    return access.get_or_404(request.user, Child, pk, action)


def _form_page(request, child, *, form, save, what, template, context):
    """GET shows the page; POST parses the form, saves and redirects, or shows the first error."""
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = save(form)
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, what)
            return redirect(request.path)
    ctx = {"child": child, "error": error, "label": caregiving.LABEL, **context()}
    return render(request, template, ctx, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = AddChildForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = services.add_child_screened(
                request.user, form.cleaned_data["name"], form.cleaned_data["birth_year"]
            )
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, "Child")
            return redirect("family:child", pk=saved.obj.pk)
    mine = services.caregiver_pattern(request.user)
    children = services.children_of(request.user)
    return render(
        request,
        "family/home.html",
        {
            "children": children,
            "error": error,
            "mine": mine,
            "patterns": caregiving.caregiver_patterns(),
            "my_practices": practice_links(
                mine.pattern.practices, children[0] if len(children) == 1 else None
            )
            if mine
            else [],
            "privacy": PRIVACY,
            "label": caregiving.LABEL,
        },
        status=400 if error else 200,
    )


@login_required
@require_safe
def child(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk)
    checks = services.five_conditions_checks(request.user, c)
    return render(
        request,
        "family/child.html",
        {
            "child": c,
            "age": services.age_in(c),
            "band": caregiving.band_for_age(services.age_in(c)),
            "co_caregivers": services.co_caregivers(request.user, c),
            "partner": services.partner_of(request.user),
            "trend": services.trend(checks),
            "recent": list(reversed(checks))[:8],
            "conditions": caregiving.five_conditions(),
            "privacy": PRIVACY,
            "label": caregiving.LABEL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk)
    low, high, labels = caregiving.scale()
    this_week = services.week_of(timezone.localdate())
    existing = next(
        (x for x in services.five_conditions_checks(request.user, c) if x.week == this_week),
        None,
    )
    return _form_page(
        request,
        c,
        form=FiveConditionsForm(request.POST or None),
        save=lambda f: services.record_five_conditions(
            request.user, c, f.ratings(), f.cleaned_data["note"]
        ),
        what="This week's check",
        template="family/checkin.html",
        context=lambda: {
            "conditions": [
                (cond, practice_links(cond.practices, c)) for cond in caregiving.five_conditions()
            ],
            "points": list(zip(range(low, high + 1), labels, strict=True)),
            "existing": existing.ratings() if existing else {},
            "week": this_week,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signs(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk)
    bands = {b.id: b for b in caregiving.age_bands()}
    wanted = request.GET.get("band", "")
    band = bands.get(wanted) or caregiving.band_for_age(services.age_in(c))
    return _form_page(
        request,
        c,
        form=SignsForm(request.POST or None),
        save=lambda f: services.record_signs(
            request.user,
            c,
            f.cleaned_data["age_band"],
            f.cleaned_data["noticed"],
            f.cleaned_data["note"],
        ),
        what="Observation",
        template="family/signs.html",
        context=lambda: {
            "band": band,
            "bands": bands.values(),
            "intro": caregiving.signs_intro(),
            "professional": caregiving.professional(),
            "sign_text": {s.id: s.text for b in bands.values() for s in b.signs},
            "observations": access.own(request.user, SignsObservation).filter(child=c)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attuned(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk)
    return _form_page(
        request,
        c,
        form=AttunedForm(request.POST or None),
        save=lambda f: services.record_attuned_moment(request.user, c, **f.cleaned_data),
        what="Moment",
        template="family/attuned.html",
        context=lambda: {
            "practice": caregiving.attuned(),
            "moments": access.own(request.user, AttunedMoment).filter(child=c)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def repairs(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk)
    return _form_page(
        request,
        c,
        form=RepairForm(request.POST or None),
        save=lambda f: services.log_repair(
            request.user,
            c,
            what_happened=f.cleaned_data["what_happened"],
            reconnect=f.cleaned_data["reconnect"],
            minutes_to_repair=f.minutes(),
            happened_on=f.cleaned_data["happened_on"],
        ),
        what="Repair",
        template="family/repairs.html",
        context=lambda: {
            "framing": caregiving.repair_framing(),
            "months": services.monthly_repairs(request.user, c),
            "entries": access.own(request.user, RuptureRepair).filter(child=c)[:30],
        },
    )


@login_required
@require_POST
def co_caregiver(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk, Action.CHANGE)
    try:
        partner = services.add_co_caregiver(request.user, c)
    except SafebaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{partner.get_username()} is now a caregiver of {c.name} too.")
    return redirect("family:child", pk=c.pk)


@login_required
@require_http_methods(["GET", "POST"])
def step_away(request: HttpRequest, pk: int) -> HttpResponse:
    c = _child(request, pk, Action.CHANGE)
    others = services.co_caregivers(request.user, c)
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != "remove":
            messages.error(request, "Type REMOVE to confirm.")
            return render(
                request, "family/step_away.html", {"child": c, "others": others}, status=400
            )
        name = c.name
        services.step_away(request.user, c)
        messages.success(request, f"{name} and your observations were removed from your pages.")
        return redirect("family:home")
    return render(request, "family/step_away.html", {"child": c, "others": others})
