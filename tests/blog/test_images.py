"""Cover image renditions: sizes, formats, storage and the <picture> they end up in."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from blog.images import Picture
from blog.models import Article
from tests.blog.factories import ArticleFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db


def test_saving_a_cover_image_makes_three_widths_as_jpeg_and_webp(media_storage):
    article = ArticleFactory(cover_image=image_file(size=(1600, 1000)), cover_alt="Eine Matte")
    meta = Article.objects.get(pk=article.pk).cover_renditions

    assert meta["source"] == article.cover_image.name
    assert (meta["width"], meta["height"]) == (1200, 750)
    assert [width for width, _name in meta["jpeg"]] == [480, 800, 1200]
    assert [width for width, _name in meta["webp"]] == [480, 800, 1200]
    for kind, pil_format in (("jpeg", "JPEG"), ("webp", "WEBP")):
        for width, name in meta[kind]:
            assert name.startswith("renditions/")
            with default_storage.open(name) as handle, Image.open(handle) as image:
                assert image.format == pil_format
                assert image.width == width


def test_a_small_cover_image_is_never_enlarged():
    article = ArticleFactory(cover_image=image_file(size=(600, 400)), cover_alt="Klein")

    assert [width for width, _ in article.cover_renditions["jpeg"]] == [480, 600]
    assert article.cover_renditions["width"] == 600


def test_a_transparent_png_gets_a_white_background_in_its_renditions():
    article = ArticleFactory(
        cover_image=image_file("logo.png", fmt="PNG", mode="RGBA", color=(0, 0, 0, 0)),
        cover_alt="Logo",
    )
    _width, name = article.cover_renditions["jpeg"][0]

    with default_storage.open(name) as handle, Image.open(handle) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_renditions_are_made_again_only_when_the_image_changes():
    article = ArticleFactory(cover_image=image_file(), cover_alt="Erstes Bild")
    first = article.cover_renditions
    article.title = "Neuer Titel"
    article.save()
    assert article.cover_renditions == first

    article.cover_image = image_file("zweites.jpg", size=(900, 600))
    article.save()

    assert article.cover_renditions["source"] != first["source"]
    assert article.cover_renditions["width"] == 900
    for _width, name in first["jpeg"] + first["webp"]:
        assert not default_storage.exists(name)


def test_removing_the_cover_image_removes_its_renditions():
    article = ArticleFactory(cover_image=image_file(), cover_alt="Bild")
    names = [name for _width, name in article.cover_renditions["webp"]]

    article.cover_image = ""
    article.save()

    assert Article.objects.get(pk=article.pk).cover_renditions == {}
    assert not any(default_storage.exists(name) for name in names)


def test_a_broken_cover_image_does_not_stop_the_article_from_being_saved():
    article = ArticleFactory(
        cover_image=SimpleUploadedFile("kaputt.jpg", b"not an image"), cover_alt="Kaputt"
    )

    assert article.cover_renditions == {"source": article.cover_image.name}
    assert article.cover_picture is None


def test_the_picture_gives_srcsets_a_fallback_and_the_intrinsic_size():
    picture = Picture.from_renditions(
        {
            "source": "covers/a.jpg",
            "width": 1200,
            "height": 800,
            "jpeg": [
                [480, "renditions/a-480.jpg"],
                [800, "renditions/a-800.jpg"],
                [1200, "renditions/a-1200.jpg"],
            ],
            "webp": [[480, "renditions/a-480.webp"], [1200, "renditions/a-1200.webp"]],
        }
    )

    assert picture.src == "/media/renditions/a-800.jpg"
    assert picture.largest_src == "/media/renditions/a-1200.jpg"
    assert picture.webp_srcset == (
        "/media/renditions/a-480.webp 480w, /media/renditions/a-1200.webp 1200w"
    )
    assert "/media/renditions/a-800.jpg 800w" in picture.jpeg_srcset
    assert (picture.width, picture.height) == (1200, 800)


def test_no_renditions_means_no_picture():
    assert Picture.from_renditions({}) is None
    assert Picture.from_renditions({"source": "covers/x.jpg"}) is None


def test_renditions_carry_no_exif_data_such_as_gps_but_keep_the_orientation():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0)}  # GPS position
    Image.new("RGB", (1000, 600), (10, 80, 70)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("handy.jpg", buffer.getvalue(), content_type="image/jpeg")

    article = ArticleFactory(cover_image=upload, cover_alt="Foto vom Handy")

    assert (article.cover_renditions["width"], article.cover_renditions["height"]) == (600, 1000)
    for kind in ("jpeg", "webp"):
        for _width, name in article.cover_renditions[kind]:
            with default_storage.open(name) as handle, Image.open(handle) as image:
                assert not image.getexif()
                assert image.height > image.width
