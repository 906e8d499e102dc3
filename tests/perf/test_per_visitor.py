"""What belongs to one visitor is never cached and never shown to anyone else."""

import pytest
from django.test import Client

from tests.blog.factories import ArticleFactory, UserFactory
from tests.comments.factories import comment_post_data
from tests.perf.helpers import anonymous, cached_page, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


def post_comment(client: Client, article, **fields):
    return client.post(
        f"{article.get_absolute_url()}kommentieren/", comment_post_data(article, **fields)
    )


def test_a_readers_own_pending_comment_is_shown_to_her_alone(article):
    url = article.get_absolute_url()
    cached_page(url)
    reader = anonymous()
    assert post_comment(reader, article, body="Meine Frage zur Faszienrolle.").status_code == 302

    own = page(url, reader)
    others = [page(url) for _ in range(2)]

    assert own["X-Page-Cache"] == "bypass"
    assert "Meine Frage zur Faszienrolle." in text(own)
    for response in others:
        assert response["X-Page-Cache"] == "hit"
        assert "Meine Frage zur Faszienrolle." not in text(response)


def test_the_page_with_her_pending_comment_is_never_stored(article):
    url = article.get_absolute_url()
    reader = anonymous()
    post_comment(reader, article, body="Nur ich sehe das.")

    page(url, reader)  # rendered with her pending comment; must not be kept
    next_visitor = page(url)

    assert next_visitor["X-Page-Cache"] == "miss"
    assert "Nur ich sehe das." not in text(next_visitor)


def test_the_thank_you_message_is_shown_to_the_sender_and_never_to_others(article):
    url = article.get_absolute_url()
    cached_page(url)
    reader = anonymous()
    post_comment(reader, article)

    own = page(url, reader)
    shown = [str(message) for message in own.context["messages"]]
    other = page(url)

    assert own["X-Page-Cache"] == "bypass"
    assert shown and all(message in text(own) for message in shown)
    assert other["X-Page-Cache"] == "hit"
    assert not any(message in text(other) for message in shown)


def test_form_errors_and_typed_values_stay_with_the_sender(article):
    url = article.get_absolute_url()
    cached_page(url)
    reader = anonymous()

    response = post_comment(reader, article, email="kein-at-zeichen", body="Mein getippter Text")

    assert response.status_code == 400
    assert "Mein getippter Text" in text(response)
    for other in (page(url), page(url)):
        assert "Mein getippter Text" not in text(other)
        assert "is-invalid" not in text(other)


def test_a_logged_in_author_neither_gets_nor_fills_the_cache(article):
    url = article.get_absolute_url()
    author = Client()
    author.force_login(UserFactory(username="jana", staff=True))

    response = author.get(url)

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert page(url)["X-Page-Cache"] == "miss"
    assert page(url, author)["X-Page-Cache"] == "bypass"


def test_a_session_cookie_bypasses_a_page_that_is_already_cached(article):
    url = article.get_absolute_url()
    cached_page(url)
    visitor = anonymous()
    visitor.cookies["sessionid"] = "irgendeine-sitzung"
    assert page(url, visitor)["X-Page-Cache"] == "bypass"


def test_a_messages_cookie_bypasses_the_cache(article):
    url = article.get_absolute_url()
    cached_page(url)
    visitor = anonymous()
    visitor.cookies["messages"] = "irgendeine-nachricht"
    assert page(url, visitor)["X-Page-Cache"] == "bypass"


def test_an_emptied_session_cookie_is_no_reason_to_bypass(article):
    url = article.get_absolute_url()
    cached_page(url)
    visitor = anonymous()
    visitor.cookies["sessionid"] = ""
    assert page(url, visitor)["X-Page-Cache"] == "hit"


# -- what the cache refuses to store ------------------------------------------------------------


@pytest.fixture
def test_views(settings):
    settings.ROOT_URLCONF = "tests.perf.urls"
    settings.PAGE_CACHE_URL_NAMES = [*settings.PAGE_CACHE_URL_NAMES, "perf-*"]
    settings.PAGE_CACHE_QUERY_PARAMS = {**settings.PAGE_CACHE_QUERY_PARAMS, "perf-form": ["q"]}


def test_an_ordinary_test_view_is_stored(test_views):
    assert page("/perf/plain/")["X-Page-Cache"] == "miss"
    assert page("/perf/plain/")["X-Page-Cache"] == "hit"


def test_a_page_that_shows_a_message_is_never_stored(test_views):
    first = page("/perf/message/")
    assert "Eine Nachricht nur für diese Besucherin." in text(first)
    assert first["X-Page-Cache"] == "skip"
    assert page("/perf/message/")["X-Page-Cache"] == "skip"


def test_a_page_that_sets_another_cookie_is_never_stored(test_views):
    assert page("/perf/cookie/")["X-Page-Cache"] == "skip"
    assert page("/perf/cookie/")["X-Page-Cache"] == "skip"


def test_a_page_with_form_errors_is_never_stored(test_views):
    assert page("/perf/form/?q=viel-zu-lang")["X-Page-Cache"] == "skip"
    assert page("/perf/form/?q=kurz")["X-Page-Cache"] == "miss"


def test_views_not_listed_for_the_cache_are_never_stored(test_views, settings):
    settings.PAGE_CACHE_URL_NAMES = ["blog:*"]
    assert page("/perf/plain/")["X-Page-Cache"] == "skip"


def test_error_pages_are_never_stored():
    assert page("/blog/gibt-es-nicht/").status_code == 404
    assert page("/blog/gibt-es-nicht/")["X-Page-Cache"] == "skip"


def test_pages_behind_tokenised_links_are_never_stored():
    for url in ("/newsletter/bestaetigen/falsch/", "/kommentare/moderieren/falsch/"):
        page(url)
        assert page(url).get("X-Page-Cache") in ("skip", None), url


def test_the_admin_is_never_cached():
    page("/admin/login/")
    assert "X-Page-Cache" not in page("/admin/login/")


def test_a_post_is_never_answered_from_the_cache(article):
    cached_page(article.get_absolute_url())
    response = anonymous().post(f"{article.get_absolute_url()}kommentieren/", {})
    assert response.get("X-Page-Cache") is None
    assert response.status_code == 400
