"""Which comments one visitor sees under an article, in which threads, on which comment page.

The one place for thread arithmetic: the article's comment section (through the template tags),
`Comment.thread_page()` and `get_absolute_url()` (links in e-mails), the redirect after posting and
the comment counts on list pages all ask this module. Who may see a comment is the QuerySet's rule
(`Comment.objects.approved()`, `shown_to()`); the rule added here is about threads: a reply is
shown only under a shown comment, so the replies under a hidden comment are left out everywhere.
Threads are paged by their first comment, oldest first, COMMENTS_PER_PAGE to a page, each with all
its replies.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.core.paginator import Paginator

from comments.models import Comment

# ?kommentare=N: which page of threads an article page shows.
PAGE_PARAMETER = "kommentare"
# ?antwort=<id>: the comment the form answers, for the reply link that works without JavaScript.
REPLY_PARAMETER = "antwort"

# What the article page loads of each comment: what the comment list prints, and no more.
_LISTED_FIELDS = (
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

T = TypeVar("T")


def comments_per_page() -> int:
    """Top-level threads per comment page (each with all its replies)."""
    return max(1, int(getattr(settings, "COMMENTS_PER_PAGE", 50)))


def comment_page_url(article_url: str, page: int, anchor: str) -> str:
    """The article's URL showing comment page `page` (page 1 without a parameter), at `anchor`."""
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{article_url}{query}#{anchor}"


def _page_of_position(position: int) -> int:
    """The comment page of the thread that comes `position`-th (from 0), oldest first."""
    return position // comments_per_page() + 1


def _in_threads(rows: Iterable[tuple[int, int | None, T]]) -> Iterator[tuple[T, T | None]]:
    """Each (id, parent id, item) row, oldest first, as its item and its parent's item (None for
    the first comment of a thread).

    A reply whose parent is not among the rows (hidden, or not shown to this visitor) is left out,
    and so are the replies under it: a comment that is not shown carries no thread.
    """
    kept: dict[int, T] = {}
    for pk, parent_id, item in rows:  # oldest first, so every parent comes before its replies
        if parent_id is None:
            parent = None
        elif parent_id in kept:
            parent = kept[parent_id]
        else:
            continue
        kept[pk] = item
        yield item, parent


@dataclass(eq=False)
class CommentNode:
    """A shown comment with the shown replies under it."""

    comment: Comment
    depth: int = 0
    replies: list["CommentNode"] = field(default_factory=list)


class ThreadRow(NamedTuple):
    """One step through a page's threads in document order: a comment (opening the list of its
    replies if it has any), or, with comment None, the end of the replies opened further up.

    A tuple, so that the template's loop unpacks it without a lookup per field.
    """

    comment: Comment | None = None
    depth: int = 0
    has_replies: bool = False


_END_OF_REPLIES = ThreadRow()


@dataclass(frozen=True)
class PageLink:
    """One entry of the pager: a page (its number and URL) or, with number None, a gap."""

    number: int | None
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class CommentPage:
    """One comment page of an article: its threads as rows, and where the other pages are."""

    number: int
    num_pages: int
    rows: list[ThreadRow]
    article_url: str

    def url(self, number: int) -> str:
        return comment_page_url(self.article_url, number, "kommentare")

    @property
    def query(self) -> str:
        """The query string that keeps this page (for the form's action): "?kommentare=2"."""
        return f"?{PAGE_PARAMETER}={self.number}" if self.number > 1 else ""

    @property
    def reply_query(self) -> str:
        """The start of a reply link on this page, the comment's id goes after it."""
        return f"{self.query}&{REPLY_PARAMETER}=" if self.query else f"?{REPLY_PARAMETER}="

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1) if self.number < self.num_pages else ""

    @cached_property
    def links(self) -> list[PageLink]:
        """Page numbers around this one, with gaps for long runs (1 2 … 7 8 9 … 20 21)."""
        pages = Paginator(range(self.num_pages), 1).get_elided_page_range(
            self.number, on_each_side=2, on_ends=1
        )
        return [
            PageLink(page, self.url(page), page == self.number)
            if page != Paginator.ELLIPSIS
            else PageLink(None)
            for page in pages
        ]


