"""The two demo PDFs, made with fpdf2: valid files, German text intact, a picture per exercise."""

import io
import re

import pytest
from PIL import Image

from demo import figures
from demo.loaders import blog as demo_blog
from demo.loaders import newsletter as demo_newsletter
from demo.pdf.exercise_plan import exercise_plan_pdf
from demo.pdf.guide import guide_pdf
from tests.demo.support import assert_valid_pdf, pdf_text, printed

pytestmark = pytest.mark.django_db  # reading the blog's files checks links against the database


@pytest.fixture(scope="module")
def guide():
    data = demo_newsletter.read().guide
    texts = {key: data[key] for key in demo_newsletter.guide_pdf.SCHEMA}
    pdf = guide_pdf(
        title=data["title"], subtitle=data["subtitle"], cover=data["cover"], texts=texts
    )
    return data, pdf


@pytest.fixture
def plan(db):
    download = demo_blog.read().downloads["uebungsplan-ruecken"]
    return download, exercise_plan_pdf(title=download.title, texts=download.texts)


def images_in(data: bytes) -> int:
    return data.count(b"/Subtype /Image")


def test_the_guide_is_a_valid_pdf_of_nine_pages_with_its_title_and_author(guide):
    _data, pdf = guide
    assert_valid_pdf(pdf.content)
    assert pdf.pages == 9
    assert b"/Count 9" in pdf.content
    assert b"/Title (Faszien & Dehnen: Dein 14-Tage-Start)" in pdf.content
    assert b"/Author (Jana Berger)" in pdf.content


def test_the_guide_has_a_picture_for_every_exercise(guide):
    data, pdf = guide
    exercises = data["exercises"]
    assert len(exercises) == 10
    # fpdf2 stores an image once however often it is used: ten images, ten different drawings.
    assert images_in(pdf.content) == len(exercises)
    drawings = {figures.render(figures.figure_from_data(e["figure"])) for e in exercises}
    assert len(drawings) == len(exercises)


def test_the_guide_prints_german_text_in_windows_1252(guide):
    _data, pdf = guide
    text = pdf_text(pdf.content)
    for expected in (
        "Übung 1: Katze und Kuh",
        "Schön, dass du da bist",
        "„Ich bin einfach nicht beweglich.“",
        "Dauer: 2 Minuten pro Fuß.",
        "Tag 13 und 14: Dein Lieblingsprogramm – wähle die fünf Übungen,",
    ):
        assert printed(expected) in text, expected
    assert b"/Encoding /WinAnsiEncoding" in pdf.content
    assert b"/BaseFont /Helvetica-Bold" in pdf.content


def page_numbers(text: bytes) -> list[tuple[int, int]]:
    # fpdf2 writes the page count, known only at the end, as a string of its own.
    found = re.findall(rb"\(Seite (\d+) von \) Tj \((\d+)\) Tj", text)
    return [(int(number), int(total)) for number, total in found]


def test_every_page_after_the_cover_says_which_of_how_many_it_is(guide):
    _data, pdf = guide
    assert page_numbers(pdf_text(pdf.content)) == [(number, 9) for number in range(2, 10)]


def test_the_exercise_plan_has_a_cover_two_pages_of_exercises_and_a_tracker(plan):
    download, pdf = plan
    assert_valid_pdf(pdf.content)
    assert pdf.pages == 4
    text = pdf_text(pdf.content)
    for expected in (
        "Übungsplan Rücken",
        "Die Übungen 1 bis 4",
        "Die Übungen 5 bis 7",
        "Brustwirbelsäule auf der Rolle",
        "Tipp: Lieber niedriger und stabil als hoch und wackelig.",
        "Dein Zwei-Wochen-Plan",
        "Wie geht es deinem Rücken? (0–10)",
    ):
        assert printed(expected) in text, expected
    assert page_numbers(text) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert images_in(pdf.content) == len(download.texts["exercises"]) == 7


def test_a_drawing_is_a_png_of_the_figure_box_and_the_same_each_time():
    figure = figures.Figure(body=((0, 7, 60, 40, 120, 7),), head=(60, 48, 6), balls=((30, 12, 5),))
    first = figures.render(figure)
    figures.render.cache_clear()
    assert figures.render(figure) == first
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG"
    assert image.height / image.width == pytest.approx(figure.aspect, abs=0.01)
    assert len(image.getcolors()) > 5  # teal, sand, cream and the smooth edges between them


def test_no_module_of_the_running_site_imports_demo_code():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in ("blog", "comments", "newsletter", "feelmove"):
        for path in (root / app).rglob("*.py"):
            source = path.read_text()
            assert not re.search(r"^\s*(from|import)\s+demo\b", source, re.M), path
            assert ".demo import" not in source and '"demo.' not in source, path
