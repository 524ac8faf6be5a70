"""The therapist's pages (caseload, since the last session, notes, assignments), the client's
pages (my therapist, what I share, who read what) and the no-login answer link.

Every item of a client's comes through the access policy (``safebase.web.access``) and every
read of it is logged for the client; a page or id outside the viewer's consent is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.errors import SafebaseError
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.practice import safety
from safebase.web import access
from safebase.web.assessments.forms import AnswersForm
from safebase.web.assessments.models import Assessment
from safebase.web.clinic import calendar, caseload_rows, exports, reads, roles, services
from safebase.web.clinic.forms import (
    AssignForm,
    ItemShareForm,
    MeasureShareForm,
    NoLoginClientForm,
    NoteForm,
    NoteShareForm,
    PracticeReferenceForm,
    SessionForm,
    SinceForm,
    TherapistForm,
)
from safebase.web.clinic.models import Assignment, SessionNote
from safebase.web.practice.services import crisis_resources
from safebase.web.relationships import shareable
from safebase.web.reports.forms import ReportForm


def therapist_required(view: Callable) -> Callable:
    """Signed in and a therapist; anyone else is told nothing is here (404)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not roles.is_therapist(request.user):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return wrapped


# What a therapist is told when the safety screen flags a client's shared words: a screen, not
# a verdict; their own judgement and their service's risk procedure decide what follows.
THERAPIST_FLAG = {
    "title": "The safety screen flagged words in this shared text",
    "body": "safebase's screen looks for words that may mean risk of harm; it can be wrong both "
    "ways and is not an assessment. Follow your service's risk procedure; the resources below "
    "are the ones your client is shown.",
}


def _crisis(context: dict, kind: str | None) -> None:
    context["crisis_resources"] = crisis_resources(category=kind)
    context["crisis_message"] = THERAPIST_FLAG
    context["immediate_danger"] = safety.immediate_danger_message()


# --- therapist -----------------------------------------------------------------------------