class ArticleThreads:
    """The comments one visitor sees under an article, as threads, oldest thread first."""

    def __init__(self, comments: Iterable[Comment]):
        """`comments`: what the visitor may see, oldest first (Comment.objects.shown_on_article)."""
        self.threads: list[CommentNode] = []
        self._nodes: dict[int, CommentNode] = {}
        for node, parent in _in_threads((c.pk, c.parent_id, CommentNode(c)) for c in comments):
            if parent is None:
                self.threads.append(node)
            else:
                node.depth = parent.depth + 1
                parent.replies.append(node)
            self._nodes[node.comment.pk] = node

    @property
    def approved_count(self) -> int:
        """How many approved comments the threads hold (what the heading counts)."""
        return sum(1 for node in self._nodes.values() if node.comment.is_approved)

    @property
    def num_pages(self) -> int:
        """The page of the last thread (one page when there are none)."""
        return _page_of_position(max(len(self.threads) - 1, 0))

    def get(self, pk) -> Comment | None:
        """The shown comment with this id, if there is one."""
        node = self._nodes.get(pk)
        return node.comment if node is not None else None

    def reply_target(self, raw: str | None) -> Comment | None:
        """The approved comment named by ?antwort=<id>, if it is shown here."""
        raw = raw or ""
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 20:
            return None
        comment = self.get(int(raw))
        return comment if comment is not None and comment.is_approved else None

    def page_of(self, comment: Comment) -> int:
        """The comment page that shows the thread of `comment` (one of the shown comments)."""
        node = self._nodes[comment.pk]
        while node.comment.parent_id is not None:
            node = self._nodes[node.comment.parent_id]
        return _page_of_position(self.threads.index(node))

    def page(
        self, *, requested: str | None, reply_to: Comment | None, article_url: str
    ) -> CommentPage:
        """The comment page to show: the one asked for by ?kommentare=N (kept within 1..last),
        else the page of the comment being answered, else the first."""
        number = _as_number(requested)
        if number is None and reply_to is not None:
            number = self.page_of(reply_to)
        num_pages = self.num_pages
        number = min(max(number or 1, 1), num_pages)
        per_page = comments_per_page()
        shown = self.threads[(number - 1) * per_page : number * per_page]
        return CommentPage(
            number=number,
            num_pages=num_pages,
            rows=list(_document_order(shown)),
            article_url=article_url,
        )


def _as_number(raw: str | None) -> int | None:
    """?kommentare=N as a number; anything that is not one (missing, "abc") is None."""
    try:
        return int((raw or "").strip())
    except ValueError:
        return None


def _document_order(threads: list[CommentNode]) -> Iterator[ThreadRow]:
    """The threads' comments as the page lists them: each comment, then its replies, then the end
    of their list (without recursion, so a long chain of replies to replies cannot overflow)."""
    stack: list[CommentNode | None] = list(reversed(threads))
    while stack:
        node = stack.pop()
        if node is None:
            yield _END_OF_REPLIES
            continue
        yield ThreadRow(node.comment, node.depth, bool(node.replies))
        if node.replies:
            stack.append(None)
            stack.extend(reversed(node.replies))


def visible_threads(article, *, own_pending_ids=()) -> ArticleThreads:
    """The threads one visitor sees under `article`, in one query whatever their number."""
    comments = Comment.objects.shown_on_article(article, own_pending_ids=own_pending_ids).only(
        *_LISTED_FIELDS
    )
    return ArticleThreads(comments)


def thread_page(comment: Comment, *, own_pending_ids=()) -> int:
    """The comment page (?kommentare=N) that shows the thread of `comment`, in one query.

    The threads before it count if this visitor sees them (approved, or among `own_pending_ids`,
    her own). The comment's own thread always counts, so the link in the moderation e-mail leads
    to where a pending comment appears once approved.
    """
    if comment.pk is None:
        return 1
    rows = list(
        Comment.objects.filter(article_id=comment.article_id)
        .with_shown_flag(own_pending_ids=own_pending_ids)
        .order_by("created_at", "id")
        .values_list("id", "parent_id", "is_shown")
    )
    parents = {pk: parent_id for pk, parent_id, _shown in rows}
    root, seen = comment.pk, set()
    while parents.get(root) is not None and root not in seen:
        seen.add(root)
        root = parents[root]
    if root not in parents or parents[root] is not None:  # not this article's, or a loop
        return 1
    threads = [pk for pk, parent_id, shown in rows if parent_id is None and (shown or pk == root)]
    return _page_of_position(threads.index(root))


def comment_url(comment: Comment, *, own_pending_ids=()) -> str:
    """The comment's address: its article on the comment page of its thread, at the comment."""
    page = thread_page(comment, own_pending_ids=own_pending_ids)
    return comment_page_url(comment.article.get_absolute_url(), page, f"kommentar-{comment.pk}")


def visible_counts(articles) -> dict[int, int]:
    """{article id: how many comments its page shows every reader} for a list of articles, in one
    query (also for an empty list, so that every page costs the same)."""
    ids = [article.pk for article in articles or ()]
    rows = (
        Comment.objects.approved()
        .filter(article_id__in=ids or [0])
        .order_by("created_at", "id")
        .values_list("id", "parent_id", "article_id")
    )
    return dict(Counter(article_id for article_id, _parent in _in_threads(rows)))
