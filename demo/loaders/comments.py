"""Demo comments: readers' questions and the author's answers (content/comments/, FORMAT.md).

A comment is looked up by its article and text: what exists is left as it is. Threads of articles
that do not exist or are not published are skipped, so the author may delete a demo article.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from blog.models import Article
from comments.models import Comment, SpamWord, comment_fingerprint
from demo.content import CONTENT_DIR, DemoContentError, check, read_toml

COMMENTS_DIR = CONTENT_DIR / "comments"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

COMMENT_SCHEMA = {
    "key": "text",
    "parent?": "text",
    "by_author?": "bool",
    "name?": "text",
    "email?": "text",
    "url?": "text",
    "status?": "text",
    "note?": "text",
    "hours": "number",
    "body": "prose",
}
READER_ONLY = ("name", "email", "url", "status", "note")


@dataclass(frozen=True)
class DemoComment:
    """One comment of a thread file; `hours` after the article's publication (negative: before
    the load, for comments that wait for moderation)."""

    key: str
    body: str
    hours: float
    parent: str = ""
    by_author: bool = False
    name: str = ""
    email: str = ""
    url: str = ""
    status: str = Comment.Status.APPROVED
    note: str = ""


@dataclass(frozen=True)
class CommentsContent:
    spam_words: list[str]
    threads: dict[str, list[DemoComment]]  # article slug → comments in the order of the file


def read_thread(path: Path) -> list[DemoComment]:
    data = check(path, read_toml(path), {"comments": [COMMENT_SCHEMA]})
    thread: list[DemoComment] = []
    for number, entry in enumerate(data["comments"], start=1):
        where = f"{path.name}: comment {number} ({entry['key']!r})"
        if not KEY.match(entry["key"]):
            raise DemoContentError(f"{where}: key may only use a-z, 0-9 and '-'")
        if any(c.key == entry["key"] for c in thread):
            raise DemoContentError(f"{where}: another comment already has this key")
        if "parent" in entry and not any(c.key == entry["parent"] for c in thread):
            raise DemoContentError(
                f"{where}: parent {entry['parent']!r} must be the key of a comment above it"
            )
        if entry.get("by_author"):
            given = [key for key in READER_ONLY if key in entry]
            if given:
                raise DemoContentError(
                    f"{where}: an author reply takes name and e-mail from the author's account; "
                    f"remove {', '.join(given)}"
                )
            if "parent" not in entry:
                raise DemoContentError(f"{where}: an author reply needs the parent it answers")
        else:
            if "name" not in entry or "email" not in entry:
                raise DemoContentError(f"{where}: a reader's comment needs name and email")
            status = entry.get("status", Comment.Status.APPROVED)
            if status not in Comment.Status.values:
                raise DemoContentError(
                    f"{where}: status must be one of {', '.join(Comment.Status.values)}"
                )
        thread.append(DemoComment(**entry))
    return thread


def read(directory: Path = COMMENTS_DIR, *, article_slugs: set[str]) -> CommentsContent:
    """Read and check spam-words.toml and threads/<article-slug>.toml."""
    path = directory / "spam-words.toml"
    words = check(path, read_toml(path), {"words": ["text"]})["words"]
    threads = {}
    for path in sorted(directory.glob("threads/*.toml")):
        if path.stem not in article_slugs:
            raise DemoContentError(
                f"{path.name}: the file name must be the slug of a demo article; "
                f"there is no article {path.stem!r}"
            )
        threads[path.stem] = read_thread(path)
    return CommentsContent(spam_words=words, threads=threads)


def _created_at(article, hours: float, now: datetime) -> datetime:
    if hours < 0:  # pending and spam: recent, so they wait on top of the moderation list
        return now - timedelta(hours=-hours)
    return min(article.published_at + timedelta(hours=hours), now - timedelta(minutes=5))


def load(content: CommentsContent, *, author, stdout=None, now: datetime | None = None) -> int:
    """Create the demo comments and spam words that are missing; returns how many comments."""
    now = now or timezone.now()
    for word in content.spam_words:
        if not SpamWord.objects.filter(word__iexact=word).exists():
            SpamWord.objects.create(word=word)
    created = 0
    for slug, thread in content.threads.items():
        article = Article.objects.published().filter(slug=slug).first()
        if article is not None:
            created += _load_thread(article, thread, author=author, now=now)
    if stdout is not None:
        stdout.write(f"Comments: {created} demo comment(s) created.")
    return created


def _load_thread(article, thread: list[DemoComment], *, author, now: datetime) -> int:
    by_key: dict[str, Comment] = {}
    created = 0
    for item in thread:
        existing = Comment.objects.filter(article=article, body=item.body).first()
        if existing is not None:
            by_key[item.key] = existing
            continue
        parent = by_key.get(item.parent) if item.parent else None
        if item.parent and parent is None:
            continue
        created_at = _created_at(article, item.hours, now)
        if item.by_author:
            fields = {
                "name": author.get_full_name() or author.get_username(),
                "email": author.email or "",
                "is_author_reply": True,
                "user": author,
                "moderated_by": author,
                "moderated_at": created_at,
            }
        else:
            fields = {
                "name": item.name,
                "email": item.email,
                "url": item.url,
                "moderation_note": item.note,
                "fingerprint": comment_fingerprint(
                    article_id=article.pk, email=item.email, body=item.body
                ),
                "ip_address": "192.0.2.44" if item.hours < 0 else None,
                "user_agent": "Mozilla/5.0 (Demo)" if item.hours < 0 else "",
            }
            if item.status == Comment.Status.APPROVED:
                fields.update(moderated_by=author, moderated_at=created_at + timedelta(hours=1))
        by_key[item.key] = Comment.objects.create(
            article=article,
            parent=parent,
            body=item.body,
            status=Comment.Status.APPROVED if item.by_author else item.status,
            created_at=created_at,
            **fields,
        )
        created += 1
    return created
