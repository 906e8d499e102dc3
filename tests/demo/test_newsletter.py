"""The newsletter's demo: the guide with its PDF and cover, subscribers of every status, issues."""

import io

import pytest
from PIL import Image

from demo.content import DemoContentError
from demo.loaders import newsletter as demo_newsletter
from newsletter.models import Guide, Issue, Subscriber
from tests.demo.support import assert_valid_pdf, edit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def content():
    return demo_newsletter.read()


def test_load_creates_the_guide_subscribers_and_issues_and_changes_nothing_when_run_again(
    content,
):
    demo_newsletter.load(content)
    counts = (Guide.objects.count(), Subscriber.objects.count(), Issue.objects.count())
    guide = Guide.objects.get()
    Subscriber.objects.filter(email="anna.schmidt@example.de").update(first_name="Geändert")

    demo_newsletter.load(content)
    assert (Guide.objects.count(), Subscriber.objects.count(), Issue.objects.count()) == counts
    assert Subscriber.objects.get(email="anna.schmidt@example.de").first_name == "Geändert"
    assert guide.is_active
    assert {s.status for s in Subscriber.objects.all()} == {"confirmed", "pending", "unsubscribed"}
    assert {i.status for i in Issue.objects.all()} == {"sent", "draft"}
    sent = Issue.objects.get(status="sent")
    assert (
        sent.deliveries.count() == Subscriber.objects.filter(confirmed_at__isnull=False).count() - 1
    )


def test_the_guide_gets_its_landing_page_texts_from_the_data_file(content):
    demo_newsletter.load(content)

    guide = Guide.objects.get()
    assert guide.title == "Faszien & Dehnen: Dein 14-Tage-Start"
    assert len(guide.description_paragraphs()) == 2
    assert guide.description.startswith("Du sitzt viel, dein Rücken meldet sich öfter, und beim")
    assert guide.contents_list()[0] == "Was Faszien sind und warum sie Bewegung brauchen"
    assert len(guide.contents_list()) == 6
    assert guide.cover_alt.startswith("Titelbild des Guides: „Faszien & Dehnen")


def test_a_guide_the_author_made_herself_stays_the_active_one(content):
    Guide.objects.create(title="Mein eigener Guide", description="Text", is_active=True)

    demo_newsletter.load(content)

    assert Guide.objects.active().get().title == "Mein eigener Guide"


def test_the_demo_guide_is_a_multi_page_pdf(content):
    data = demo_newsletter.build_guide_pdf(content.guide)
    assert_valid_pdf(data)
    assert b"/Count 9" in data
    assert b"/BaseFont /Helvetica" in data and b"/WinAnsiEncoding" in data


def test_the_demo_cover_is_a_png_in_portrait_format(content):
    image = Image.open(io.BytesIO(demo_newsletter.build_guide_cover(content.guide)))
    assert image.format == "PNG"
    assert image.height > image.width


def test_a_demo_reader_can_download_the_generated_guide(client, content):
    from newsletter.tokens import download_token

    demo_newsletter.load(content)
    reader = Subscriber.objects.get(email="anna.schmidt@example.de")
    response = client.post(f"/gratis-guide/download/{download_token(reader)}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.")
    landing = client.get("/gratis-guide/").content.decode()
    assert "Dein 14-Tage-Start" in landing and "guide-cover" in landing


@pytest.mark.parametrize(
    ("file", "original", "broken", "message"),
    [
        ("subscribers.toml", 'status = "pending"', 'status = "waiting"', "status must be one of"),
        ("subscribers.toml", "days_ago = 60", 'days_ago = "60"', "must be a whole number"),
        (
            "issues/01-drei-minuten-fuer-deinen-ruecken.toml",
            "sent_days_ago = 5\n",
            "",
            "only a sent one, has sent_days_ago",
        ),
        ("guide.toml", 'title = "Faszien & Dehnen', 'titel = "Faszien & Dehnen', "titel"),
        ("guide.toml", 'heading = "Übung {number}: {title}"', 'heading = "Übung {nr}"', "{nr}"),
        ("guide.toml", 'note = "Achtung"', 'note = "Achtung →"', "'→'"),
        ("guide.toml", "body = [[32, 10, 32, 38],", "body = [[32, 10, 32],", "body line 1 needs"),
        ("guide.toml", "head = [24, 36, 6]", "head = [24, 36]", "exercises[1].figure: head"),
    ],
)
def test_a_broken_newsletter_file_is_reported_with_its_name(
    content_copy, file, original, broken, message
):
    path = content_copy / "newsletter" / file
    edit(path, original, broken)

    with pytest.raises(DemoContentError) as error:
        demo_newsletter.read(content_copy / "newsletter")

    assert str(error.value).startswith(f"{path.name}: ")
    assert message in str(error.value)


def test_every_exercise_of_the_guide_needs_a_picture(content_copy):
    path = content_copy / "newsletter" / "guide.toml"
    text = path.read_text()
    start = text.index("[exercises.figure]")
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2 :])

    with pytest.raises(DemoContentError, match=r"guide\.toml: exercises\[1\] lacks figure"):
        demo_newsletter.read(content_copy / "newsletter")
