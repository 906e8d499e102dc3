"""The guide's files from the admin get the editor's checks: the cover is cleaned, the PDF is
checked for active content, and neither keeps the name it was uploaded with."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from newsletter.models import Guide
from tests.blog.test_uploads import jpeg_with_gps_and_orientation
from tests.newsletter.factories import PDF_BYTES, GuideFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def guide_form(**files):
    data = {
        "title": "Faszien-Guide",
        "description": "Zehn Übungen für jeden Tag.",
        "cover_alt": "Eine Frau dehnt sich",
        "pdf": SimpleUploadedFile("Entwurf Jana Berger.pdf", PDF_BYTES, "application/pdf"),
    }
    data.update(files)
    return data


def test_a_guide_cover_loses_its_gps_position_and_its_file_name(admin_client, client):
    photo = SimpleUploadedFile(
        "IMG_2041 Jana Garten Pankow.jpg", jpeg_with_gps_and_orientation(), "image/jpeg"
    )
    response = admin_client.post(
        "/admin/newsletter/guide/add/", guide_form(cover_image=photo, is_active="on")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    guide = Guide.objects.get()
    assert "Jana" not in guide.cover_image.name and "IMG" not in guide.cover_image.name
    assert guide.cover_image.name.startswith("guides/covers/")
    with Image.open(guide.cover_image.path) as stored:
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(GPS_IFD)
        assert stored.size == (20, 40)  # turned upright before the orientation tag was dropped
    page = client.get("/gratis-guide/").content.decode()
    assert guide.cover_image.url in page


def test_a_guide_pdf_is_stored_under_a_random_name(admin_client):
    response = admin_client.post("/admin/newsletter/guide/add/", guide_form())

    assert response.status_code == 302
    name = Guide.objects.get().pdf.name
    assert "Jana" not in name and name.endswith(".pdf")


def test_a_cover_that_is_also_a_web_page_is_refused_in_german_and_the_typed_text_kept(
    admin_client,
):
    # A real JPEG (Django's own image check passes it) that a browser could also run as HTML.
    polyglot = jpeg_with_gps_and_orientation() + b"<html><script>alert(1)</script></html>"
    fake = SimpleUploadedFile("cover.jpg", polyglot, "image/jpeg")

    response = admin_client.post("/admin/newsletter/guide/add/", guide_form(cover_image=fake))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cover_image" in errors and "HTML" in " ".join(errors["cover_image"])
    assert "Zehn Übungen für jeden Tag." in response.content.decode()
    assert not Guide.objects.exists()


def test_an_svg_cover_is_refused(admin_client):
    svg = SimpleUploadedFile(
        "cover.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
    )

    response = admin_client.post("/admin/newsletter/guide/add/", guide_form(cover_image=svg))

    assert "cover_image" in response.context["adminform"].form.errors
    assert not Guide.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            PDF_BYTES.replace(
                b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>"
            ),
            "Skripte",
        ),
        (
            PDF_BYTES.replace(b"/Type /Catalog", b"/Type /Catalog /AA << /O << /S /Launch >> >>"),
            "Skripte",
        ),
        (b"<html>kein PDF</html>", "kein gültiges PDF"),
        (PDF_BYTES.replace(b"%%EOF", b""), "kein gültiges PDF"),
        (b"", "leer"),
    ],
)
def test_a_guide_pdf_with_active_content_or_none_at_all_is_refused(admin_client, content, message):
    pdf = SimpleUploadedFile("guide.pdf", content, "application/pdf")

    response = admin_client.post("/admin/newsletter/guide/add/", guide_form(pdf=pdf))

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["pdf"])
    assert message in errors, errors
    assert not Guide.objects.exists()


def test_changing_a_guide_without_new_files_keeps_its_cover_and_pdf(admin_client):
    guide = GuideFactory(cover_image=ContentFile(jpeg_with_gps_and_orientation(), "x.jpg"))
    cover, pdf = guide.cover_image.name, guide.pdf.name

    response = admin_client.post(
        f"/admin/newsletter/guide/{guide.pk}/change/",
        {"title": "Neuer Titel", "description": "Text", "cover_alt": "Bild", "is_active": "on"},
    )

    assert response.status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.cover_image.name, guide.pdf.name) == ("Neuer Titel", cover, pdf)


def test_the_migration_cleans_a_cover_stored_before_the_checks():
    guide = GuideFactory(
        cover_image=ContentFile(jpeg_with_gps_and_orientation(), "Urlaub Jana Rügen.jpg")
    )
    old_path = guide.cover_image.path
    with Image.open(old_path) as before:
        assert before.getexif().get_ifd(GPS_IFD)
    migration = importlib.import_module("newsletter.migrations.0005_clean_stored_guide_covers")

    migration.clean_stored_covers(apps, None)

    guide.refresh_from_db()
    assert "Jana" not in guide.cover_image.name
    with Image.open(guide.cover_image.path) as after:
        assert not after.getexif()
    assert not guide.cover_image.storage.exists(old_path.rsplit("media/", 1)[-1])
