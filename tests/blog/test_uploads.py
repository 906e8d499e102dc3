"""Uploads from the article editor: staff only, checked by Pillow, cleaned, randomly named."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image, ImageSequence

from blog.uploads import editor_upload
from tests.blog.factories import UserFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/ckeditor5/image_upload/"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def upload(client, name, data, content_type):
    return client.post(UPLOAD_URL, {"upload": SimpleUploadedFile(name, data, content_type)})


def stored_bytes(response) -> bytes:
    """The uploaded file as stored, read back through the storage (local folder or S3)."""
    url = response.json()["url"]
    assert url.startswith("/media/uploads/")
    with default_storage.open(url.removeprefix("/media/"), "rb") as handle:
        return handle.read()


def stored_image(response) -> Image.Image:
    return Image.open(io.BytesIO(stored_bytes(response)))


def error_message(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["error"]["message"]


def jpeg_with_gps_and_orientation(width=40, height=20) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    # Left half dark, so the rotation can be checked on the pixels.
    image.paste((10, 10, 10), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: show rotated by 90° clockwise
    exif[0x010F] = "Kamerahersteller"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"private note")
    return out.getvalue()


def png_bytes(size=(30, 20), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 110)).save(out, format="PNG", **save_options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: the classic decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


# -- who may upload -------------------------------------------------------------------------------


def test_the_editors_upload_url_is_served_by_our_checked_view():
    assert reverse("ck_editor_5_upload_file") == UPLOAD_URL
    assert resolve(UPLOAD_URL).func is editor_upload


def test_an_anonymous_visitor_gets_a_403_with_a_json_message(client, media_root):
    response = upload(client, "bild.png", png_bytes(), "image/png")
    assert response.status_code == 403
    assert response.json()["error"]["message"]
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_a_logged_in_reader_who_is_not_staff_gets_a_403(client):
    client.force_login(UserFactory())
    response = upload(client, "bild.png", png_bytes(), "image/png")
    assert response.status_code == 403
    assert "Berechtigung" in response.json()["error"]["message"]


def test_an_inactive_staff_account_cannot_upload(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    user.is_active = False
    user.save()
    assert upload(client, "bild.png", png_bytes(), "image/png").status_code == 403


def test_only_post_is_accepted(staff_client):
    response = staff_client.get(UPLOAD_URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_csrf_token_the_widget_sends_in_its_header_is_required():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(staff=True))
    without = upload(client, "bild.png", png_bytes(), "image/png")
    assert without.status_code == 403

    client.get(reverse("admin:index"))  # sets the CSRF cookie, as the admin page does
    token = client.cookies["csrftoken"].value
    with_header = client.post(
        UPLOAD_URL,
        {"upload": SimpleUploadedFile("bild.png", png_bytes(), "image/png")},
        headers={"X-CSRFToken": token},
    )
    assert with_header.status_code == 200, with_header.content


def test_a_request_without_a_file_gets_a_clear_message(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert "Datei" in error_message(response)


# -- images are cleaned ---------------------------------------------------------------------------


def test_exif_and_gps_data_are_removed_but_the_orientation_is_applied(staff_client, media_storage):
    response = upload(staff_client, "IMG_1234.JPG", jpeg_with_gps_and_orientation(), "image/jpeg")
    assert response.status_code == 200, response.content

    raw = stored_bytes(response)
    assert b"Exif" not in raw
    assert b"private note" not in raw
    assert b"Kamerahersteller" not in raw
    with stored_image(response) as stored:
        assert stored.format == "JPEG"
        exif = stored.getexif()
        assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)
        assert ORIENTATION not in exif
        # 40×20 landscape with orientation 6 is a 20×40 portrait, dark half now on top.
        assert stored.size == (20, 40)
        top = stored.getpixel((10, 5))
        bottom = stored.getpixel((10, 35))
        assert sum(top) < 100 < sum(bottom)


def test_png_text_chunks_and_exif_are_removed(staff_client, media_root):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Lindenstraße 12, Berlin")
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0)})
    data = png_bytes(pnginfo=info, exif=exif)
    assert b"Lindenstra" in data

    response = upload(staff_client, "karte.png", data, "image/png")
    raw = stored_bytes(response)
    assert b"Lindenstra" not in raw
    assert b"eXIf" not in raw and b"Exif" not in raw


def test_webp_exif_is_removed(staff_client, media_root):
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(out, format="WEBP", exif=exif)

    response = upload(staff_client, "bild.webp", out.getvalue(), "image/webp")
    assert response.json()["url"].endswith(".webp")
    with stored_image(response) as stored:
        assert stored.format == "WEBP"
        assert not stored.getexif()


def test_a_large_image_is_shrunk_to_2000_pixels_on_its_long_side(staff_client, media_root):
    response = upload(staff_client, "panorama.png", png_bytes(size=(3000, 1200)), "image/png")
    with stored_image(response) as stored:
        assert stored.size == (2000, 800)


def test_a_small_image_keeps_its_size(staff_client, media_root):
    response = upload(staff_client, "klein.png", png_bytes(size=(300, 200)), "image/png")
    with stored_image(response) as stored:
        assert stored.size == (300, 200)


def test_an_animated_gif_keeps_its_frames(staff_client, media_root):
    frames = [Image.new("RGB", (20, 20), c) for c in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)

    response = upload(staff_client, "bewegung.gif", out.getvalue(), "image/gif")
    with stored_image(response) as stored:
        assert stored.format == "GIF"
        assert len(list(ImageSequence.Iterator(stored))) == 3


def test_files_are_stored_under_a_random_name_in_a_dated_folder(staff_client, media_storage):
    first = upload(staff_client, "mein-rücken.png", png_bytes(), "image/png").json()["url"]
    second = upload(staff_client, "mein-rücken.png", png_bytes(), "image/png").json()["url"]
    pattern = r"/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png"
    assert re.fullmatch(pattern, first)
    assert re.fullmatch(pattern, second)
    assert first != second


# -- what is refused ------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_with_a_message_not_a_500(staff_client, media_root):
    response = upload(staff_client, "bombe.png", png_declaring_size(100_000, 100_000), "image/png")
    assert "Pixel" in error_message(response)
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_an_image_just_above_the_pixel_limit_is_refused_too(staff_client, monkeypatch):
    # Between MAX_IMAGE_PIXELS and twice that, Pillow only warns; we refuse.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 30 * 20 - 1)
    with pytest.warns(Image.DecompressionBombWarning):
        response = upload(staff_client, "bild.png", png_bytes(size=(30, 20)), "image/png")
    assert "Pixel" in error_message(response)


def test_a_text_file_named_like_an_image_is_refused(staff_client):
    response = upload(staff_client, "foto.jpg", b"Das ist kein Bild.\n" * 10, "image/jpeg")
    assert error_message(response)


def test_a_truncated_image_is_refused(staff_client):
    data = jpeg_with_gps_and_orientation(400, 300)
    response = upload(staff_client, "kaputt.jpg", data[: len(data) // 2], "image/jpeg")
    assert error_message(response)


def test_an_svg_is_refused(staff_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload(staff_client, "logo.svg", svg, "image/svg+xml")
    assert "SVG" in error_message(response)


def test_an_svg_renamed_to_png_is_refused(staff_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert error_message(upload(staff_client, "logo.png", svg, "image/png"))


def test_an_html_file_named_like_an_image_is_refused(staff_client):
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    assert error_message(upload(staff_client, "bild.png", html, "image/png"))


def test_a_valid_png_carrying_html_is_refused_as_a_polyglot(staff_client, media_root):
    data = png_bytes()
    # A text chunk before IEND: still a valid PNG, but a browser sniffing it finds a script.
    evil = png_chunk(b"tEXt", b"Comment\x00<html><script>alert(1)</script></html>")
    polyglot = data[:-12] + evil + data[-12:]
    with Image.open(io.BytesIO(polyglot)) as image:
        image.load()  # Pillow itself is happy with it

    response = upload(staff_client, "bild.png", polyglot, "image/png")
    assert "HTML" in error_message(response)
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_a_png_named_jpg_is_refused_as_not_what_it_claims(staff_client):
    response = upload(staff_client, "foto.jpg", png_bytes(), "image/jpeg")
    assert error_message(response)


def test_a_declared_type_that_differs_from_the_file_is_refused(staff_client):
    response = upload(staff_client, "bild.png", png_bytes(), "text/html")
    assert error_message(response)


def test_other_file_types_are_refused(staff_client):
    response = upload(staff_client, "tabelle.xlsx", b"PK\x03\x04 something", "application/zip")
    assert "PDF" in error_message(response)


def test_an_oversized_file_is_refused(staff_client, settings):
    settings.CKEDITOR_5_MAX_FILE_SIZE = 1  # MB
    data = PDF + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"
    response = upload(staff_client, "gross.pdf", data, "application/pdf")
    assert "1 MB" in error_message(response)


# -- PDF ------------------------------------------------------------------------------------------


def test_a_pdf_is_accepted_and_stored_unchanged(staff_client, media_storage):
    response = upload(staff_client, "Übungsplan Rücken.pdf", PDF, "application/pdf")
    assert response.status_code == 200, response.content
    assert response.json()["url"].endswith(".pdf")
    assert "Rücken" not in response.json()["url"]
    assert stored_bytes(response) == PDF


def test_a_file_named_pdf_that_is_no_pdf_is_refused(staff_client):
    response = upload(
        staff_client, "plan.pdf", b"<html><body>Hallo</body></html>", "application/pdf"
    )
    assert "PDF" in error_message(response)


def test_a_pdf_without_its_end_marker_is_refused(staff_client):
    response = upload(staff_client, "plan.pdf", PDF.replace(b"%%EOF", b""), "application/pdf")
    assert "PDF" in error_message(response)


def test_a_pdf_with_javascript_is_refused(staff_client):
    evil = PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>"
    )
    response = upload(staff_client, "plan.pdf", evil, "application/pdf")
    assert "PDF" in error_message(response)


def test_a_large_jpeg_is_decoded_at_reduced_scale_and_shrunk_to_2000_pixels(
    staff_client, media_root
):
    out = io.BytesIO()
    Image.new("RGB", (5000, 2000), (90, 140, 120)).save(out, format="JPEG", quality=80)
    response = upload(staff_client, "weit.jpg", out.getvalue(), "image/jpeg")
    with stored_image(response) as stored:
        assert stored.size == (2000, 800)


def test_more_than_50_megapixels_are_refused_even_below_pillows_own_limit(staff_client):
    from blog import uploads

    assert Image.MAX_IMAGE_PIXELS > uploads.MAX_PIXELS
    response = upload(staff_client, "riesig.png", png_declaring_size(8000, 7000), "image/png")
    assert "Pixel" in error_message(response)
