"""/blog/, the archive list in the sidebar and the share links under an article."""

import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.blog.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def archive_box(html: str) -> str:
    match = re.search(r'<section class="sidebar-box archive-box".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_blog_redirects_permanently_to_the_home_page(client):
    response = client.get("/blog/")

    assert response.status_code == 301
    assert response["Location"] == "/"


def test_the_sidebar_lists_the_years_with_their_article_counts_newest_first(client):
    for year, count in ((2024, 2), (2026, 1), (2025, 3)):
        for _ in range(count):
            ArticleFactory(published_at=datetime(year, 6, 1, 12, tzinfo=BERLIN))
    ArticleFactory(status="draft", published_at=datetime(2023, 6, 1, 12, tzinfo=BERLIN))

    box = archive_box(client.get("/").content.decode())

    years = re.findall(r'<a href="/blog/archiv/(\d+)/">(\d+)</a> <span[^>]*>\((\d+) Artikel\)', box)
    assert years == [("2026", "2026", "1"), ("2025", "2025", "3"), ("2024", "2024", "2")]


def test_a_new_year_shows_in_the_archive_list_of_a_cached_page_at_once(client):
    ArticleFactory(published_at=datetime(2025, 6, 1, 12, tzinfo=BERLIN))
    article = ArticleFactory(published_at=datetime(2024, 6, 1, 12, tzinfo=BERLIN))
    assert "/blog/archiv/2024/" in archive_box(client.get("/").content.decode())

    article.status = "draft"
    article.save()

    box = archive_box(client.get("/").content.decode())
    assert "/blog/archiv/2025/" in box and "/blog/archiv/2024/" not in box


def test_the_archive_list_is_left_out_while_nothing_is_published(client):
    assert archive_box(client.get("/").content.decode()) == ""


def test_share_links_carry_the_encoded_address_and_title_and_load_nothing(client, settings):
    settings.SITE_URL = "https://feelmove.de"
    article = ArticleFactory(slug="dehnen", title="Dehnen & Atmen: 5 Minuten?")
    html = client.get(article.get_absolute_url()).content.decode()
    share = re.search(r'<section class="share".*?</section>', html, re.S).group(0)

    url = quote("https://feelmove.de/blog/dehnen/", safe="")
    title = quote("Dehnen & Atmen: 5 Minuten?", safe="")
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={url}"' in share
    assert f'href="https://wa.me/?text={title}%20{url}"' in share
    assert f'href="mailto:?subject={title}&amp;body={url}"' in share
    assert share.count('rel="noopener noreferrer"') == 5
    assert "<img" not in share and "<iframe" not in share and "<script" not in share
    assert re.search(r"<button[^>]*data-share-copy[^>]*hidden>Link kopieren</button>", share)


def test_the_archive_list_counts_an_article_in_the_year_of_its_berlin_date(client):
    # 31 Dec 23:30 UTC is already New Year's Day in Berlin.
    ArticleFactory(published_at=datetime(2025, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert timezone.get_current_timezone_name() == "Europe/Berlin"

    box = archive_box(client.get("/").content.decode())
    assert "/blog/archiv/2026/" in box and "/blog/archiv/2025/" not in box
