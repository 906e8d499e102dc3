"""Template tags through which blog templates show comments (blog never imports comments).

Contract used by templates/blog/*:
  {% load comments_tags %}
  {% get_comment_counts articles as comment_counts %}   one query: {article_id: shown count}
  {% comment_count comment_counts article %}            "8 Kommentare" / "1 Kommentar" /
                                                        "Noch keine Kommentare"
  {% render_comments article %}                         the whole comment section with its form

Which comments, in which threads, on which page and how many: comments.threads. These tags only
choose the form and hand the selector's answer to the templates in templates/comments/includes/.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.formats import date_format, time_format
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.forms import HONEYPOT_FIELD, AuthorCommentForm, CommentForm
from comments.links import linked_text
from comments.models import Comment
from comments.threads import (
    PAGE_PARAMETER,
    REPLY_PARAMETER,
    ThreadRow,
    visible_counts,
    visible_threads,
)
from comments.visitor import can_write_as_author, own_pending_ids
from core.fragments import cached_fragment

register = template.Library()


@register.simple_tag
def get_comment_counts(articles):
    """{article_id: number of comments shown} for a page of articles, in one query."""
    return visible_counts(articles)


def comment_count_label(count: int) -> str:
    if not count:
        return _("No comments yet")
    return ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}


@register.simple_tag
def comment_count(counts, article):
    """ "8 Kommentare" / "1 Kommentar" / "Noch keine Kommentare" from get_comment_counts."""
    count = counts.get(article.pk, 0) if hasattr(counts, "get") else 0
    return comment_count_label(count)


@register.filter(needs_autoescape=False)
def comment_text(value):
    """A reader's plain text as HTML: all escaped, URLs as nofollow links, line breaks kept."""
    return mark_safe(linebreaks(linked_text(value), autoescape=False))


def _printable(rows: list[ThreadRow]) -> list[tuple[dict | None, int, bool]]:
    """The page's rows with each comment as the values the comment list prints.

    Built here because it is the costly part of the page: formatting them in the template
    (filters, blocktranslate, lookups on model instances) made the article with 80 comments on
    its page a fifth slower to render. Dicts (what templates read fastest), the ids as strings (so
    they are never localised), the date in words, the text as HTML, and each translation looked
    up once per page. Classes and nesting stay in the template.
    """
    written = _("%(date)s at %(time)s")
    reply_label = _("to the comment by %(name)s")

    def values(comment: Comment) -> dict:
        created = localtime(comment.created_at)
        return {
            "id": str(comment.pk),
            "initial": comment.name[:1].upper(),
            "name": comment.name,
            "link_url": comment.link_url,
            "by_author": comment.is_author_reply,
            "pending": comment.is_pending,
            "approved": comment.is_approved,
            "datetime": created.isoformat(),
            "date_label": written
            % {
                "date": date_format(created, "DATE_FORMAT"),
                "time": time_format(created, "TIME_FORMAT"),
            },
            "text": comment_text(comment.body),
            "reply_label": reply_label % {"name": comment.name},
        }

    return [
        (values(comment) if comment is not None else None, depth, has_replies)
        for comment, depth, has_replies in rows
    ]


@register.simple_tag(takes_context=True)
def render_comments(context, article):
    """The whole comment section of an article: count, one page of threads, pager, the form.

    Which comments, in which threads and on which page: comments.threads (one query). Here the
    form is chosen; the markup, nesting and classes are in templates/comments/includes/.
    """
    request = context.get("request")
    query = request.GET if request is not None else {}
    pending_ids = own_pending_ids(request) if request is not None else []
    user = getattr(request, "user", None)
    as_author = can_write_as_author(user)
    form = context.get("comment_form")
    fresh_form = form is None or getattr(form, "article", None) != article

    def render():
        return _render_section(context, article, query, pending_ids, as_author, user, form)

    if pending_ids or not fresh_form:
        # Her own pending comments, or the form sent back with its errors: hers alone.
        return render()
    # The same for every visitor on this comment page: kept once rendered (core/fragments.py).
    key = (
        "comments",
        article.pk,
        query.get(PAGE_PARAMETER, ""),
        query.get(REPLY_PARAMETER, ""),
        as_author,
        (user.get_full_name() or user.get_username()) if as_author else "",
    )
    return cached_fragment(request, key, render)


def _render_section(context, article, query, pending_ids, as_author, user, form):
    request = context.get("request")
    threads = visible_threads(article, own_pending_ids=pending_ids)
    if form is None or getattr(form, "article", None) != article:
        reply_to = threads.reply_target(query.get(REPLY_PARAMETER))
        form_class = AuthorCommentForm if as_author else CommentForm
        form = form_class(article=article, initial={"parent": reply_to.pk} if reply_to else {})
    else:  # the POST view shows its form again, with the errors
        parent = getattr(form, "cleaned_data", {}).get("parent")
        reply_to = threads.get(parent.pk) if parent is not None else None

    page = threads.page(
        requested=query.get(PAGE_PARAMETER),
        reply_to=reply_to,
        article_url=article.get_absolute_url(),
    )
    return render_to_string(
        "comments/includes/section.html",
        {
            "article": article,
            "page": page,
            "rows": _printable(page.rows),
            "count_label": comment_count_label(threads.approved_count),
            "form": form,
            "form_token": form.token_for_render(),
            "reply_to": reply_to,
            "as_author": as_author,
            "author_name": (user.get_full_name() or user.get_username()) if as_author else "",
            "honeypot_field": HONEYPOT_FIELD,
        },
        request=request,
    )
