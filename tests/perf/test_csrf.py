"""Forms on cached pages pass the CSRF check for every visitor, and only for her."""

import re

import pytest
from django.test import Client

from comments.models import Comment
from newsletter.models import Subscriber
from tests.blog.factories import ArticleFactory
from tests.perf.helpers import comment_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    # The form's minimum time (at most 3 s) would only slow the test down.
    settings.COMMENTS_MIN_FORM_SECONDS = 0
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


def browser() -> Client:
    """A visitor whose requests are CSRF-checked as a real browser's are."""
    return Client(enforce_csrf_checks=True)


def comment_from(visitor: Client, form: dict, name: str):
    return visitor.post(
        form["action"],
        {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "ts": form["ts"],
            "name": name,
            "email": f"{name.lower()}@example.org",
            "url": "",
            "body": f"{name} fragt: wie oft am Tag soll ich dehnen?",
            "parent": "",
        },
    )


def test_two_visitors_who_got_the_cached_page_can_both_send_the_comment_form(article):
    url = article.get_absolute_url()
    anna, berta = browser(), browser()
    anna_page = anna.get(url)
    berta_page = berta.get(url)
    assert (anna_page["X-Page-Cache"], berta_page["X-Page-Cache"]) == ("miss", "hit")
    anna_form, berta_form = comment_form(anna_page), comment_form(berta_page)
    assert anna_form["csrfmiddlewaretoken"] != berta_form["csrfmiddlewaretoken"]

    # Berta, who got the cached copy, sends first; then Anna, who got the rendered one.
    berta_answer = comment_from(berta, berta_form, "Berta")
    anna_answer = comment_from(anna, anna_form, "Anna")

    assert berta_answer.status_code == 302, berta_answer.content[:500]
    assert anna_answer.status_code == 302, anna_answer.content[:500]
    assert set(Comment.objects.filter(article=article).values_list("name", flat=True)) == {
        "Anna",
        "Berta",
    }


def test_a_third_visitor_gets_the_cached_page_and_her_comment_passes_too(article):
    url = article.get_absolute_url()
    browser().get(url)
    browser().get(url)
    clara = browser()
    page = clara.get(url)

    assert page["X-Page-Cache"] == "hit"
    assert comment_from(clara, comment_form(page), "Clara").status_code == 302


def test_a_token_from_someone_elses_cached_page_is_refused(article):
    url = article.get_absolute_url()
    browser().get(url)
    anna, mallory = browser(), browser()
    anna_form = comment_form(anna.get(url))
    mallory.get(url)  # Mallory has a CSRF cookie of her own

    response = comment_from(mallory, anna_form, "Mallory")

    assert response.status_code == 403
    assert not Comment.objects.filter(name="Mallory").exists()


def test_the_newsletter_form_in_the_sidebar_of_a_cached_page_passes_csrf(article):
    url = article.get_absolute_url()
    browser().get(url)
    visitor = browser()
    page = visitor.get(url)
    assert page["X-Page-Cache"] == "hit"
    content = page.content.decode()
    form = content[content.index('action="/newsletter/#anmelden"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = visitor.post(
        "/newsletter/",
        {"csrfmiddlewaretoken": token, "email": "leserin@example.org", "consent": "on"},
    )

    assert response.status_code == 302, response.content[:500]
    assert Subscriber.objects.filter(email="leserin@example.org").exists()
