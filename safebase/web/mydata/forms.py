"""The backup form: a passphrase typed twice, checked before any work starts."""

from __future__ import annotations

from django import forms

from safebase.web.mydata.backup import MIN_PASSPHRASE


class BackupForm(forms.Form):
    passphrase = forms.CharField(
        label="Passphrase for this backup",
        min_length=MIN_PASSPHRASE,
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=f"At least {MIN_PASSPHRASE} characters. Without it the backup cannot be opened: "
        "keep it somewhere safe, apart from the file.",
    )
    again = forms.CharField(
        label="The same passphrase again",
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("again"):
            raise forms.ValidationError("The two passphrases differ.")
        return data
