"""Template tags through which blog templates show comments (blog never imports comments).

Contract used by templates/blog/*:
  {% load comments_tags %}
  {% get_comment_counts articles as comment_counts %}   one query: {article_id: approved count}
  {% comment_count comment_counts article %}            "8 Kommentare" / "1 Kommentar" /
                                                        "Noch keine Kommentare"
  {% render_comments article %}                         the whole comment section with its form
And for the admin index: {% pending_comment_count as count %}.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django import template
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.formats import date_format, time_format
from django.utils.html import Urlizer, escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.forms import HONEYPOT_FIELD, AuthorCommentForm, CommentForm
from comments.models import PAGE_PARAMETER, Comment, comment_page_url, comments_per_page
from comments.visitor import can_write_as_author, own_pending_ids

register = template.Library()

REPLY_PARAMETER = "antwort"


@register.simple_tag
def get_comment_counts(articles):
    """{article_id: number of visible approved comments} for a page of articles, in one query.

    Counts what the article page shows: an approved reply under a comment that is no longer
    approved is left out there, so it is left out here too.
    """
    ids = [article.pk for article in articles or ()]
    # `or [0]` keeps it one query for an empty page too, so every page costs the same.
    rows = (
        Comment.objects.approved()
        .filter(article_id__in=ids or [0])
        .order_by("created_at", "id")  # parents before their replies
        .values_list("id", "parent_id", "article_id")
    )
    visible: set[int] = set()
    counts: Counter = Counter()
    for comment_id, parent_id, article_id in rows:
        if parent_id is None or parent_id in visible:
            visible.add(comment_id)
            counts[article_id] += 1
    return dict(counts)


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
# Every word urlize links contains one of these (its patterns, with the same case rules): text
# without any of them comes out of urlize merely escaped, so it can skip urlize's per-word work.
_MAYBE_URL = re.compile(r"http|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


@register.filter(needs_autoescape=False)
def comment_text(value):
    """A reader's plain text as HTML: all escaped, URLs as nofollow links, line breaks kept."""
    text = str(value)
    if _MAYBE_URL.search(text):
        linked = _urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
        # urlize writes rel="nofollow"; any such text typed by a reader was escaped above.
        linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    else:
        linked = escape(text)
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


def _thread_root(node: CommentNode, nodes: dict[int, CommentNode]) -> CommentNode:
    while node.comment.parent_id is not None:
        node = nodes[node.comment.parent_id]
    return node


def _reply_target(request, nodes: dict[int, CommentNode]) -> Comment | None:
    """The approved comment named in ?antwort=<id> (the reply link without JavaScript)."""
    raw = request.GET.get(REPLY_PARAMETER, "") if request is not None else ""
    if not raw.isdigit():
        return None
    node = nodes.get(int(raw))
    if node is None or not node.comment.is_approved:
        return None
    return node.comment


def _requested_page(request) -> int | None:
    """?kommentare=N as a number; anything that is not one (missing, "abc") is None."""
    raw = request.GET.get(PAGE_PARAMETER, "").strip() if request is not None else ""
    try:
        return int(raw)
    except ValueError:
        return None


