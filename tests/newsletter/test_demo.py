"""The demo content: a real multi-page guide PDF, a cover, subscribers of every status, issues."""

import io
import re

import pytest
from PIL import Image

from feelmove.demo import ensure_author
from newsletter import demo
from newsletter.models import Guide, Issue, Subscriber

pytestmark = pytest.mark.django_db


def test_load_creates_the_guide_subscribers_and_issues_and_changes_nothing_when_run_again():
    author = ensure_author()
    demo.load(author=author)
    counts = (Guide.objects.count(), Subscriber.objects.count(), Issue.objects.count())
    guide = Guide.objects.get()
    Subscriber.objects.filter(email="anna.schmidt@example.de").update(first_name="Geändert")

    demo.load(author=author)
    assert (Guide.objects.count(), Subscriber.objects.count(), Issue.objects.count()) == counts
    assert Subscriber.objects.get(email="anna.schmidt@example.de").first_name == "Geändert"
    assert guide.is_active
    assert {s.status for s in Subscriber.objects.all()} == {"confirmed", "pending", "unsubscribed"}
    assert {i.status for i in Issue.objects.all()} == {"sent", "draft"}
    sent = Issue.objects.get(status="sent")
    assert (
        sent.deliveries.count() == Subscriber.objects.filter(confirmed_at__isnull=False).count() - 1
    )


def test_the_demo_guide_is_a_multi_page_pdf_with_german_text():
    data = demo.guide_pdf()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    pages = int(re.search(rb"/Count (\d+)", data).group(1))
    assert pages >= 8
    assert b"/BaseFont /Helvetica" in data and b"/WinAnsiEncoding" in data


def test_the_demo_cover_is_a_png_in_portrait_format():
    image = Image.open(io.BytesIO(demo.guide_cover_png()))
    assert image.format == "PNG"
    assert image.height > image.width


def test_a_demo_reader_can_download_the_generated_guide(client):
    from newsletter.tokens import download_token

    demo.load(author=ensure_author())
    reader = Subscriber.objects.get(email="anna.schmidt@example.de")
    response = client.get(f"/gratis-guide/download/{download_token(reader)}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    landing = client.get("/gratis-guide/").content.decode()
    assert "Dein 14-Tage-Start" in landing and "guide-cover" in landing
