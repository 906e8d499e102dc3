"""Template tags of the contact app: the sidebar box's texts."""

from django import template

from contact.models import ContactPage

register = template.Library()


@register.simple_tag
def contact_box() -> ContactPage:
    """The author's texts for the sidebar box (one query; the sidebar is a kept fragment, so
    pages served from the page cache or from kept parts do not run it)."""
    return ContactPage.current()
