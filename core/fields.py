"""Form fields the public forms share: who a visitor is (name, e-mail address) and what she wrote.

The comment form and the consultation request form use them, so that both ask and answer alike.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


class PlainTextField(forms.CharField):
    """Text from a textarea with line breaks as one character each, as the browser counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class VisitorNameField(forms.CharField):
    """A visitor's name, on one line: a line break would mean nothing in a name and must never
    reach a mail header, so all white space becomes single spaces."""

    default_error_messages = {
        "required": _("Please enter your name."),
        "max_length": ngettext_lazy(
            "Your name may have at most %(limit_value)d character (it has %(show_value)d).",
            "Your name may have at most %(limit_value)d characters (it has %(show_value)d).",
            "limit_value",
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Name"))
        kwargs.setdefault("max_length", NAME_MAX_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class VisitorEmailField(forms.EmailField):
    """A visitor's e-mail address, with one clear message per problem."""

    default_error_messages = {
        "required": _("Please enter your e-mail address."),
        "invalid": _("Please enter a valid e-mail address, such as name@example.de."),
        "max_length": ngettext_lazy(
            "An e-mail address has at most %(limit_value)d character "
            "(this one has %(show_value)d).",
            "An e-mail address has at most %(limit_value)d characters "
            "(this one has %(show_value)d).",
            "limit_value",
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("E-mail address"))
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault(
            "widget", forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        )
        super().__init__(**kwargs)
