from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from safebase.web.accounts import services
from safebase.web.accounts.forms import (
    PreferencesForm,
    SignUpForm,
    ThrottledAuthenticationForm,
)
from safebase.web.timezones import remember


@require_http_methods(["GET", "HEAD", "POST"])
def token_sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET (and HEAD, as link previewers send) shows a "Sign in" button; only its POST spends
    the one-time link."""
    if request.method != "POST":
        if not services.sign_in_token_is_valid(token=token):
            return render(request, "accounts/token_invalid.html", status=403)
        return render(request, "accounts/token_confirm.html")
    user = services.redeem_sign_in_token(token=token)
    if user is None:
        return render(request, "accounts/token_invalid.html", status=403)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return redirect("home")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.MULTI_USER:
            raise Http404("Single-person mode: use the sign-in link printed by `safebase serve`.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        services.clear_failed_logins(username=form.get_user().username)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.MULTI_USER:
        raise Http404("Sign-up is only available in multi-account mode.")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, "Welcome to safebase. Your account is ready.")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


password_change = login_required(PasswordChangeView.as_view())


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    from safebase.core.instrument import all_instruments
    from safebase.core.norms import reference_samples_for

    samples = [
        (inst, found)
        for inst in all_instruments().values()
        if (found := reference_samples_for(inst.id))
    ]
    chosen = services.chosen_reference_samples(request.user)
    initial = {"time_zone": services.time_zone_of(request.user) or settings.TIME_ZONE}
    initial |= {f"sample:{inst.id}": chosen.get(inst.id, found[0].id) for inst, found in samples}
    form = PreferencesForm(request.POST or None, initial=initial, samples=samples)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["time_zone"]
        services.set_time_zone(user=request.user, name=name)
        services.choose_reference_samples(user=request.user, choices=form.sample_choices())
        remember(request, name)
        messages.success(request, "Your settings are saved.")
        return redirect("preferences")
    return render(
        request, "accounts/preferences.html", {"form": form}, status=400 if form.errors else 200
    )
