"""Mail scanners change nothing.

Many mail systems open every link of an incoming e-mail before the person sees it. This test
builds every kind of e-mail the site writes, then opens every link in each (plain text, HTML and
the List-Unsubscribe header) with GET and HEAD, following redirects as a scanner does, and checks
that no row of any table changed.

Every function marked `@email_builder` in an installed app is found on its own: a builder without
a recipe below fails the test, so an e-mail added later cannot be forgotten here. A recipe makes
the rows its e-mail needs and returns the keyword arguments of one or more builds.
"""

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests.blog.factories import ArticleFactory, UserFactory
from tests.comments.factories import CommentFactory, NotificationAddressFactory
from tests.newsletter.factories import GuideFactory, IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s<>\"')]+")
HREF = re.compile(r'href="([^"]+)"')


# -- the builders and their recipes ------------------------------------------------------------


def email_builders() -> dict[str, Callable]:
    """Every `@email_builder` of the installed apps, by its dotted path."""
    app_names = [config.name for config in apps.get_app_configs()]
    for name in app_names:
        if importlib.util.find_spec(f"{name}.emails") is not None:
            importlib.import_module(f"{name}.emails")
    found = {}
    for module_name, module in list(sys.modules.items()):
        in_an_app = any(module_name == n or module_name.startswith(f"{n}.") for n in app_names)
        if module is None or not in_an_app:
            continue
        for value in list(vars(module).values()):
            if getattr(value, "is_email_builder", False) and value.__module__ == module_name:
                found[f"{module_name}.{value.__qualname__}"] = value
    return found


def _new_comment_notice():
    pending = CommentFactory(status="pending", url="https://example.org/leserin")
    approved = CommentFactory(status="approved")
    return [{"comment_id": pending.pk}, {"comment_id": approved.pk}]


def _reply_notice():
    NotificationAddressFactory(email="maria@example.org")
    parent = CommentFactory(status="approved", email="maria@example.org", notify_replies=True)
    reply = CommentFactory(status="approved", parent=parent, article=parent.article)
    return [{"reply_id": reply.pk}]


def _notice_confirmation():
    address = NotificationAddressFactory(email="paula@example.org", confirmed_at=None)
    return [{"address_id": address.pk, "article_id": ArticleFactory().pk}]


def _confirmation_email():
    guide_signup = SubscriberFactory(source="guide")
    newsletter_signup = SubscriberFactory(source="newsletter", first_name="")
    return [{"subscriber_id": guide_signup.pk}, {"subscriber_id": newsletter_signup.pk}]


def _guide_link_email():
    return [{"subscriber_id": SubscriberFactory(confirmed=True, source="guide").pk}]


def _fresh_link_email():
    long_ago = (timezone.now() - timedelta(days=1)).isoformat()
    confirmed = SubscriberFactory(confirmed=True)
    pending = SubscriberFactory()
    return [
        {"subscriber_id": confirmed.pk, "requested_at": long_ago},
        {"subscriber_id": pending.pk, "requested_at": long_ago},
    ]


def _repeated_signup_answer():
    return [{"subscriber_id": SubscriberFactory().pk}]


def _login_code_email():
    from twofactor.models import EmailCodeDevice

    user = UserFactory(staff=True, first_name="Jana")
    return [{"device_id": EmailCodeDevice.objects.create(user=user, name="E-Mail").pk}]


def _data_link_email():
    from mydata.models import DataRequest

    SubscriberFactory(confirmed=True, email="lena@example.org")
    return [{"request_id": DataRequest.objects.create(email="lena@example.org").pk}]


def _consultation_request_emails():
    from contact.models import ConsultationRequest

    consultation = ConsultationRequest.objects.create(
        name="Lena Hoff", email="lena@example.org", message="Seit Wochen zieht es im Rücken."
    )
    return [{"request_id": consultation.pk}]


# builder path -> recipe. A builder that never sends a message (it only decides something in the
# worker) is listed in SENDS_NOTHING as well.
RECIPES: dict[str, Callable[[], list[dict]]] = {
    "comments.emails.new_comment_notice": _new_comment_notice,
    "comments.emails.reply_notice": _reply_notice,
    "comments.emails.notice_confirmation": _notice_confirmation,
    "newsletter.emails.confirmation_email": _confirmation_email,
    "newsletter.emails.guide_link_email": _guide_link_email,
    "newsletter.emails.fresh_link_email": _fresh_link_email,
    "newsletter.emails.repeated_signup_answer": _repeated_signup_answer,
    "twofactor.emails.login_code_email": _login_code_email,
    "mydata.emails.data_link_email": _data_link_email,
    "contact.emails.request_notice": _consultation_request_emails,
    "contact.emails.request_confirmation": _consultation_request_emails,
}
SENDS_NOTHING = {"newsletter.emails.repeated_signup_answer"}


