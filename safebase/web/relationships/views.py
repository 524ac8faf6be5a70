"""The Together page: link with a partner, see what they shared, share and unshare items.

Everything a partner sees comes through the access policy (``safebase.web.access``): a shared
item is readable while the two are linked and not a moment longer; nothing here is changeable
by anyone but its owner.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safebase.core.errors import SafebaseError
from safebase.core.practice import safety
from safebase.web import access
from safebase.web.relationships import services, shareable
from safebase.web.relationships.forms import CodeForm, ShareForm

SECTIONS = ("result", "checkin", "journal", "trigger", "exercise")


def _sections(viewer) -> list[dict]:
    return [
        {
            "kind": k,
            "label": shareable.LABELS[k],
            "plural": shareable.PLURALS[k],
            "items": list(services.shared_with(viewer, k)[:50]),
        }
        for k in SECTIONS
    ]


@login_required
@require_http_methods(["GET", "HEAD"])
def together(request: HttpRequest) -> HttpResponse:
    partner = services.partner_of(request.user)
    context = {
        "partner": partner,
        "code_form": CodeForm(),
        "pending_until": None if partner else services.pending_invitation_expiry(request.user),
    }
    if partner is not None:
        context["sections"] = _sections(request.user)
        context["any_shared"] = any(s["items"] for s in context["sections"])
    return render(request, "relationships/together.html", context)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    try:
        invitation = services.invite(request.user)
    except SafebaseError as e:
        messages.error(request, str(e))
        return redirect("relationships:together")
    join = request.build_absolute_uri(
        reverse("relationships:join", args=[services.normalise_code(invitation.code)])
    )
    return render(
        request, "relationships/invitation.html", {"invitation": invitation, "join_url": join}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows who invited you and a button; only the POST accepts (link previews don't)."""
    if request.method == "POST":
        return _accept(request, code)
    inviter = services.inviter_for(code)
    if inviter is None:
        return render(request, "relationships/join.html", {"invalid": True}, status=404)
    return render(request, "relationships/join.html", {"inviter": inviter, "code": code})


@login_required
@require_POST
def accept(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type the invitation code your partner gave you.")
        return redirect("relationships:together")
    return _accept(request, form.cleaned_data["code"])


def _accept(request: HttpRequest, code: str) -> HttpResponse:
    try:
        partner = services.accept(request.user, code)
    except SafebaseError as e:
        messages.error(request, f"Not linked: {e}.")
        return redirect("relationships:together")
    messages.success(
        request,
        f"You and {partner.get_username()} are linked. Nothing is shared until you share it.",
    )
    return redirect("relationships:together")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def unlink(request: HttpRequest) -> HttpResponse:
    partner = services.partner_of(request.user)
    if partner is None:
        messages.info(request, "You are not linked with anyone.")
        return redirect("relationships:together")
    if request.method != "POST":
        return render(request, "relationships/unlink.html", {"partner": partner})
    services.unlink(request.user)
    messages.success(
        request, f"Unlinked. {partner.get_username()} no longer sees anything you shared."
    )
    return redirect("relationships:together")


@login_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That item cannot be shared.")
        return redirect("relationships:together")
    data = form.cleaned_data
    model = shareable.model_for(data["kind"])
    obj = access.get_or_404(request.user, model, data["item"], access.Action.CHANGE)
    back = form.next_url(request, reverse("relationships:together"))
    try:
        if not data["share"]:
            services.unshare(request.user, obj)
            messages.success(request, "No longer shared: only you can see it.")
            return redirect(back)
        if not data["confirm"] and safety.screen_text(shareable.text_of(obj)).risk:
            # Words that may mean someone is in danger: sharing them is the person's choice,
            # asked once more rather than done by a single tap.
            return render(
                request,
                "relationships/confirm_share.html",
                {
                    "kind": data["kind"],
                    "obj": obj,
                    "next": back,
                    "partner": services.partner_of(request.user),
                },
            )
        services.share(request.user, obj)
    except SafebaseError as e:
        messages.error(request, f"Not shared: {e}.")
        return redirect(back)
    messages.success(request, "Shared with your partner (read-only). You can unshare it any time.")
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD"])
def shared_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One item a partner shared, read-only. Shared text that may signal danger brings the
    crisis resources to the reader, never a verdict about the writer."""
    model = shareable.model_for(kind)
    if model is None:
        raise Http404("Not found")
    # Only what the partner shared as a partner: a client's share with their therapist is read
    # on the clinic pages, where every read is logged for the client, never here.
    obj = services.as_partner(request.user, model).filter(pk=pk).first() if pk < 2**63 else None
    if obj is None:
        raise Http404("Not found")
    context: dict = {"kind": kind, "label": shareable.LABELS[kind], "obj": obj}
    if kind == "result":
        from safebase.web.assessments.views import _result_context

        context |= _result_context(obj)
    screen = safety.screen_text(shareable.text_of(obj))
    if screen.risk:
        from safebase.web.practice.services import crisis_resources

        context["crisis_resources"] = crisis_resources(category=screen.kind)
        context["crisis_message"] = safety.crisis_message("partner", screen.kind)
        context["immediate_danger"] = safety.immediate_danger_message()
    return render(request, "relationships/shared_item.html", context)
