"""Helpers of the "Meine Daten" tests: ask for the link, and read it from the sent e-mail."""

import re

from django.core import mail

LINK = re.compile(r"https?://[^\s]+/meine-daten/[^\s/]+/")


def ask_for_link(client, email: str):
    return client.post("/meine-daten/", {"email": email})


def link_path(message) -> str:
    """The path of the data link in an e-mail."""
    url = LINK.search(message.body).group(0)
    return "/" + url.split("/", 3)[3]


def link_for(client, email: str) -> str:
    """Ask for the link for `email` and return its path from the e-mail that came."""
    before = len(mail.outbox)
    ask_for_link(client, email)
    assert len(mail.outbox) == before + 1
    return link_path(mail.outbox[-1])


def snapshot() -> dict:
    """Every row of the tables this page can change, to show that nothing changed."""
    from comments.models import Comment, NotificationAddress
    from mydata.models import DataRequest
    from newsletter.models import Subscriber

    return {
        model.__name__: sorted(tuple(row.items()) for row in model.objects.values())
        for model in (Subscriber, Comment, NotificationAddress, DataRequest)
    }