def _page_number(request, roots, nodes, reply_to: Comment | None, per_page: int) -> int:
    """The comment page to show: the one asked for (kept within 1..last), else the page of the
    comment being answered, else the first."""
    last = max(1, -(-len(roots) // per_page))
    number = _requested_page(request)
    if number is None and reply_to is not None:
        number = roots.index(_thread_root(nodes[reply_to.pk], nodes)) // per_page + 1
    return min(max(number or 1, 1), last)


class _CommentRows:
    """The shown comments in document order, each as the few ready-made values its markup needs.

    The nested lists come from one loop in the template: a comment with replies opens their
    <ol>, and the last comment of a thread closes the lists it ends (`closes`). Dates, classes and
    links are built here once, so the template only prints them.
    """

    def __init__(self, *, article, page_query: str):
        self.rows: list[dict] = []
        self.can_reply = article.comments_open
        self.page_query = page_query
        # One translation lookup per render, not per comment.
        self.date_label = _("%(date)s at %(time)s")
        self.reply_label = _("to the comment by %(name)s")

    def add_thread(self, node: CommentNode) -> None:
        self._add(node, closes=0)

    def _add(self, node: CommentNode, *, closes: int) -> None:
        comment = node.comment
        pk = str(comment.pk)  # a string: no number localisation for ids
        created = localtime(comment.created_at)
        classes = ["comment"]
        if comment.is_author_reply:
            classes.append("comment-by-author")
        if comment.is_pending:
            classes.append("comment-pending")
        row = {
            "id": pk,
            "css": " ".join(classes),
            "initial": comment.name[:1].upper(),
            "name": comment.name,
            "link_url": comment.link_url,
            "by_author": comment.is_author_reply,
            "pending": comment.is_pending,
            "datetime": created.isoformat(),
            "date_label": self.date_label
            % {
                "date": date_format(created, "DATE_FORMAT"),
                "time": time_format(created, "TIME_FORMAT"),
            },
            "text": comment_text(comment.body),
            "reply_href": (
                f"?{self.page_query}{REPLY_PARAMETER}={pk}#kommentar-formular"
                if self.can_reply and comment.is_approved
                else ""
            ),
            "reply_label": self.reply_label % {"name": comment.name},
            "children_class": "",
            "closes": (),
        }
        self.rows.append(row)
        if not node.children:
            row["closes"] = range(closes)
            return
        row["children_class"] = (
            "comment-children comment-children-flat" if node.depth >= 3 else "comment-children"
        )
        last = len(node.children) - 1
        for index, child in enumerate(node.children):
            # The last reply closes this comment's list and item, and whatever this one closes.
            self._add(child, closes=closes + 1 if index == last else 0)


@register.simple_tag(takes_context=True)
def render_comments(context, article):
    """The whole comment section of an article: count, one page of threads, pager, the form.

    One query for the comments whatever their number; the tree and the pages are built here.
    Threads are paged by their first comment, oldest first, COMMENTS_PER_PAGE to a page, each with
    all its replies (Comment.thread_page() finds the same page for links in e-mails).
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

    per_page = comments_per_page()
    number = _page_number(request, roots, nodes, reply_to, per_page)
    num_pages = max(1, -(-len(roots) // per_page))
    page_query = f"{PAGE_PARAMETER}={number}&" if number > 1 else ""
    rows = _CommentRows(article=article, page_query=page_query)
    for node in roots[(number - 1) * per_page : number * per_page]:
        rows.add_thread(node)

    article_url = article.get_absolute_url()
    pager = None
    if num_pages > 1:
        pager = {
            "number": number,
            "num_pages": num_pages,
            "older_url": (
                comment_page_url(article_url, number - 1, "kommentare") if number > 1 else ""
            ),
            "newer_url": (
                comment_page_url(article_url, number + 1, "kommentare")
                if number < num_pages
                else ""
            ),
            "pages": [
                {
                    "number": page,
                    "url": comment_page_url(article_url, page, "kommentare"),
                    "current": page == number,
                }
                if page != Paginator.ELLIPSIS
                else {"ellipsis": page}
                for page in _page_range(number, num_pages)
            ],
        }

    return render_to_string(
        "comments/includes/section.html",
        {
            "article": article,
            "comments": rows.rows,
            "pager": pager,
            "count_label": comment_count_label(approved_count),
            "form": form,
            "form_token": form.token_for_render(),
            "form_query": f"?{PAGE_PARAMETER}={number}" if number > 1 else "",
            "reply_to": reply_to,
            "as_author": as_author,
            "author_name": (user.get_full_name() or user.get_username()) if as_author else "",
            "honeypot_field": HONEYPOT_FIELD,
        },
        request=request,
    )


def _page_range(number: int, num_pages: int):
    """Page numbers around the current one, with ellipses for long runs (1 2 … 7 8 9 … 20 21)."""
    return Paginator(range(num_pages), 1).get_elided_page_range(number, on_each_side=2, on_ends=1)
