"""Cached pages carry an ETag; a browser that still has the page gets a 304."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests.blog.factories import ArticleFactory
from tests.perf.helpers import anonymous, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


def test_a_browser_with_the_current_page_gets_a_304_without_a_body(article):
    url = article.get_absolute_url()
    visitor = anonymous()
    first = page(url, visitor)
    etag = first["ETag"]

    again = page(url, visitor, HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('W/"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_the_etag_stays_the_same_while_the_page_and_the_visitors_cookie_do(article):
    url = article.get_absolute_url()
    visitor = anonymous()
    etags = {page(url, visitor)["ETag"] for _ in range(3)}
    assert len(etags) == 1


def test_gzip_responses_are_revalidated_too(article):
    url = article.get_absolute_url()
    visitor = anonymous()
    etag = page(url, visitor, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    again = page(url, visitor, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_after_a_change_the_old_etag_gets_the_new_page(article):
    url = article.get_absolute_url()
    visitor = anonymous()
    etag = page(url, visitor)["ETag"]
    page(url, visitor)

    article.title = "Faszien neu erklärt"
    article.save()
    response = page(url, visitor, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Faszien neu erklärt" in response.content.decode()


def test_another_visitors_etag_gets_a_full_page_with_her_own_tokens(article):
    url = article.get_absolute_url()
    etag = page(url)["ETag"]
    # Without a CSRF cookie, or with another one, the copy behind that ETag carries tokens
    # that are not this visitor's: she must get the page.
    assert page(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_etag_changes_before_the_comment_forms_time_token_grows_old(article, settings):
    url = article.get_absolute_url()
    visitor = anonymous()
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        etag = page(url, visitor)["ETag"]
    later = now + timedelta(seconds=settings.PAGE_CACHE_FORM_TIME_WINDOW + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = page(url, visitor, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


def test_a_feed_without_per_visitor_values_has_one_etag_for_everyone(article):
    etag = page("/feed/")["ETag"]
    assert page("/feed/")["ETag"] == etag
    assert page("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
