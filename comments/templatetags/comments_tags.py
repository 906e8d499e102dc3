"""Template tags through which blog templates show comments. (Stub; the comments issue fills it.)

Contract used by templates/blog/*:
  {% load comments_tags %}
  {% get_comment_counts articles as comment_counts %}   one query: {article_id: approved count}
  {% comment_count comment_counts article %}            "8 Kommentare" / "1 Kommentar" / "Noch keine Kommentare"
  {% render_comments article %}                         the whole comment section with its form
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def get_comment_counts(articles):
    return {}


@register.simple_tag
def comment_count(counts, article):
    return _("No comments yet")


@register.simple_tag(takes_context=True)
def render_comments(context, article):
    return ""
