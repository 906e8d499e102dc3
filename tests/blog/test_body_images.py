"""Images in the article text: sizes made on save, served as <picture> with WebP and srcset."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from PIL import Image

from blog.models import Article
from tests.blog.factories import ArticleFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db


def upload(name="uploads/2026/11/dehnen.jpg", size=(1600, 1000), fmt="JPEG"):
    """An image as the editor's upload view stores it; returns its /media/ URL."""
    stored = default_storage.save(name, image_file(name.rsplit("/", 1)[-1], size=size, fmt=fmt))
    return default_storage.url(stored)


def figure(src, alt="Eine Übung auf der Matte"):
    return (
        f'<figure class="image"><img src="{src}" alt="{alt}">'
        "<figcaption>Foto: Jana Berger</figcaption></figure>"
    )


def article_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_saving_an_article_makes_jpeg_and_webp_sizes_of_each_image_in_its_text(media_storage):
    src = upload(size=(1600, 1000))
    article = ArticleFactory(body=f"<p>Vorher</p>{figure(src)}")
    meta = Article.objects.get(pk=article.pk).body_renditions[src]

    assert meta["source"] == "uploads/2026/11/dehnen.jpg"
    assert (meta["width"], meta["height"]) == (1200, 750)
    for kind, pil_format in (("jpeg", "JPEG"), ("webp", "WEBP")):
        assert [width for width, _name in meta[kind]] == [480, 800, 1200]
        for width, name in meta[kind]:
            with default_storage.open(name) as handle, Image.open(handle) as image:
                assert (image.format, image.width) == (pil_format, width)


def test_the_article_page_shows_a_text_image_as_picture_with_webp_srcset_and_its_size(client):
    src = upload(size=(1000, 500))
    article = ArticleFactory(body=figure(src))

    html = article_page(client, article)
    picture = re.search(r'<figure class="image"><picture>(.*?)</picture>', html).group(1)

    assert re.search(r'<source type="image/webp" srcset="[^"]+-480\.webp 480w, ', picture)
    assert 'sizes="(min-width: 1400px)' in picture
    img = re.search(r"<img [^>]*>", picture).group(0)
    assert re.search(
        r'srcset="[^"]+-480\.jpg 480w, [^"]+-800\.jpg 800w, [^"]+-1000\.jpg 1000w"', img
    )
    assert 'width="1000" height="500"' in img
    assert 'alt="Eine Übung auf der Matte"' in img
    assert 'loading="lazy" decoding="async"' in img
    # The original upload is no longer what the browser loads.
    assert f'src="{src}"' not in html


def test_a_png_in_the_text_gets_sizes_too():
    src = upload("uploads/2026/11/skizze.png", size=(700, 400), fmt="PNG")
    article = ArticleFactory(body=figure(src, alt="Skizze"))

    assert [width for width, _ in article.body_renditions[src]["webp"]] == [480, 700]


def test_foreign_missing_and_unreadable_images_stay_as_they_are(client):
    default_storage.save("uploads/2026/11/kein-bild.jpg", ContentFile(b"kein Bild"))
    body = (
        figure("/static/feelmove/img/logo.png", alt="Statisch")
        + figure("/media/uploads/2026/11/fehlt.jpg", alt="Fehlt")
        + figure("/media/uploads/2026/11/kein-bild.jpg", alt="Kaputt")
        + figure("/media/../settings.py", alt="Ausbruch")
    )
    article = ArticleFactory(body=body)

    assert set(article.body_renditions) == {"/media/uploads/2026/11/kein-bild.jpg"}
    assert "jpeg" not in article.body_renditions["/media/uploads/2026/11/kein-bild.jpg"]
    html = article_page(client, article)
    assert "<picture>" not in html.split('class="prose"')[1].split("</article>")[0]
    assert (
        '<img loading="lazy" decoding="async" src="/media/uploads/2026/11/fehlt.jpg" alt="Fehlt">'
        in html
    )


def test_changing_the_text_keeps_the_sizes_of_kept_images_and_deletes_the_others():
    kept, dropped = upload("uploads/2026/11/a.jpg"), upload("uploads/2026/11/b.jpg")
    article = ArticleFactory(body=figure(kept) + figure(dropped))
    kept_meta = article.body_renditions[kept]
    dropped_files = [
        name for kind in ("jpeg", "webp") for _, name in article.body_renditions[dropped][kind]
    ]
    assert all(default_storage.exists(name) for name in dropped_files)

    article.body = figure(kept)
    article.save()

    assert Article.objects.get(pk=article.pk).body_renditions == {kept: kept_meta}
    assert not any(default_storage.exists(name) for name in dropped_files)
    assert default_storage.exists("uploads/2026/11/b.jpg"), "the upload itself stays"


def test_saving_without_changing_the_images_makes_no_new_files():
    src = upload()
    article = ArticleFactory(body=figure(src))
    first = article.body_renditions

    article.title = "Ein neuer Titel"
    article.body += "<p>Noch ein Absatz.</p>"
    article.save()

    assert Article.objects.get(pk=article.pk).body_renditions == first


def test_html_in_the_alt_text_stays_escaped(client):
    src = upload()
    article = ArticleFactory(body=figure(src, alt="&lt;script&gt;alert(1)&lt;/script&gt; &quot;x"))

    html = article_page(client, article)

    assert "<script>alert(1)" not in html
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt; &quot;x"' in html


def test_text_images_add_no_query_to_the_article_page(client, django_assert_num_queries):
    # Guards against loading sizes per image: they come with the article row.
    plain = ArticleFactory(body="<p>Nur Text.</p>")
    illustrated = ArticleFactory(body=figure(upload("uploads/2026/11/a.jpg")) + figure(upload()))
    article_page(client, plain)
    article_page(client, illustrated)
    with CaptureQueriesContext(connection) as queries:
        article_page(client, plain)

    with django_assert_num_queries(len(queries)):
        html = article_page(client, illustrated)
    assert html.count("<picture>") >= 2


def test_deleting_an_article_removes_its_text_image_sizes_but_not_the_upload(
    django_capture_on_commit_callbacks, media_storage
):
    src = upload()
    article = ArticleFactory(body=figure(src))
    files = [name for kind in ("jpeg", "webp") for _, name in article.body_renditions[src][kind]]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article.delete()

    assert not any(default_storage.exists(name) for name in files)
    assert default_storage.exists("uploads/2026/11/dehnen.jpg")


def test_an_image_stored_without_alt_text_is_shown_with_an_empty_alt(client):
    # Articles saved before the sanitiser added alt="" still get one on the page.
    article = ArticleFactory(body="<p>Text</p>")
    Article.objects.filter(pk=article.pk).update(
        body='<p>Text</p><figure class="image"><img src="/media/uploads/2026/11/alt.jpg"></figure>'
    )
    article.refresh_from_db()

    html = article_page(client, article)

    assert re.findall(r"<img[^>]*alt\.jpg[^>]*>", html) == [
        '<img loading="lazy" decoding="async" alt="" src="/media/uploads/2026/11/alt.jpg">'
    ]