@therapist_required
@require_http_methods(["GET", "HEAD"])
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload, a page of clients at a time (by name): a therapist reads a screenful, and
    only the clients on it are fetched, drawn and logged as read."""
    order = reads.caseload_order(request.user)
    page = Paginator(order, reads.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    lines = reads.caseload_page(request.user, only=list(page.object_list)) if order else []
    return render(
        request,
        "clinic/caseload.html",
        {
            "rows": lines,
            "page": page,
            "rows_html": caseload_rows.lines_html(lines),
            "client_form": NoLoginClientForm(),
            "practice_owner": roles.is_practice_owner(request.user),
        },
    )


@therapist_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    token = services.invite_client(request.user)
    link = request.build_absolute_uri(reverse("clinic:join", args=[token.token]))
    return render(request, "clinic/invitation.html", {"link": link, "token": token})


@therapist_required
@require_POST
def add_client(request: HttpRequest) -> HttpResponse:
    form = NoLoginClientForm(request.POST)
    try:
        if not form.is_valid():
            raise SafebaseError(form.first_error())
        record = services.add_no_login_client(request.user, name=form.cleaned_data["name"])
    except SafebaseError as e:
        messages.error(request, f"Not added: {e}.")
        return redirect("clinic:caseload")
    messages.success(
        request, f"{record.display_name} added. Assign a questionnaire to send a link."
    )
    return redirect("clinic:client", pk=record.pk)


@therapist_required
@require_http_methods(["GET", "HEAD"])
def client(request: HttpRequest, pk: int) -> HttpResponse:
    """Since the last session: everything new the client shared since the date set."""
    record = services.client_record(request.user, pk)
    form = SinceForm(request.GET or None)
    since = record.last_session
    if form.is_bound and form.is_valid() and form.cleaned_data["since"]:
        since = form.cleaned_data["since"]
    summary = reads.since_session(request.user, record, since)
    context = {
        "record": record,
        "s": summary,
        "since_form": SinceForm(initial={"since": since}),
        "session_form": SessionForm(initial={"session_date": timezone.localdate()}),
        "assign_form": AssignForm(),
        "note_form": NoteForm(initial={"session_date": timezone.localdate()}),
        "notes": access.own(request.user, SessionNote).filter(record=record)[:20],
    }
    return render(request, "clinic/client.html", context)


@therapist_required
@require_POST
def session(request: HttpRequest, pk: int) -> HttpResponse:
    record = services.client_record(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        services.set_last_session(request.user, record, form.cleaned_data["session_date"])
        messages.success(request, "Session date saved: the page shows what is new since then.")
    else:
        messages.error(request, "Give the session date as YYYY-MM-DD.")
    return redirect("clinic:client", pk=record.pk)


@therapist_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    record = services.client_record(request.user, pk)
    form = AssignForm(request.POST)
    try:
        if not form.is_valid():
            raise SafebaseError(form.first_error())
        data = form.cleaned_data
        services.assign(
            request.user,
            record,
            instrument_id=data["instrument"],
            every_weeks=data["every_weeks"],
            window_days=data["window_days"],
            first_due=data["first_due"],
        )
    except SafebaseError as e:
        messages.error(request, f"Not assigned: {e}.")
    else:
        messages.success(request, "Questionnaire assigned.")
    return redirect("clinic:client", pk=record.pk)


@therapist_required
@require_POST
def answer_link(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.get_or_404(request.user, Assignment, pk, access.Action.CHANGE)
    services.client_record(request.user, a.record_id)  # 404 once the client has left
    try:
        token = services.issue_answer_link(request.user, a)
    except SafebaseError as e:
        messages.error(request, f"No link: {e}.")
        return redirect("clinic:client", pk=a.record_id)
    link = request.build_absolute_uri(reverse("clinic:answer", args=[token.token]))
    return render(
        request, "clinic/answer_link.html", {"link": link, "token": token, "assignment": a}
    )


@therapist_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    record = services.client_record(request.user, pk)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise SafebaseError(form.first_error())
        _, screen = services.add_note(
            request.user,
            record,
            session_date=form.cleaned_data["session_date"],
            body=form.cleaned_data["body"],
        )
    except SafebaseError as e:
        messages.error(request, f"Not saved: {e}.")
        return redirect("clinic:client", pk=record.pk)
    messages.success(request, "Note saved (encrypted; only you can read it unless you share it).")
    if screen.risk:
        request.session["show_crisis"] = "gentle" if screen.only_by_classifier else "clear"
        request.session["crisis_kind"] = screen.kind
    return redirect("clinic:client", pk=record.pk)


@therapist_required
@require_POST
def note_share(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_or_404(request.user, SessionNote, pk, access.Action.CHANGE)
    services.client_record(request.user, found.record_id)  # 404 once the client has left
    form = NoteShareForm(request.POST)
    if form.is_valid():
        services.set_note_shared(request.user, found, bool(form.cleaned_data["shared"]))
        messages.success(
            request,
            "Note shared with the client."
            if found.shared_with_client
            else "Note private again: only you can read it.",
        )
    return redirect("clinic:client", pk=found.record_id)


@therapist_required
@require_http_methods(["GET", "HEAD"])
def item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One item a client shared, read-only; the read is logged for the client."""
    model = shareable.model_for(kind)
    if model is None:
        raise Http404("Not found")
    if not 0 < pk < 2**63:
        raise Http404("Not found")
    obj = services.as_therapist(request.user, model).filter(pk=pk).first()
    if obj is None:  # not shared with this therapist as their therapist (or one's own)
        raise Http404("Not found")
    record = services.caseload_records(request.user).filter(person_id=obj.owner_id).first()
    if record is None:
        raise Http404("Not found")
    services.log_reads(request.user, [(obj.owner_id, f"{shareable.LABELS[kind]} #{obj.pk}")])
    context: dict = {"kind": kind, "label": shareable.LABELS[kind], "obj": obj, "record": record}
    if kind == "result":
        context |= {"inst": obj.instrument, "scored": obj.scored()}
    screen = safety.screen_text(shareable.text_of(obj))
    if screen.risk:
        _crisis(context, screen.kind)
    return render(request, "clinic/item.html", context)


