"""The one form of "Meine Daten": an e-mail address. It validates; the view calls the service."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

EMAIL_MAX_LENGTH = 254


class DataRequestForm(forms.Form):
    """ "Send me the link to my data": one e-mail address."""

    email = forms.CharField(
        label=_("E-mail address"),
        strip=True,
        help_text=_("The address you signed up or commented with."),
        error_messages={"required": _("Please enter your e-mail address.")},
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_action = reverse_lazy("mydata:request")
        self.helper.form_class = "mydata-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field("email"),
            Submit("send", _("Send me the link"), css_class="btn-primary"),
        )

    def clean_email(self):
        value = self.cleaned_data["email"]
        if len(value) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _(
                    "This e-mail address is too long: an address has at most %(max)s "
                    "characters, this one has %(length)s."
                ),
                code="too_long",
                params={"max": EMAIL_MAX_LENGTH, "length": len(value)},
            )
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValidationError(
                _("Please enter a valid e-mail address, for example anna@example.de."),
                code="invalid",
            ) from error
        return value
