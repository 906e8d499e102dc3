"""The e-mails the newsletter sends, built from templates in templates/newsletter/email/.

Every e-mail to a subscriber on the list carries an unsubscribe link in its text and the headers
List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), and ends with the Impressum details. The
confirmation e-mail of a signup not yet confirmed has none (it says to ignore it instead).
No e-mail contains tracking pixels or redirected links; no link in one changes anything on GET.
"""

import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mail import absolute_url, build_email, email_builder, list_unsubscribe_headers
from newsletter.models import Guide, Issue, Subscriber
from newsletter.tokens import (
    CONFIRM_MAX_AGE,
    DOWNLOAD_MAX_AGE,
    confirmation_token,
    download_token,
    unsubscribe_token,
)


def unsubscribe_url(subscriber: Subscriber | None) -> str:
    if subscriber is None or subscriber.pk is None:
        # A test issue to an address that is not on the list: the link shows "invalid link".
        return absolute_url(reverse("newsletter:unsubscribe", args=["vorschau"]))
    return absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]))


def confirmation_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:confirm", args=[confirmation_token(subscriber)]))


def download_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:guide_download", args=[download_token(subscriber)]))


def _common_context(subscriber: Subscriber | None) -> dict:
    return {
        "first_name": subscriber.first_name if subscriber else "",
        "unsubscribe_url": unsubscribe_url(subscriber),
        "impressum": settings.IMPRESSUM_TEXT,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }


@email_builder(label=gettext_lazy("Confirmation of a signup"))
def confirmation_email(*, subscriber_id: int | None):
    """The double opt-in request, with no advertising (nothing once the signup is confirmed).

    `subscriber_id` None is a form's answer to an unknown address: nothing to send.
    """
    subscriber = Subscriber.objects.pending().filter(pk=subscriber_id).first()
    if subscriber is None:
        return None
    context = {
        **_common_context(subscriber),
        "unsubscribe_url": None,
        "wants_guide": subscriber.wants_guide,
        "confirm_url": confirmation_url(subscriber),
        "valid_days": CONFIRM_MAX_AGE.days,
    }
    # No unsubscribe link and no List-Unsubscribe header: there is nothing to leave yet, and a
    # mail scanner's or a careless click on it would cancel the signup before it is confirmed.
    return build_email(
        subject=_("Please confirm your e-mail address"),
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[subscriber.email],
    )


@email_builder(label=gettext_lazy("Download link of the guide"))
def guide_link_email(*, subscriber_id: int | None):
    """The signed download link of the active guide, for a confirmed subscriber (or nothing)."""
    subscriber = Subscriber.objects.confirmed().filter(pk=subscriber_id).first()
    guide = Guide.objects.active().first()
    if subscriber is None or guide is None:
        return None
    context = {
        **_common_context(subscriber),
        "guide_title": guide.title,
        "download_url": download_url(subscriber),
        "fresh_link_url": absolute_url(reverse("newsletter:guide_link_request")),
        "valid_days": DOWNLOAD_MAX_AGE.days,
    }
    return build_email(
        subject=_("Your free guide: %(title)s") % {"title": guide.title},
        body=render_to_string("newsletter/email/guide_link.txt", context),
        to=[subscriber.email],
        headers=list_unsubscribe_headers(unsubscribe_url(subscriber)),
    )


@email_builder(label=gettext_lazy("Fresh download link of the guide"))
def fresh_link_email(*, subscriber_id: int | None, requested_at: str):
    """The answer to "send me a fresh download link", decided when it is built.

    The download link for a confirmed address, the confirmation link again for a pending one,
    nothing for an unknown address or one that got a notice within the resend interval (see
    services.guide_link_claim). Deciding here lets the form do the same work for every address.
    """
    from newsletter.services import guide_link_claim  # services queue the builders of this module

    subscriber = guide_link_claim(
        subscriber_id=subscriber_id, requested_at=datetime.fromisoformat(requested_at)
    )
    if subscriber is None:
        return None
    if subscriber.is_confirmed:
        return guide_link_email(subscriber_id=subscriber.pk)
    return confirmation_email(subscriber_id=subscriber.pk)


@email_builder(label=gettext_lazy("Signup repeated within minutes"))
def repeated_signup_answer(*, subscriber_id: int):
    """A signup sent again within the resend interval: no new e-mail, decided in the worker.

    If the e-mail it repeats has not reached her because the mail server failed (it waits for a
    retry, failed, or is uncertain), that one is tried again now: she gets what she asked for,
    and still only one e-mail. The form itself does the same work as for any other address.
    """
    from newsletter.services import notice_retry_if_undelivered  # services queue this module's

    notice_retry_if_undelivered(subscriber_id=subscriber_id)
    return None


_LOCAL_LINK = re.compile(r'(\s(?:src|href)=")/(?!/)')
_RESPONSIVE_ATTRIBUTE = re.compile(r'\s(?:srcset|sizes|loading)="[^"]*"')


def email_html(body: str) -> str:
    """Sanitised issue HTML made fit for mail programs: absolute links, no responsive images."""
    body = _RESPONSIVE_ATTRIBUTE.sub("", body)
    return _LOCAL_LINK.sub(lambda m: f"{m.group(1)}{settings.SITE_URL}/", body)


_LIST_ITEM = re.compile(r"^(?:-|\d+\.) ")


class _TextConverter(HTMLParser):
    """Turns the editor's HTML into readable plain text: paragraphs, lists, links as (URL)."""

    BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "figure", "table", "tr", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # per open list: [kind, counter]
        self.link: str | None = None
        self.heading = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li":
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.parts.append(f"\n{indent}{self.lists[-1][1]}. ")
            else:
                self.parts.append(f"\n{indent}- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.link = attrs.get("href") or None
        elif tag == "img" and attrs.get("alt"):
            self.parts.append(f"[{attrs['alt']}]")
        elif tag in {"h2", "h3", "h4"}:
            self.heading = True
        elif tag == "td" or tag == "th":
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        if tag == "a" and self.link:
            href = self.link
            if href.startswith("/"):
                href = absolute_url(href)
            self.parts.append(f" ({href})")
            self.link = None
        if tag in {"h2", "h3", "h4"}:
            self.heading = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if self.heading:
            text = text.upper()
        self.parts.append(text)

    def text(self) -> str:
        lines = []
        for line in "".join(self.parts).split("\n"):
            content = re.sub(r" {2,}", " ", line.strip())
            # Nested list items keep their indentation; everything else starts at the margin.
            indent = len(line) - len(line.lstrip(" ")) if _LIST_ITEM.match(content) else 0
            lines.append(" " * indent + content)
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    converter = _TextConverter()
    converter.feed(html or "")
    converter.close()
    return unescape(converter.text())


def issue_email(issue: Issue, *, subscriber: Subscriber | None, to: str, test: bool = False):
    """The issue as a multipart e-mail (plain text and HTML) for one recipient."""
    context = {
        **_common_context(subscriber),
        "issue": issue,
        "body_html": email_html(issue.body),
        "body_text": html_to_text(issue.body),
        "test": test,
    }
    subject = issue.subject
    if test:
        subject = _("[Test] %(subject)s") % {"subject": subject}
    message: EmailMultiAlternatives = build_email(
        subject=subject,
        body=render_to_string("newsletter/email/issue.txt", context),
        html_body=render_to_string("newsletter/email/issue.html", context),
        to=[to],
        headers=list_unsubscribe_headers(unsubscribe_url(subscriber)),
    )
    return message