def _reference_choices() -> list[dict]:
    """Each instrument that has reference samples: its samples and the practice's choice."""
    from safebase.core.norms import reference_samples_for

    chosen = services.practice_references()
    out = []
    for inst in all_instruments().values():
        samples = reference_samples_for(inst.id)
        if samples:
            out.append({"inst": inst, "samples": samples, "chosen": chosen.get(inst.id, "")})
    return out


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice(request: HttpRequest) -> HttpResponse:
    """The practice owner's page: therapist accounts, and making new ones."""
    if not roles.is_practice_owner(request.user):
        raise Http404("Not found")
    if request.method == "POST" and "sample" in request.POST:
        choice = PracticeReferenceForm(request.POST)
        try:
            if not choice.is_valid():
                raise SafebaseError(choice.first_error())
            services.choose_practice_reference(
                request.user, choice.cleaned_data["instrument"], choice.cleaned_data["sample"]
            )
            messages.success(request, "The practice's reference sample is saved.")
        except SafebaseError as e:
            messages.error(request, f"Not changed: {e}.")
        return redirect("clinic:practice")
    form = TherapistForm(request.POST or None)
    created = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise SafebaseError(form.first_error())
            user, password = roles.add_therapist(form.cleaned_data["email"])
            created = {"user": user, "password": password}
            form = TherapistForm()
        except SafebaseError as e:
            messages.error(request, f"Not created: {e}.")
    return render(
        request,
        "clinic/practice.html",
        {
            "form": form,
            "therapists": roles.therapists(),
            "created": created,
            "references": _reference_choices(),
        },
    )


# --- client --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows who invites you and a button; only the POST accepts (link previews don't)."""
    if request.method == "POST":
        try:
            record = services.accept_invitation(request.user, token)
        except SafebaseError as e:
            messages.error(request, f"Not joined: {e}.")
            return redirect("clinic:my")
        messages.success(
            request,
            f"You are {record.owner.get_username()}'s client. Nothing is shared until you "
            "choose it below.",
        )
        return redirect("clinic:my")
    therapist = services.therapist_for_invitation(token)
    if therapist is None:
        return render(request, "clinic/join.html", {"invalid": True}, status=404)
    return render(request, "clinic/join.html", {"therapist": therapist, "token": token})


def _my_items(person) -> list[dict]:
    sections = []
    for kind in ("result", "checkin", "journal", "trigger", "exercise"):
        model = shareable.model_for(kind)
        qs = access.own(person, model)
        if kind == "result":
            qs = qs.filter(status=Assessment.Status.COMPLETE).order_by("-completed_at", "-id")
        else:
            qs = qs.order_by("-created_at", "-id")
        sections.append({"kind": kind, "label": shareable.LABELS[kind], "items": list(qs[:20])})
    return sections


@login_required
@require_http_methods(["GET", "HEAD"])
def my(request: HttpRequest) -> HttpResponse:
    """My therapist: what I share with them, what is due, who read what, notes shared with me."""
    records = list(services.records_of(request.user))
    sections = _my_items(request.user)
    therapists = []
    for record in records:
        shared = services.shared_ids(request.user, record)
        therapists.append(
            {
                "record": record,
                "sections": [
                    {
                        **s,
                        "items": [(obj, (s["kind"], obj.pk) in shared) for obj in s["items"]],
                    }
                    for s in sections
                ],
                "measures": [
                    (inst, inst.id in record.shared_instruments)
                    for inst in all_instruments().values()
                ],
            }
        )
    today = timezone.localdate()
    context = {
        "therapists": therapists,
        "due": [(a, services.assignment_state(a, today)) for a in services.due_for(request.user)],
        "reads": services.reads_of(request.user)[:100],
        "notes": services.notes_shared_with(request.user),
        "is_therapist": roles.is_therapist(request.user),
    }
    return render(request, "clinic/my.html", context)


