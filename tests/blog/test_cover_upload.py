"""A cover image uploaded in the admin gets the editor's checks: no EXIF/GPS, no disguised files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from blog.forms import ArticleAdminForm
from tests.blog.factories import UserFactory
from tests.blog.test_uploads import jpeg_with_gps_and_orientation

pytestmark = pytest.mark.django_db


def form_with_cover(name: str, data: bytes, content_type: str) -> ArticleAdminForm:
    author = UserFactory()
    return ArticleAdminForm(
        data={
            "title": "Schultern lockern",
            "slug": "schultern-lockern",
            "status": "draft",
            "published_at": "2025-03-01 08:00",
            "author": author.pk,
            "cover_alt": "Eine Frau kreist die Schultern",
            "comments_open": "on",
        },
        files={"cover_image": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_a_cover_photo_loses_its_gps_data_and_gets_a_random_name(media_storage):
    form = form_with_cover("urlaub-mit-gps.jpg", jpeg_with_gps_and_orientation(), "image/jpeg")
    assert form.is_valid(), form.errors
    article = form.save()
    assert "urlaub" not in article.cover_image.name
    with article.cover_image.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()
        assert stored.size == (20, 40)  # the orientation tag was applied before it was dropped


def test_a_text_file_named_like_a_jpeg_is_refused_with_a_german_message():
    form = form_with_cover("cover.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    assert not form.is_valid()
    assert "kein Bild" in " ".join(form.errors["cover_image"])


def test_an_svg_cover_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    form = form_with_cover("cover.svg", svg, "image/svg+xml")
    assert not form.is_valid()
    assert "cover_image" in form.errors


def test_a_plain_png_cover_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 120, 40)).save(buffer, "PNG")
    form = form_with_cover("cover.png", buffer.getvalue(), "image/png")
    assert form.is_valid(), form.errors