def _issue_emails():
    """The newsletter issue is built by the sending (not a queued builder): to a subscriber, to a
    test address, with a link into the blog in its text."""
    from newsletter.emails import issue_email

    article = ArticleFactory()
    issue = IssueFactory(
        body=f'<p>Lies auch <a href="{article.get_absolute_url()}">den neuen Artikel</a>.</p>'
    )
    subscriber = SubscriberFactory(confirmed=True)
    return [
        issue_email(issue, subscriber=subscriber, to=subscriber.email),
        issue_email(issue, subscriber=None, to="test@example.org", test=True),
    ]


OTHER_EMAILS = [_issue_emails]


def every_email() -> list:
    """Every kind of e-mail the site writes, built from rows made for it."""
    builders = email_builders()
    missing = sorted(set(builders) - set(RECIPES))
    assert not missing, (
        f"No recipe for the e-mail builder(s) {missing}: add one to RECIPES in {__file__}, so "
        "that the links in that e-mail are opened by this test too."
    )
    GuideFactory()
    messages = []
    for path, builder in sorted(builders.items()):
        for arguments in RECIPES[path]():
            message = builder(**arguments)
            if path in SENDS_NOTHING:
                assert message is None, path
            else:
                assert message is not None, f"{path}({arguments}) built no e-mail"
                messages.append(message)
    for make in OTHER_EMAILS:
        messages.extend(make())
    return messages


# -- links and rows ---------------------------------------------------------------------------


def links_in(message) -> set[str]:
    """Every URL of the site in the e-mail: text, HTML (links and text) and List-Unsubscribe."""
    texts = [message.body]
    texts += [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    found = set()
    for text in texts:
        found.update(URL.findall(text))
        found.update(unescape(href) for href in HREF.findall(text))
    header = message.extra_headers.get("List-Unsubscribe", "")
    found.update(re.findall(r"<(https?://[^>]+)>", header))
    return {url.rstrip(".,;:!?") for url in found if url.startswith(settings.SITE_URL)}


def all_rows() -> dict[str, list[dict]]:
    """Every row of every table, as values, in a fixed order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


@pytest.fixture
def emails_and_links(settings):
    settings.RATE_LIMITS = False
    messages = every_email()
    links = {}
    for message in messages:
        for url in links_in(message):
            links.setdefault(url, message.subject)
    return messages, links


@pytest.mark.parametrize("who", ["mail scanner", "the author's logged-in browser"])
def test_opening_every_link_of_every_email_changes_no_row(emails_and_links, who):
    _messages, links = emails_and_links
    client = Client()
    if who != "mail scanner":
        client.force_login(UserFactory(username="autorin", staff=True))
    before = all_rows()
    for url, subject in sorted(links.items()):
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for method in (client.get, client.head):
            response = method(path, follow=True)
            assert response.status_code < 500, (url, subject)
            changed = changed_tables(before, all_rows())
            assert not changed, f"{method.__name__.upper()} {url} (“{subject}”) changed {changed}"


def test_the_links_opened_include_every_kind_of_signed_link(emails_and_links):
    """A guard for the test itself: the e-mails were built with the links that could act."""
    _messages, links = emails_and_links
    names = set()
    for url in links:
        try:
            names.add(resolve(urlsplit(url).path or "/").view_name)
        except Resolver404:  # a flatpage such as /datenschutz/, served by its middleware
            names.add(urlsplit(url).path)
    assert {
        "newsletter:confirm",
        "newsletter:unsubscribe",
        "newsletter:guide_download",
        "newsletter:guide_link_request",
        "comments:moderate",
        "comments:notify_confirm",
        "comments:notify_unsubscribe",
        "blog:article_detail",
        "mydata:data",
    } <= names, names


def test_a_confirmation_email_of_a_pending_signup_has_no_unsubscribe_link(emails_and_links):
    messages, _links = emails_and_links
    confirmations = [m for m in messages if "bestaetigen" in m.body and "newsletter" in m.body]
    assert confirmations
    for message in confirmations:
        assert "List-Unsubscribe" not in message.extra_headers
        assert "/newsletter/abmelden/" not in message.body
        assert "ignoriere diese E-Mail" in message.body
