"""Parts of the article page kept for the renders the page cache does not serve (core/fragments).

The author and a reader with a session get the page rendered for them, but its parts that are
the same for everyone come from the process's store: the same HTML as a fresh render, with this
request's tokens, as fresh as a cached page.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from core.fragments import FRAGMENT_ALIAS
from tests.blog.factories import ArticleFactory, UserFactory
from tests.comments.factories import CommentFactory
from tests.perf.helpers import CSRF_INPUT, FORM_TIME_INPUT, text

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]*)"')


@pytest.fixture
def article(settings):
    settings.COMMENTS_MIN_FORM_SECONDS = 0
    article = ArticleFactory(title="Faszien im Alltag", slug="faszien-im-alltag")
    CommentFactory(article=article, name="Paula", body="Sehr hilfreich, danke!")
    ArticleFactory(title="Ein älterer Artikel", published_at=timezone.now() - timedelta(days=9))
    return article


def with_session() -> Client:
    """A reader whose session cookie makes the page cache step aside (as the benchmark's)."""
    client = Client()
    client.cookies["sessionid"] = "eine-sitzung-ohne-inhalt"
    return client


def page(client: Client, url: str):
    if "sessionid" not in client.cookies:
        client.cookies["sessionid"] = "eine-sitzung-ohne-inhalt"
    response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache", "bypass") == "bypass"
    return response


def comment_form_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<form class="comment-form"') :].split("</form>", 1)[0]


def without_tokens(html: str) -> str:
    html = CSRF_INPUT.sub("CSRF", html)
    html = FORM_TIME_INPUT.sub("TS", html)
    return NONCE.sub("NONCE", html)


def test_a_render_from_the_kept_parts_is_the_fresh_render(article, settings):
    url = article.get_absolute_url()
    settings.PAGE_CACHE = False
    fresh = page(with_session(), url).content.decode()
    settings.PAGE_CACHE = True
    page(with_session(), url)

    from_parts = page(with_session(), url).content.decode()

    assert without_tokens(from_parts) == without_tokens(fresh)


def test_a_render_from_the_kept_parts_runs_fewer_queries(article, django_assert_num_queries):
    url = article.get_absolute_url()
    # The first render keeps the parts: session, article, tags, comments, related, previous,
    # next, the navigation's categories, the sidebar's contact box (the author's texts) and its
    # archive years, however many of each there are.
    with django_assert_num_queries(10):
        page(with_session(), url)
    # Then only what decides which page it is: session, article and its tags.
    with django_assert_num_queries(3):
        page(with_session(), url)


def test_kept_parts_carry_this_responses_nonce_and_tokens(article):
    url = article.get_absolute_url()
    page(with_session(), url)
    visitor = with_session()

    response = page(visitor, url)

    html = response.content.decode()
    header_nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert set(NONCE.findall(html)) == {header_nonce}
    secret = response.cookies["csrftoken"].value
    tokens = CSRF_INPUT.findall(html)
    assert len(tokens) >= 3  # the comment form and both signup boxes
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert FORM_TIME_INPUT.search(html).group(1) != FORM_TIME_INPUT.search(
        page(with_session(), url).content.decode()
    ).group(1)


def test_an_approved_comment_shows_at_once_in_a_render_from_kept_parts(article):
    url = article.get_absolute_url()
    page(with_session(), url)
    waiting = CommentFactory(article=article, name="Greta", body="Gilt das auch im Sitzen?")
    waiting.status = Comment.Status.PENDING
    waiting.save()
    assert "Gilt das auch im Sitzen?" not in text(page(with_session(), url))

    waiting.approve(by=UserFactory(staff=True))

    assert "Gilt das auch im Sitzen?" in text(page(with_session(), url))


def test_an_edited_article_shows_at_once_in_a_render_from_kept_parts(article):
    url = article.get_absolute_url()
    page(with_session(), url)
    article.title = "Faszien im Alltag, überarbeitet"
    article.save()
    assert "Faszien im Alltag, überarbeitet" in text(page(with_session(), url))


def test_a_readers_own_pending_comment_is_hers_alone(article):
    url = article.get_absolute_url()
    page(with_session(), url)
    greta = Client()
    sent = greta.post(
        f"{url}kommentieren/",
        {
            "name": "Greta",
            "email": "greta@example.de",
            "url": "",
            "body": "Meine eigene Frage, noch nicht freigegeben.",
            "parent": "",
            "leer_lassen": "",
            "ts": FORM_TIME_INPUT.search(page(with_session(), url).content.decode()).group(1),
        },
    )
    assert sent.status_code == 302, sent.content[:500]

    assert "Meine eigene Frage" in text(page(greta, url))
    assert "Meine eigene Frage" not in text(page(with_session(), url))


def test_the_author_gets_her_own_form_and_readers_keep_theirs(article, client):
    url = article.get_absolute_url()
    author = UserFactory(staff=True, first_name="Jana", last_name="Berger")
    client.force_login(author)
    page(with_session(), url)

    as_author = client.get(url)

    assert "Jana Berger" in comment_form_of(as_author)
    assert 'name="email"' not in comment_form_of(as_author)
    reader_form = comment_form_of(page(with_session(), url))
    assert 'name="email"' in reader_form
    assert "Jana Berger" not in reader_form


def test_a_preview_of_a_draft_is_never_kept(client):
    draft = ArticleFactory(title="Noch geheim", slug="noch-geheim", draft=True)
    client.force_login(UserFactory(staff=True))
    client.get(draft.get_absolute_url())
    draft.title = "Noch geheim, neu"
    draft.save(update_fields=["title"])  # a draft's change need not refresh public pages
    assert "Noch geheim, neu" in text(client.get(draft.get_absolute_url()))


def test_no_kept_part_outlives_the_next_scheduled_publication(article):
    publication = timezone.now() + timedelta(minutes=3)
    ArticleFactory(title="Kommt gleich", published_at=publication)
    page(with_session(), article.get_absolute_url())

    store = caches[FRAGMENT_ALIAS]
    entries = [store.get(key.split(":", 2)[-1]) for key in list(store._cache)]
    kept = [entry for entry in entries if entry]
    assert kept
    assert all(entry["valid_until"] <= publication.timestamp() + 0.001 for entry in kept)


def test_without_the_page_cache_nothing_is_kept(article, settings):
    settings.PAGE_CACHE = False
    page(with_session(), article.get_absolute_url())
    assert not caches[FRAGMENT_ALIAS]._cache