@login_required
@require_POST
def my_share(request: HttpRequest) -> HttpResponse:
    form = ItemShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That item cannot be shared.")
        return redirect("clinic:my")
    data = form.cleaned_data
    try:
        record = services.record_of(request.user, data["record"])
    except SafebaseError:
        raise Http404("Not found") from None
    obj = access.get_or_404(
        request.user, shareable.model_for(data["kind"]), data["item"], access.Action.CHANGE
    )
    try:
        if data["share"]:
            services.share_with_therapist(request.user, record, obj)
            messages.success(request, f"Shared with {record.owner.get_username()} (read-only).")
        else:
            services.unshare_from_therapist(request.user, record, obj)
            messages.success(request, f"No longer shared with {record.owner.get_username()}.")
    except SafebaseError as e:
        messages.error(request, f"Not changed: {e}.")
    return redirect("clinic:my")


@login_required
@require_POST
def my_measure(request: HttpRequest) -> HttpResponse:
    form = MeasureShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the questionnaires.")
        return redirect("clinic:my")
    data = form.cleaned_data
    try:
        record = services.record_of(request.user, data["record"])
    except SafebaseError:
        raise Http404("Not found") from None
    n = services.set_measure_shared(request.user, record, data["instrument"], bool(data["share"]))
    who = record.owner.get_username()
    if data["share"]:
        messages.success(request, f"{who} sees your {n} result(s) of it, and those to come.")
    else:
        messages.success(request, f"{who} no longer sees your results of it.")
    return redirect("clinic:my")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = services.record_of(request.user, pk)
    except SafebaseError:
        raise Http404("Not found") from None
    if request.method != "POST":
        return render(request, "clinic/revoke.html", {"record": record})
    services.revoke(request.user, record)
    messages.success(
        request, f"Consent ended. {record.owner.get_username()} no longer sees anything of yours."
    )
    return redirect("clinic:my")


@login_required
@require_http_methods(["GET", "HEAD"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    body = calendar.assignments_ics(list(services.due_for(request.user)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safebase-questionnaires.ics"'
    return response


# --- no-login client -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """One questionnaire on one page, no password: the link is the key, and it works once."""
    link = services.answer_link(token)
    if link is None:
        return render(request, "clinic/answer_invalid.html", status=404)
    inst = get_instrument(link.assignment.instrument_id)
    form = AnswersForm(inst.items, request.POST or None)
    error = None
    if request.method == "POST":
        if form.is_valid() and form.answers():
            try:
                services.submit_answers(token, form.answers())
            except SafebaseError as e:
                error = str(e)
            else:
                return render(request, "clinic/answer_done.html", {"inst": inst})
        else:
            error = form.first_error() or "Choose an answer for at least one statement."
    chosen = form.answers() if form.is_bound and form.is_valid() else {}
    return render(
        request,
        "clinic/answer.html",
        {
            "inst": inst,
            "items": [(it, chosen.get(it.key)) for it in inst.items],
            "error": error,
            "expires_at": link.expires_at,
        },
        status=400 if error else 200,
    )


@therapist_required
@require_http_methods(["GET", "HEAD"])
def client_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDF of what the client shared, for a period: the form first, then the download."""
    record = services.client_record(request.user, pk)
    if not request.GET:
        return render(request, "clinic/report.html", {"record": record, "form": ReportForm()})
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "clinic/report.html", {"record": record, "form": form}, status=400)
    body = exports.client_report(
        request.user,
        record,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        practice=form.cleaned_data["practice"],
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.report_filename(record)}"'
    return response


@therapist_required
@require_http_methods(["GET", "HEAD"])
def client_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's shared results as a FHIR R4 Bundle (JSON)."""
    import json

    record = services.client_record(request.user, pk)
    done = exports.client_bundle(request.user, record)
    response = HttpResponse(json.dumps(done.bundle, indent=2), content_type="application/fhir+json")
    name = f"safebase-client-{record.pk}-fhir-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
