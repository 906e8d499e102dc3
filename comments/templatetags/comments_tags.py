"""Template tags through which blog templates show comments (blog never imports comments).

Contract used by templates/blog/*:
  {% load comments_tags %}
  {% get_comment_counts articles as comment_counts %}   one query: {article_id: approved count}
  {% comment_count comment_counts article %}            "8 Kommentare" / "1 Kommentar" /
                                                        "Noch keine Kommentare"
  {% render_comments article %}                         the whole comment section with its form
And for the admin index: {% pending_comment_count as count %}.
"""

from dataclasses import dataclass, field

from django import template
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.forms import HONEYPOT_FIELD, AuthorCommentForm, CommentForm
from comments.models import Comment
from comments.views import can_write_as_author, own_pending_ids

register = template.Library()

# Deeper replies are still shown, but no further indented: the column would get too narrow.
MAX_DEPTH = 4
REPLY_PARAMETER = "antwort"


@register.simple_tag
def get_comment_counts(articles):
    """{article_id: number of approved comments} for a page of articles, in one query."""
    ids = [article.pk for article in articles or ()]
    # `or [0]` keeps it one query for an empty page too, so every page costs the same.
    rows = (
        Comment.objects.approved()
        .filter(article_id__in=ids or [0])
        .order_by()
        .values("article_id")
        .annotate(count=Count("id"))
        .values_list("article_id", "count")
    )
    return dict(rows)


def comment_count_label(count: int) -> str:
    if not count:
        return _("No comments yet")
    return ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}


@register.simple_tag
def comment_count(counts, article):
    """ "8 Kommentare" / "1 Kommentar" / "Noch keine Kommentare" from get_comment_counts."""
    count = counts.get(article.pk, 0) if hasattr(counts, "get") else 0
    return comment_count_label(count)


@register.simple_tag
def pending_comment_count():
    """How many comments wait for the author's decision (admin index)."""
    return Comment.objects.pending().count()


class _NoEmailUrlizer(Urlizer):
    # Addresses in a comment stay plain text: a mailto link would only feed address harvesters.
    @staticmethod
    def is_email_simple(value):
        return False


_urlize = _NoEmailUrlizer()


@register.filter(needs_autoescape=False)
def comment_text(value):
    """A reader's plain text as HTML: all escaped, URLs as nofollow links, line breaks kept."""
    linked = _urlize(str(value), trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize writes rel="nofollow"; any such text typed by a reader was escaped above.
    linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    return mark_safe(linebreaks(linked, autoescape=False))


@register.filter
def comment_widget(bound_field):
    """A field's widget with Bootstrap classes, marked invalid and described by its errors."""
    checkbox = bound_field.widget_type == "checkbox"
    css = "form-check-input" if checkbox else "form-control"
    attrs = {}
    described_by = []
    if bound_field.errors:
        css += " is-invalid"
        described_by.append(f"{bound_field.auto_id}_error")
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    children: list["CommentNode"] = field(default_factory=list)

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_DEPTH)


def build_comment_tree(comments) -> tuple[list[CommentNode], dict[int, CommentNode]]:
    """Nest comments (oldest first) under their parents; replies to hidden comments are left out."""
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:  # oldest first, so every parent comes before its replies
        if comment.parent_id is None:
            node = CommentNode(comment, 0)
            roots.append(node)
        elif comment.parent_id in nodes:
            parent = nodes[comment.parent_id]
            node = CommentNode(comment, parent.depth + 1)
            parent.children.append(node)
        else:
            continue
        nodes[comment.pk] = node
    return roots, nodes


def _reply_target(request, nodes: dict[int, CommentNode]) -> Comment | None:
    """The approved comment named in ?antwort=<id> (the reply link without JavaScript)."""
    raw = request.GET.get(REPLY_PARAMETER, "") if request is not None else ""
    if not raw.isdigit():
        return None
    node = nodes.get(int(raw))
    if node is None or not node.comment.is_approved:
        return None
    return node.comment


@register.simple_tag(takes_context=True)
def render_comments(context, article):
    """The whole comment section of an article: count, nested comments, the form.

    One query for the comments whatever their number; the tree is built here in Python.
    """
    request = context.get("request")
    own_ids = own_pending_ids(request) if request is not None else []
    comments = list(
        Comment.objects.shown_on_article(article, own_pending_ids=own_ids).only(
            "id",
            "article_id",
            "parent_id",
            "name",
            "url",
            "body",
            "status",
            "is_author_reply",
            "created_at",
        )
    )
    roots, nodes = build_comment_tree(comments)
    approved_count = sum(1 for node in nodes.values() if node.comment.is_approved)
    user = getattr(request, "user", None)
    as_author = can_write_as_author(user)

    form = context.get("comment_form")
    if form is None or getattr(form, "article", None) != article:
        reply_to = _reply_target(request, nodes)
        initial = {"parent": reply_to.pk} if reply_to else {}
        form_class = AuthorCommentForm if as_author else CommentForm
        form = form_class(article=article, initial=initial)
    else:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
        if reply_to is not None:
            reply_to = nodes[reply_to.pk].comment if reply_to.pk in nodes else None

    return render_to_string(
        "comments/includes/section.html",
        {
            "article": article,
            "roots": roots,
            "count_label": comment_count_label(approved_count),
            "form": form,
            "form_token": form.token_for_render(),
            "reply_to": reply_to,
            "as_author": as_author,
            "author_name": (user.get_full_name() or user.get_username()) if as_author else "",
            "honeypot_field": HONEYPOT_FIELD,
            "reply_parameter": REPLY_PARAMETER,
        },
        request=request,
    )
