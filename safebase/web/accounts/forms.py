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
    """The time zone, and for each instrument with reference samples, which one results are
    compared with (fields ``sample:<instrument id>``)."""

    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Streaks and weekly summaries count days in this zone.",
        choices=lambda: [(z, z.replace("_", " ")) for z in all_time_zones()],
    )

    def __init__(self, *args, samples: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for inst, choices in samples or []:
            self.fields[f"sample:{inst.id}"] = forms.ChoiceField(
                label=f"{inst.spec.short_name}: compare my results with",
                choices=[(s.id, s.label) for s in choices],
                help_text="Percentiles, bands and reliable change use this sample.",
                required=False,  # left out: the instrument's default sample
            )

    def sample_choices(self) -> dict[str, str]:
        return {
            name.split(":", 1)[1]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("sample:") and value
        }
