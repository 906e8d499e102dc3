"""The code form of the log-in, and the code that confirms a new authenticator app."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Six digits (e-mail, app) or a recovery code (letters and digits), spaces and hyphens allowed.
_CODE = re.compile(r"^[0-9a-zA-Z][0-9a-zA-Z \-]{4,22}$")


class CodeForm(forms.Form):
    """The second step of the log-in: the code, and whether to trust this browser."""

    code = forms.CharField(
        label=_("Code"),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "size": 12,
            }
        ),
        error_messages={"required": _("Please enter the code.")},
    )
    remember = forms.BooleanField(
        label=_("Trust this browser for 30 days (no code here until then)"),
        required=False,
        initial=True,
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not _CODE.match(code):
            raise forms.ValidationError(
                _("A code has six digits, a recovery code letters and digits."), code="format"
            )
        return code


class AppConfirmForm(forms.Form):
    """The first code the new app shows, which proves it is set up right."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "size": 10,
            }
        ),
        error_messages={"required": _("Please enter the code that the app shows.")},
    )
