"""The author box under each article: portrait and short bio, edited by the author herself."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import AuthorProfile
from tests.blog.factories import ArticleFactory, UserFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db


def profile_for(user, *, bio="Ich bin Physiotherapeutin in Berlin.", portrait=True):
    profile = AuthorProfile(user=user, bio=bio)
    if portrait:
        profile.portrait.save("jana.jpg", image_file("jana.jpg", size=(600, 600)), save=False)
    profile.save()
    return profile


def test_the_article_shows_the_authors_portrait_and_bio(client):
    article = ArticleFactory()
    profile_for(article.author, bio="Ich bin Jana.\n\nIch helfe dir, dich gern zu bewegen.")

    html = client.get(article.get_absolute_url()).content.decode()

    box = html[html.index('<aside class="author-box"') :]
    box = box[: box.index("</aside>")]
    assert "Über die Autorin" in box
    assert "Jana Berger" in box
    assert "<p>Ich bin Jana.</p>" in box and "dich gern zu bewegen" in box
    assert 'alt="Porträt von Jana Berger"' in box
    assert 'type="image/webp"' in box and 'width="320" height="320"' in box


def test_the_portrait_is_made_small(media_storage):
    profile = profile_for(UserFactory(), portrait=True)

    widths = [width for width, _name in profile.portrait_renditions["jpeg"]]
    assert widths == [160, 320]


def test_a_bio_without_portrait_still_shows_the_box(client):
    article = ArticleFactory()
    profile_for(article.author, portrait=False)

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<aside class="author-box"' in html
    assert "Porträt von" not in html


def test_an_author_without_profile_gets_no_box(client):
    article = ArticleFactory()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "author-box" not in html


def test_the_bio_is_escaped(client):
    article = ArticleFactory()
    profile_for(article.author, bio="<script>alert(1)</script>", portrait=False)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def queries_for(client, url):
    client.get(url)
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context)


def test_the_author_box_adds_no_query_to_the_article_page(client):
    # Guards a lookup of the profile per page: it comes with the article (select_related).
    without = ArticleFactory()
    with_box = ArticleFactory(author=UserFactory(username="mit-box"))
    profile_for(with_box.author)

    assert queries_for(client, with_box.get_absolute_url()) == queries_for(
        client, without.get_absolute_url()
    )


def test_a_changed_bio_shows_at_once_on_a_cached_article(client):
    article = ArticleFactory()
    profile = profile_for(article.author, bio="Alte Biografie.", portrait=False)
    client.get(article.get_absolute_url())

    profile.bio = "Neue Biografie."
    profile.save()

    assert "Neue Biografie." in client.get(article.get_absolute_url()).content.decode()


# -- where the author edits it -------------------------------------------------------------------


def test_the_profile_page_links_to_the_author_box(autorin_client):
    html = autorin_client.get("/admin/profil/").content.decode()

    assert 'href="/admin/blog/authorprofile/mein-profil/"' in html


def test_her_own_box_opens_the_add_page_first_then_her_box(autorin_client, autorin):
    response = autorin_client.get("/admin/blog/authorprofile/mein-profil/")
    assert response.status_code == 302
    assert response.url == "/admin/blog/authorprofile/add/"
    assert not AuthorProfile.objects.exists()  # a GET creates nothing

    profile = profile_for(autorin, portrait=False)

    response = autorin_client.get("/admin/blog/authorprofile/mein-profil/")
    assert response.url == f"/admin/blog/authorprofile/{profile.pk}/change/"


def test_the_author_saves_her_box_with_a_portrait(autorin_client, autorin, media_storage):
    response = autorin_client.post(
        "/admin/blog/authorprofile/add/",
        {"bio": "Ich bin Jana.", "portrait": image_file("urlaub-jana.jpg", size=(800, 800))},
    )

    assert response.status_code == 302
    profile = AuthorProfile.objects.get()
    assert profile.user == autorin
    assert "urlaub" not in profile.portrait.name  # a random name, as covers get
    assert profile.portrait_renditions["width"] == 320


def test_a_file_that_is_no_image_is_refused_as_portrait(autorin_client):
    fake = SimpleUploadedFile("jana.jpg", b"<html><script>x</script></html>", "image/jpeg")

    response = autorin_client.post(
        "/admin/blog/authorprofile/add/", {"bio": "Ich bin Jana.", "portrait": fake}
    )

    assert response.status_code == 200
    assert "kein Bild" in response.content.decode()
    assert not AuthorProfile.objects.exists()


def test_an_author_sees_and_changes_only_her_own_box(autorin_client):
    other = profile_for(UserFactory(username="kollegin"), bio="Die Kollegin.", portrait=False)

    assert (
        autorin_client.get("/admin/blog/authorprofile/").content.decode().count("Die Kollegin") == 0
    )
    response = autorin_client.get(f"/admin/blog/authorprofile/{other.pk}/change/")
    assert response.status_code in (302, 404)


def test_an_author_has_only_one_box(autorin_client, autorin):
    profile = profile_for(autorin, portrait=False)

    response = autorin_client.get("/admin/blog/authorprofile/add/")

    assert response.url == f"/admin/blog/authorprofile/{profile.pk}/change/"
