"""Signup and fresh-link forms: they validate and hand the cleaned data to a service."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from newsletter.consent import CONSENT_TEXTS
from newsletter.models import normalise_email

EMAIL_MAX_LENGTH = 254
FIRST_NAME_MAX_LENGTH = 50
# Letters (of any alphabet) with single spaces, hyphens, apostrophes or dots between them: a
# first name, not a sentence or a link smuggled into the confirmation e-mail.
_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:(?:[ '’.-]|\. )[^\W\d_]+)*\.?$")


class EmailAddressField(forms.CharField):
    """An e-mail address with one clear message per problem (too long, not an address)."""

    default_error_messages = {
        "required": _("Please enter your e-mail address."),
        "too_long": _(
            "This e-mail address is too long: an address has at most %(max)s characters, "
            "this one has %(length)s."
        ),
        "invalid": _("Please enter a valid e-mail address, for example anna@example.de."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("E-mail address"))
        kwargs.setdefault(
            "widget",
            forms.EmailInput(
                attrs={
                    "class": "form-control",
                    "autocomplete": "email",
                    "maxlength": EMAIL_MAX_LENGTH,
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(strip=True, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={"max": EMAIL_MAX_LENGTH, "length": len(value)},
            )
        if value:
            try:
                validate_email(value)
            except ValidationError as error:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        return normalise_email(value)


class BootstrapErrorsMixin:
    """Marks fields with errors for Bootstrap (`is-invalid`); Django adds aria-invalid itself."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class SignupForm(BootstrapErrorsMixin, forms.Form):
    """Newsletter or guide signup: e-mail, optional first name, the consent checkbox."""

    email = EmailAddressField()
    first_name = forms.CharField(
        label=_("First name (optional)"),
        required=False,
        max_length=FIRST_NAME_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Please enter just your first name (at most %(limit_value)d characters)."
            )
        },
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "given-name"}),
    )
    consent = forms.BooleanField(
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _(
                "Please tick the box to agree; without your consent I may not send you anything."
            )
        },
    )

    def __init__(self, *args, source: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["consent"].label = CONSENT_TEXTS[source]

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if name and not _FIRST_NAME.match(name):
            raise ValidationError(
                _("Please enter just your first name: letters, spaces and hyphens."),
                code="invalid",
            )
        return name


class GuideLinkForm(BootstrapErrorsMixin, forms.Form):
    """Ask for a fresh download link: only the e-mail address."""

    email = EmailAddressField()
