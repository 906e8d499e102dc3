"""Factories for comment test data (articles and users come from the blog's factories)."""

import factory
from django.utils import timezone

from comments.models import Comment, NotificationAddress, SpamWord
from core.antispam import new_form_token
from tests.blog.factories import ArticleFactory, UserFactory  # noqa: F401


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved reader comment; `status="pending"` etc. for the others."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Leserin {n}")
    email = factory.Sequence(lambda n: f"leserin{n}@example.org")
    url = ""
    body = factory.Sequence(lambda n: f"Danke für den Artikel, Nummer {n} hat mir geholfen.")
    status = Comment.Status.APPROVED
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (Test)"
    created_at = factory.LazyFunction(timezone.now)


class AuthorReplyFactory(CommentFactory):
    is_author_reply = True
    name = "Jana Berger"
    email = "autorin@feelmove.de"
    parent = factory.SubFactory(CommentFactory)
    article = factory.SelfAttribute("parent.article")


class SpamWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpamWord

    word = factory.Sequence(lambda n: f"spamwort{n}")


class NotificationAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationAddress

    email = factory.Sequence(lambda n: f"leserin{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)


def old_token(seconds: float = 30, *, article=None, scope: str = "") -> str:
    """A form token rendered `seconds` ago on `article`'s page (or the page `scope`), as a person
    who took her time would send it."""
    if article is not None:
        scope = article.get_absolute_url()
    return new_form_token(scope=scope, now=timezone.now().timestamp() - seconds)


def comment_post_data(article=None, **overrides) -> dict:
    """Everything the form posts on `article` when a person fills it in (token from 30 s ago)."""
    data = {
        "name": "Maria Schulz",
        "email": "maria@example.org",
        "url": "",
        "body": "Danke für die Übungen! Wie oft am Tag soll ich die Rolle benutzen?",
        "parent": "",
        "leer_lassen": "",
        "ts": old_token(article=article),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
