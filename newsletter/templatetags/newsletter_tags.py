"""Template tags of the newsletter: the sidebar signup forms."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from newsletter.consent import PRIVACY_NOTE, PRIVACY_URL
from newsletter.forms import SignupForm
from newsletter.models import Subscriber

register = template.Library()


@register.inclusion_tag("newsletter/includes/signup_form.html", takes_context=True)
def signup_form(context, source: str):
    """An empty signup form for `source` ("guide" or "newsletter"), without a database query."""
    is_guide = source == Subscriber.Source.GUIDE
    return {
        "form": SignupForm(source=source, auto_id=f"box-{source}-%s"),
        "action": reverse("newsletter:guide" if is_guide else "newsletter:signup"),
        "submit_label": _("Get the free guide") if is_guide else _("Subscribe"),
        "highlight": is_guide,
        "privacy_note": PRIVACY_NOTE,
        "privacy_url": PRIVACY_URL,
        "csrf_token": context.get("csrf_token"),
    }
