"""Pages for the plan, exercises, check-ins, journal, trigger log and weekly progress.

Saving free text never blocks: when the safety screen flags it, the crisis resources panel is
shown at once on the next page (a session flag read by the ``site`` context processor). Request
parameters are parsed by forms (``practice.forms``); the records listed are the person's own, as
the access policy (``safebase.web.access``) defines them.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.errors import SafebaseError
from safebase.core.practice.emotions import EMOTION_FAMILIES, NEEDS
from safebase.core.practice.exercises import GUIDE_STEP_TITLES, PHASE_TITLES, get_exercise
from safebase.core.practice.istatement import check_statement
from safebase.core.practice.schedule import schedule_ics
from safebase.web import access, charts
from safebase.web.practice import calendar, services
from safebase.web.practice.forms import (
    CheckInForm,
    ExerciseForm,
    JournalForm,
    PlanBasisForm,
    TriggerForm,
    WeekForm,
)
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog


def _after_save(request: HttpRequest, saved: services.Saved, what: str) -> None:
    messages.success(request, f"{what} saved.")
    if saved.show_resources:
        request.session["show_crisis"] = "gentle" if saved.gentle else "clear"
        request.session["crisis_kind"] = saved.screen.kind  # the words fit the kind found


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    results = list(services.dimensional_results(request.user))
    basis_form = PlanBasisForm(results, request.POST or None)
    if request.method == "POST":
        if basis_form.is_valid():
            services.choose_plan_basis(
                owner=request.user, assessment_id=basis_form.cleaned_data["result"]
            )
            messages.success(request, "Your plan now follows the result you chose.")
            return redirect("practice:plan")
        messages.error(request, "Choose one of your results.")
    p = services.current_plan(request.user)
    now, best = services.streaks(request.user)
    return render(
        request,
        "practice/plan.html",
        {
            "plan": p,
            "basis": services.plan_basis(request.user),
            "change": services.change_since_previous(request.user),
            "results": results,
            "streak": now,
            "best_streak": best,
            "guide": GUIDE_STEP_TITLES,
        },
        status=400 if basis_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise(request: HttpRequest, exercise_id: str) -> HttpResponse:
    try:
        ex = get_exercise(exercise_id)
    except SafebaseError:
        raise Http404("No such exercise") from None
    if ex.kind == "checkin":
        return redirect("practice:checkin")
    error = None
    if request.method == "POST":
        form = ExerciseForm(ex, request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = services.record_exercise(
                owner=request.user, exercise_id=ex.id, data=form.data_for_service()
            )
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, ex.title)
            return redirect("practice:exercise", exercise_id=ex.id)
    records = [
        {
            "created_at": r.created_at,
            "obj": r,
            "rows": [(ex.fields[k].label if k in ex.fields else k, v) for k, v in r.data.items()],
        }
        for r in access.own(request.user, ExerciseRecord).filter(exercise_id=ex.id)[:10]
    ]
    values = request.POST if error else {}
    form_fields = [(name, f, values.get(name, "")) for name, f in ex.fields.items()]
    p = services.current_plan(request.user)
    why = None
    if p is not None:
        why = ex.why.get(p.pattern)
    return render(
        request,
        "practice/exercise.html",
        {
            "ex": ex,
            "why": why,
            "phases": [PHASE_TITLES[ph] for ph in ex.phases],
            "records": records,
            "error": error,
            "form_fields": form_fields,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def coach(request: HttpRequest) -> HttpResponse:
    """htmx: the I-statement coach's feedback on one sentence, explained."""
    result = check_statement(request.POST.get("original", "")[:2000])
    return render(request, "practice/_coach.html", {"result": result})


def _form_page(
    request: HttpRequest, *, form_class, save, what: str, success: str, template, context
):
    """GET shows the page; POST parses the form, saves through ``save(cleaned_data)`` and
    redirects, or shows the first error. ``context`` is called after saving so the page lists
    what is now stored."""
    error = None
    if request.method == "POST":
        form = form_class(request.POST)
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            saved = save(form.cleaned_data)
        except SafebaseError as exc:
            error = str(exc)
        else:
            _after_save(request, saved, what)
            return redirect(success)
    return render(request, template, {**context(), "error": error}, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        form_class=CheckInForm,
        save=lambda data: services.record_checkin(owner=request.user, **data),
        what="Check-in",
        success="practice:progress",
        template="practice/checkin.html",
        context=lambda: {
            "families": EMOTION_FAMILIES,
            "needs": NEEDS,
            "recent": access.own(request.user, CheckIn)[:5],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        form_class=JournalForm,
        save=lambda data: services.add_journal_entry(owner=request.user, **data),
        what="Journal entry",
        success="practice:journal",
        template="practice/journal.html",
        context=lambda: {"entries": access.own(request.user, JournalEntry)[:50]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def triggers(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        form_class=TriggerForm,
        save=lambda data: services.log_trigger(owner=request.user, **data),
        what="Log entry",
        success="practice:triggers",
        template="practice/triggers.html",
        context=lambda: {
            "logs": access.own(request.user, TriggerLog)[:50],
            "patterns": TriggerLog.Pattern.choices,
        },
    )


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    form = WeekForm(request.GET)
    today = timezone.localdate()
    start = form.week_start(today)
    if request.GET.get("week") and not form.is_valid():
        messages.error(request, "That is not a date (YYYY-MM-DD); showing this week.")
    summary = services.summary_for_week(request.user, start)
    now, best = services.streaks(request.user)
    return render(
        request,
        "practice/progress.html",
        {
            "s": summary,
            "phase_titles": PHASE_TITLES,
            "week": services.week_days(request.user, start, today, summary),
            "chart": charts.intensity_chart(summary) if summary.checkins else None,
            "streak": now,
            "best_streak": best,
            "prev_week": start - timedelta(days=7),
            "next_week": start + timedelta(days=7) if start + timedelta(days=7) <= today else None,
        },
    )


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    p = services.current_plan(request.user)
    today = timezone.localdate()
    extra = calendar.extra_reminders(request.user, today)  # e.g. a linked couple's rituals
    if p is None and not extra:
        raise Http404("Take a questionnaire first: the schedule follows your plan.")
    change = services.change_since_previous(request.user) if p is not None else None
    body = schedule_ics(p, start=today, last_change=change[2] if change else (), extra=extra)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safebase-practice.ics"'
    return response
