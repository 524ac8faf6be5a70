from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from safebase.web.accounts import services
from safebase.web.client import client_address
from safebase.web.timezones import all_time_zones


class ThrottledAuthenticationForm(AuthenticationForm):
    """Asks for a short, growing wait after repeated failures (per account and per address)
    before the password is checked at all; never locks out the right password for long."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_address(self.request) if self.request else None
        wait = services.login_wait(username=username, ip=ip)
        if wait:
            raise forms.ValidationError(
                f"Too many failed attempts. Please wait {wait} second{'s' if wait != 1 else ''} "
                "and try again.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            services.record_failed_login(username=username, ip=ip)
            raise


class SignUpForm(UserCreationForm):
    pass


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Streaks and weekly summaries count days in this zone.",
        choices=lambda: [(z, z.replace("_", " ")) for z in all_time_zones()],
    )
