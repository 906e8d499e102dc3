"""Template tags of the newsletter: the sidebar signup forms and the admin index summary."""

from django import template
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from newsletter.consent import PRIVACY_NOTE, PRIVACY_URL
from newsletter.forms import SignupForm
from newsletter.models import Guide, Subscriber

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


@register.simple_tag
def newsletter_admin_summary() -> dict:
    """Counts for the admin index: subscribers by status and guide downloads (two queries)."""
    by_status = dict(Subscriber.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "confirmed": by_status.get(Subscriber.Status.CONFIRMED, 0),
        "pending": by_status.get(Subscriber.Status.PENDING, 0),
        "unsubscribed": by_status.get(Subscriber.Status.UNSUBSCRIBED, 0),
        "downloads": Guide.objects.aggregate(total=Sum("download_count"))["total"] or 0,
    }
