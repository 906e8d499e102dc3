"""Signup and fresh-link forms: they validate and hand the cleaned data to a service.

They render themselves with crispy-forms (`{% crispy form %}`): the layout, the action and the
button are in each form's FormHelper. The action ends in the form's anchor, so a rejected form
comes back scrolled to it, and its first field with an error has the focus (`autofocus`).
"""

import re

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from newsletter.consent import CONSENT_TEXTS, PRIVACY_NOTE, PRIVACY_URL
from newsletter.models import Subscriber, normalise_email

# The id of the box around a signup form and of the fresh-link form: their actions end in it.
SIGNUP_ANCHOR = "anmelden"
FRESH_LINK_ANCHOR = "neuer-link"

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


class FocusFirstErrorMixin:
    """A form sent back with errors gets the focus on its first field with an error (on its first
    field when the error is the form's own, such as the rate limit): the reader lands there."""

    def full_clean(self):
        super().full_clean()
        self._mark_focus()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_focus()  # also for an error the view adds after validating (a rate limit)

    def _mark_focus(self):
        if not self._errors:
            return
        names = [name for name in self.fields if name in self._errors] or list(self.fields)
        for name, field in self.fields.items():
            field.widget.attrs.pop("autofocus", None)
            if name == names[0]:
                field.widget.attrs["autofocus"] = True


class SignupForm(FocusFirstErrorMixin, forms.Form):
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
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Please tick the box to agree; without your consent I may not send you anything."
            )
        },
    )

    def __init__(self, *args, source: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        is_guide = source == Subscriber.Source.GUIDE
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>', CONSENT_TEXTS[source], PRIVACY_URL, PRIVACY_NOTE
        )
        self.helper = FormHelper(self)
        self.helper.form_class = "signup-form"
        page = "newsletter:guide" if is_guide else "newsletter:signup"
        self.helper.form_action = f"{reverse(page)}#{SIGNUP_ANCHOR}"
        self.helper.layout = Layout(
            "email",
            "first_name",
            Field("consent", wrapper_class="signup-consent"),
            StrictButton(
                _("Get the free guide") if is_guide else _("Subscribe"),
                type="submit",
                css_class=f"{'btn-accent' if is_guide else 'btn-primary'} w-100",
            ),
        )

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if name and not _FIRST_NAME.match(name):
            raise ValidationError(
                _("Please enter just your first name: letters, spaces and hyphens."),
                code="invalid",
            )
        return name


class GuideLinkForm(FocusFirstErrorMixin, forms.Form):
    """Ask for a fresh download link: only the e-mail address."""

    email = EmailAddressField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = FRESH_LINK_ANCHOR
        self.helper.form_class = "signup-form fresh-link-form"
        self.helper.form_action = f"{reverse('newsletter:guide_link_request')}#{FRESH_LINK_ANCHOR}"
        self.helper.layout = Layout(
            "email",
            StrictButton(_("Send me a fresh link"), type="submit", css_class="btn-primary"),
        )
