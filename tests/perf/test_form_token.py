"""A cached article page fills in a form token bound to its own path, good for one comment."""

import pytest

from comments.models import Comment
from core.antispam import form_token_fits
from tests.blog.factories import ArticleFactory
from tests.perf.helpers import anonymous, cached_page, comment_form, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    # The token comes fresh from the page; the minimum time (at most 3 s) would only wait.
    settings.COMMENTS_MIN_FORM_SECONDS = 0
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


def send(client, form: dict, body: str):
    return client.post(
        form["action"],
        {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "ts": form["ts"],
            "name": "Maria",
            "email": "maria@example.org",
            "url": "",
            "body": body,
            "parent": "",
        },
    )


def test_a_cached_page_renders_a_token_bound_to_its_own_path(article):
    other = ArticleFactory(slug="ruecken-im-buero")
    hit = cached_page(article.get_absolute_url())

    token = comment_form(hit)["ts"]

    assert form_token_fits(token, scope=article.get_absolute_url())
    assert not form_token_fits(token, scope=other.get_absolute_url())
    assert comment_form(page(article.get_absolute_url()))["ts"] != token  # one per hit


def test_a_comment_from_a_cached_page_is_accepted_once(article):
    url = article.get_absolute_url()
    cached_page(url)
    reader = anonymous()
    hit = page(url, reader)
    assert hit["X-Page-Cache"] == "hit"
    form = comment_form(hit)

    accepted = send(reader, form, "Meine Frage zur Faszienrolle.")
    again = send(reader, form, "Und noch eine, mit demselben Formular.")

    assert accepted.status_code == 302, accepted.content[:500]
    assert again.status_code == 400
    assert "Mit diesem Formular wurde schon ein Kommentar geschickt." in again.content.decode()
    assert Comment.objects.count() == 1


def test_a_token_from_another_cached_article_is_refused(article):
    other = ArticleFactory(slug="ruecken-im-buero")
    cached_page(other.get_absolute_url())
    reader = anonymous()
    form = {**comment_form(page(article.get_absolute_url(), reader))}
    form["ts"] = comment_form(page(other.get_absolute_url(), reader))["ts"]

    response = send(reader, form, "Meine Frage zur Faszienrolle.")

    assert response.status_code == 400
    assert "auf einem anderen Artikel geöffnet" in response.content.decode()
    assert not Comment.objects.exists()
