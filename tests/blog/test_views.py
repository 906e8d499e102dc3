"""The reader's pages: what they show, what they hide, and when they answer 404."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory, UserFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_home_page_lists_published_articles_newest_first_with_date_teaser_and_category(
    client,
):
    category = CategoryFactory(name="Faszien")
    ArticleFactory(title="Älterer Artikel", published_at=datetime(2018, 1, 29, 9, 0, tzinfo=BERLIN))
    ArticleFactory(
        title="Neuerer Artikel",
        teaser="Warum die Rolle nicht wehtun muss.",
        category=category,
        published_at=datetime(2019, 3, 2, 9, 0, tzinfo=BERLIN),
    )

    html = client.get("/").content.decode()

    assert html.index("Neuerer Artikel") < html.index("Älterer Artikel")
    assert "29. Januar 2018" in html
    assert "Warum die Rolle nicht wehtun muss." in html
    assert 'href="/blog/kategorie/faszien/"' in html


def test_the_home_page_hides_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Sichtbar")
    ArticleFactory(title="Noch ein Entwurf", draft=True)
    ArticleFactory(title="Erst nächste Woche", scheduled=True)

    html = client.get("/").content.decode()

    assert "Sichtbar" in html
    assert "Noch ein Entwurf" not in html
    assert "Erst nächste Woche" not in html


def test_the_home_page_is_paginated_ten_articles_a_page(client):
    now = timezone.now()
    for number in range(12):
        ArticleFactory(title=f"Folge {number:02d}", published_at=now - timedelta(hours=number))

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert "Folge 00" in first and "Folge 09" in first and "Folge 10" not in first
    assert "Folge 10" in second and "Folge 11" in second and "Folge 00" not in second
    assert 'href="/?page=2"' in first
    assert 'rel="prev" href="/"' in second


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0"])
def test_a_page_number_that_does_not_exist_is_a_404_not_an_error(client, page):
    ArticleFactory()

    assert client.get(f"/?page={page}").status_code == 404


def test_the_home_page_without_any_article_says_so_kindly(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Hier gibt es noch keine Artikel" in response.content.decode()


def test_the_article_page_shows_title_date_author_reading_time_body_category_and_tags(client):
    article = ArticleFactory(
        title="Faszien verstehen",
        author=UserFactory(first_name="Jana", last_name="Berger", staff=True),
        published_at=datetime(2018, 1, 29, 9, 0, tzinfo=BERLIN),
        body="<h2>Was Faszien sind</h2><p>" + "Gewebe " * 450 + "</p>",
        category=CategoryFactory(name="Faszien"),
        tags=[TagFactory(name="Faszienrolle"), TagFactory(name="Bindegewebe")],
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h1" in html and "Faszien verstehen</h1>" in html
    assert "29. Januar 2018" in html
    assert "Von Jana Berger" in html
    assert "3 Min. Lesezeit" in html
    assert "<h2>Was Faszien sind</h2>" in html
    assert 'href="/blog/kategorie/faszien/"' in html
    assert 'href="/blog/tag/faszienrolle/"' in html and 'href="/blog/tag/bindegewebe/"' in html


def test_the_article_page_shows_the_cover_image_with_its_credit(client):
    article = ArticleFactory(
        cover_image=image_file(),
        cover_alt="Eine Frau rollt ihren Rücken auf einer Faszienrolle aus",
        cover_credit="Foto: Anna Muster, CC BY 3.0",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Eine Frau rollt ihren Rücken auf einer Faszienrolle aus"' in html
    assert "<figcaption" in html and "Foto: Anna Muster, CC BY 3.0" in html


def test_a_draft_is_a_404_for_readers_and_logged_in_non_staff_users(client):
    article = ArticleFactory(draft=True)

    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_is_a_404_until_its_time(client):
    article = ArticleFactory(scheduled=True)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft_marked_as_preview_and_never_cached(client):
    article = ArticleFactory(draft=True, title="Mein Entwurf")
    client.force_login(UserFactory(staff=True))

    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vorschau" in html and "Entwurf" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_preview_of_a_scheduled_article_names_its_date(client):
    article = ArticleFactory(
        scheduled=True, published_at=datetime(2099, 5, 1, 8, 30, tzinfo=BERLIN)
    )
    client.force_login(UserFactory(staff=True))

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Vorschau" in html and "1. Mai 2099, 08:30" in html


def test_a_published_article_shown_to_staff_is_not_marked_as_preview(client):
    article = ArticleFactory()
    client.force_login(UserFactory(staff=True))

    assert "Vorschau" not in client.get(article.get_absolute_url()).content.decode()


def test_an_unknown_article_is_a_404(client):
    assert client.get("/blog/gibt-es-nicht/").status_code == 404


def test_the_article_links_to_the_previous_and_next_published_article(client):
    now = timezone.now()
    older = ArticleFactory(title="Der ältere", published_at=now - timedelta(days=3))
    ArticleFactory(title="Ein Entwurf dazwischen", draft=True, published_at=now - timedelta(days=2))
    middle = ArticleFactory(title="Die Mitte", published_at=now - timedelta(days=2))
    newer = ArticleFactory(title="Der neuere", published_at=now - timedelta(days=1))
    ArticleFactory(title="Der geplante", scheduled=True)

    response = client.get(middle.get_absolute_url())

    assert response.context["previous_article"] == older
    assert response.context["next_article"] == newer
    html = response.content.decode()
    assert f'href="{older.get_absolute_url()}" rel="prev"' in html
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html
    newest = client.get(newer.get_absolute_url())
    assert not newest.context["next_article"]
    assert 'rel="next"' not in newest.content.decode()


def test_articles_published_at_the_same_moment_still_link_to_each_other(client):
    moment = timezone.now() - timedelta(days=1)
    first = ArticleFactory(published_at=moment)
    second = ArticleFactory(published_at=moment)

    assert client.get(first.get_absolute_url()).context["next_article"] == second
    assert client.get(second.get_absolute_url()).context["previous_article"] == first


def test_the_category_page_lists_only_that_categorys_published_articles(client):
    back = CategoryFactory(name="Rücken", slug="ruecken", description="Alles rund um den Rücken.")
    ArticleFactory(title="Rücken 1", category=back)
    ArticleFactory(title="Rücken Entwurf", category=back, draft=True)
    ArticleFactory(title="Anderes Thema")

    response = client.get("/blog/kategorie/ruecken/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Rücken 1" in html and "Rücken Entwurf" not in html and "Anderes Thema" not in html
    assert "Alles rund um den Rücken." in html


def test_the_tag_page_lists_only_articles_with_that_tag(client):
    tag = TagFactory(name="Dehnen", slug="dehnen")
    ArticleFactory(title="Mit Schlagwort", tags=[tag])
    ArticleFactory(title="Ohne Schlagwort")

    html = client.get("/blog/tag/dehnen/").content.decode()

    assert "Mit Schlagwort" in html and "Ohne Schlagwort" not in html


def test_an_unknown_category_or_tag_is_a_404(client):
    assert client.get("/blog/kategorie/gibt-es-nicht/").status_code == 404
    assert client.get("/blog/tag/gibt-es-nicht/").status_code == 404


def test_the_year_archive_lists_that_years_articles_and_links_the_other_years(client):
    ArticleFactory(title="Aus 2018", published_at=datetime(2018, 12, 31, 23, 30, tzinfo=BERLIN))
    ArticleFactory(title="Aus 2019", published_at=datetime(2019, 1, 1, 0, 30, tzinfo=BERLIN))

    html = client.get("/blog/archiv/2018/").content.decode()

    assert "Aus 2018" in html and "Aus 2019" not in html
    assert 'href="/blog/archiv/2019/"' in html


def test_a_year_without_published_articles_is_a_404(client):
    ArticleFactory(draft=True, published_at=datetime(2017, 5, 1, tzinfo=BERLIN))

    assert client.get("/blog/archiv/2017/").status_code == 404


@pytest.mark.parametrize("year", ["0", "1", "999", "9999", "99999", "123456789012"])
def test_a_year_far_outside_the_calendar_is_a_404_not_an_error(client, year):
    assert client.get(f"/blog/archiv/{year}/").status_code == 404


def test_the_first_cover_on_a_list_loads_eagerly_and_the_others_lazily(client):
    for number in range(3):
        ArticleFactory(
            title=f"Mit Bild {number}",
            cover_image=image_file(f"bild{number}.jpg"),
            cover_alt=f"Bild {number}",
            published_at=timezone.now() - timedelta(hours=number),
        )

    html = client.get("/").content.decode()

    assert html.count("<picture>") == 3
    assert html.count('fetchpriority="high"') == 1
    assert html.count('loading="lazy"') == 2
    assert html.count('type="image/webp"') == 3
    assert 'width="1200" height="750"' in html
    assert "480w" in html and "800w" in html and "1200w" in html


def test_the_article_body_is_rendered_as_html_with_lazily_loaded_images(client):
    article = ArticleFactory(
        body='<figure class="image"><img src="/media/uploads/a.jpg" alt="Übung"></figure>'
    )

    html = client.get(reverse("blog:article_detail", args=[article.slug])).content.decode()

    assert 'loading="lazy"' in html and 'alt="Übung"' in html
