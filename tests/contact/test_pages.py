"""The contact page's queries and cache, and the "Gespräch vereinbaren" box in every sidebar."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contact.models import ContactPage, Topic
from core.antispam import form_token_age
from tests.blog.factories import ArticleFactory
from tests.contact.factories import TopicFactory, old_token, request_post_data
from tests.perf.helpers import FORM_TIME_INPUT, cached_page, page

pytestmark = pytest.mark.django_db

URL = "/kontakt/"


def fresh_queries(client, url) -> int:
    client.get(url)  # warms what Django caches per process (the current Site, content types)
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_contact_page_runs_the_same_four_queries_however_many_topics(
    client, django_assert_num_queries
):
    # The page's texts, the navigation's categories, the sidebar's archive years and the topics:
    # one query each, whatever their number.
    assert fresh_queries(client, URL) == 4
    TopicFactory.create_batch(20)
    for cache in caches.all():
        cache.clear()
    with django_assert_num_queries(4):
        client.get(URL)


def test_the_contact_page_comes_from_the_page_cache_with_a_fresh_form_token():
    first = page(URL)
    hit = cached_page(URL)

    assert hit["X-Page-Cache"] == "hit"
    tokens = [FORM_TIME_INPUT.search(r.content.decode()).group(1) for r in (first, hit)]
    assert tokens[0] != tokens[1]
    assert 0 <= form_token_age(tokens[1]) < 60


def test_a_form_from_a_cached_page_is_accepted(client, settings):
    settings.CONTACT_MIN_FORM_SECONDS = 0
    cached = cached_page(URL).content.decode()
    token = FORM_TIME_INPUT.search(cached).group(1)

    response = client.post(URL, request_post_data(ts=token))

    assert response.status_code == 302


def test_the_sidebar_box_links_to_the_contact_page_on_articles_and_lists(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), "/newsletter/"):
        html = client.get(url).content.decode()
        box = html[html.index('class="sidebar-box contact-box"') :]
        box = box[: box.index("</section>")]
        assert "Gespräch vereinbaren" in box, url
        assert '<a class="cta-button" href="/kontakt/">Gespräch anfragen</a>' in box, url


def test_the_sidebar_box_is_not_on_the_contact_pages_themselves(client):
    for url in (URL, "/kontakt/danke/"):
        assert "contact-box" not in client.get(url).content.decode(), url


def test_the_sidebar_box_can_be_switched_off_and_the_cached_pages_follow(client):
    cached_page("/")
    box = ContactPage.objects.get()
    box.sidebar_enabled = False
    box.save()

    assert "contact-box" not in page("/").content.decode()


def test_the_sidebar_box_shows_the_authors_text_escaped(client):
    box = ContactPage.objects.get()
    box.sidebar_title = "Reden <hilft>"
    box.sidebar_text = "Erste Zeile\n\nZweiter Absatz"
    box.sidebar_link_text = ""
    box.save()

    html = client.get("/").content.decode()

    assert "Reden &lt;hilft&gt;" in html
    assert "<p>Erste Zeile</p>" in html and "<p>Zweiter Absatz</p>" in html
    assert '<a class="cta-button" href="/kontakt/">Beratungsgespräch anfragen</a>' in html


def test_without_its_row_the_page_and_the_box_show_the_default_texts(client):
    ContactPage.objects.all().delete()
    Topic.objects.all().delete()

    html = client.get(URL).content.decode()
    assert "Das erste Kennenlernen" in html
    assert "Gespräch vereinbaren" in client.get("/").content.decode()
    assert client.post(URL, request_post_data(topic="", ts=old_token())).status_code == 302
