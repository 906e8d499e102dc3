"""The consultation request form: it validates (spam checks included) and hands the data on."""

import re

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from contact.models import Topic, retention_period
from core.antispam import HONEYPOT_FIELD, TOKEN_FIELD, SpamCheckedForm
from core.fields import PlainTextField, VisitorEmailField, VisitorNameField
from core.params import positive_int

MAX_PHONE_LENGTH = 40
MAX_MESSAGE_LENGTH = 5000
FIELD_ID = "kontakt-%s"  # apart from the ids of the sidebar's signup forms
PRIVACY_URL = "/datenschutz/"
# Digits with the usual separators and an optional leading +: "+49 30 123456", "(030) 12-34/56".
_PHONE = re.compile(r"^\+?[0-9 ()/.-]{3,}$")


def consent_text() -> str:
    """The consent as the visitor reads it next to the checkbox (stored with her request)."""
    return gettext(
        "I agree that my details are used only to answer this request. They are deleted "
        "%(period)s after the request is closed."
    ) % {"period": retention_period()}


class TopicField(forms.ModelChoiceField):
    """A topic the form offers; anything else (a number too big, letters) is simply not one."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if positive_int(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ConsultationRequestForm(SpamCheckedForm):
    """A visitor asks for a consultation: who she is, how to reach her, what it is about."""

    min_seconds_setting = "CONTACT_MIN_FORM_SECONDS"
    max_seconds_setting = "CONTACT_MAX_FORM_SECONDS"
    spam_messages = {
        **SpamCheckedForm.spam_messages,
        "honeypot": _(
            "Your request could not be accepted: a hidden field that must stay empty was filled "
            "in. If your browser fills in forms automatically, please send the form again "
            "without that."
        ),
        "token_too_fast": _("That was very quick. Please check your request and send it again."),
    }

    name = VisitorNameField()
    email = VisitorEmailField()
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=MAX_PHONE_LENGTH,
        required=False,
        help_text=_("If you would rather talk than write: I call you back."),
        error_messages={
            "max_length": ngettext_lazy(
                "A phone number has at most %(limit_value)d character "
                "(this one has %(show_value)d).",
                "A phone number has at most %(limit_value)d characters "
                "(this one has %(show_value)d).",
                "limit_value",
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    topic = TopicField(
        label=_("Topic (optional)"),
        queryset=Topic.objects.offered(),
        required=False,
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose one of the topics in the list.")},
    )
    message = PlainTextField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_("What is it about, and what would you like to achieve?"),
        error_messages={
            "required": _("Please write a few words about your request."),
            "max_length": ngettext_lazy(
                "Your message may have at most %(limit_value)d character "
                "(it has %(show_value)d). Please shorten it.",
                "Your message may have at most %(limit_value)d characters "
                "(it has %(show_value)d). Please shorten it.",
                "limit_value",
            ),
        },
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree that I may use your details to answer your request."),
        },
    )

    def token_scope(self) -> str:
        return reverse("contact:request")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text()
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', PRIVACY_URL, gettext("More in the privacy policy.")
        )
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper(self)
        # After a refused POST the page opens at the form's panel, with its messages in view.
        helper.form_action = reverse("contact:request") + "#kontakt-formular"
        helper.form_class = "contact-form"
        helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            Row(Column("phone", css_class="col-md-6"), Column("topic", css_class="col-md-6")),
            "message",
            Div(HONEYPOT_FIELD, css_class="form-hp", aria_hidden="true"),
            TOKEN_FIELD,
            "consent",
            StrictButton(_("Send request"), type="submit", css_class="btn-primary"),
        )
        return helper

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Please enter a phone number with digits only, such as +49 30 1234567."),
                code="invalid",
            )
        return phone

    def clean_message(self):
        message = self.cleaned_data["message"]
        if not message.strip():
            raise forms.ValidationError(
                _("Please write a few words about your request."), code="required"
            )
        return message
