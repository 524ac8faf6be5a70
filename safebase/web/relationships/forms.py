"""Request parameters of the Together pages, parsed at the edge."""

from __future__ import annotations

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from safebase.web.relationships.shareable import SHAREABLE


class CodeForm(forms.Form):
    code = forms.CharField(label="Invitation code", max_length=40, strip=True)


class ShareForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in SHAREABLE])
    item = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    share = forms.TypedChoiceField(choices=[("1", "share"), ("0", "unshare")], coerce=int)
    confirm = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=500)

    def next_url(self, request, default: str) -> str:
        """Back to the page the button was on, never to another site."""
        url = self.cleaned_data.get("next") or ""
        ok = url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return url if ok and url.startswith("/") else default
