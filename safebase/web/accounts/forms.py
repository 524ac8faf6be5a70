from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from safebase.web.accounts import services


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses further attempts after 5 failures for a username in 15 minutes."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        if services.login_is_throttled(username=username, ip=ip):
            raise forms.ValidationError(
                "Too many failed attempts. Please wait 15 minutes and try again.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            services.record_failed_login(username=username, ip=ip)
            raise


class SignUpForm(UserCreationForm):
    pass
