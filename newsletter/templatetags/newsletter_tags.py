"""Template tags of the newsletter: the sidebar signup forms."""

from django import template

from newsletter.forms import SignupForm

register = template.Library()


@register.inclusion_tag("newsletter/includes/signup_form.html", takes_context=True)
def signup_form(context, source: str):
    """An empty signup form for `source` ("guide" or "newsletter"), without a database query."""
    return {
        "form": SignupForm(source=source, auto_id=f"box-{source}-%s"),
        "csrf_token": context.get("csrf_token"),
    }
