"""The moderation policy: which status a new reader comment starts in, and why.

No third-party service: a word list the author edits in the admin, a hold for comments with many
links (counted as the page will show them, comments/links.py), and (switched off by default)
auto-approval of people the author has approved before.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from comments.links import count_links
from comments.models import Comment, SpamWord


@dataclass(frozen=True)
class Verdict:
    """The starting status of a comment, with a note for the author when a rule decided it."""

    status: str
    note: str = ""


def matching_spam_word(words, *texts: str) -> str | None:
    """The first word of `words` found as a whole word in any of `texts`, ignoring case."""
    haystack = "\n".join(text for text in texts if text)
    for word in words:
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", haystack, re.IGNORECASE):
            return word
    return None


class ModerationPolicy:
    """Decides the starting status of a reader's comment; the author decides the rest."""

    def __init__(self, *, link_limit: int | None = None, auto_approve_known: bool | None = None):
        self.link_limit = (
            link_limit if link_limit is not None else getattr(settings, "COMMENTS_LINK_LIMIT", 2)
        )
        self.auto_approve_known = (
            auto_approve_known
            if auto_approve_known is not None
            else getattr(settings, "COMMENTS_AUTO_APPROVE_KNOWN", False)
        )

    def spam_words(self) -> list[str]:
        return list(SpamWord.objects.values_list("word", flat=True))

    def judge(self, *, name: str, email: str, url: str, body: str, ip: str | None = "") -> Verdict:
        word = matching_spam_word(self.spam_words(), name, email, url, body, ip or "")
        if word:
            return Verdict(
                Comment.Status.SPAM,
                gettext("Contains “%(word)s” from the spam word list.") % {"word": word},
            )
        links = count_links(body) + count_links(name)
        if links >= self.link_limit:
            return Verdict(
                Comment.Status.PENDING,
                gettext("Held: %(count)s links.") % {"count": links},
            )
        if self.auto_approve_known and self.is_known_commenter(email):
            return Verdict(
                Comment.Status.APPROVED,
                gettext("Approved automatically: an earlier comment was approved."),
            )
        return Verdict(Comment.Status.PENDING)

    def is_known_commenter(self, email: str) -> bool:
        """Someone with this address had a comment approved before."""
        if not email:
            return False
        return (
            Comment.objects.approved()
            .filter(email__iexact=email.strip(), is_author_reply=False)
            .exists()
        )


def default_policy() -> ModerationPolicy:
    return ModerationPolicy()
