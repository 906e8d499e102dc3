"""The download "Übungsplan Rücken": a cover, the illustrated exercises and a two-week tracker.

The texts come from content/blog/downloads/<key>.toml (checked against SCHEMA by the loader);
this module only lays them out.
"""

from demo import figures
from demo.pdf.layout import CREAM, GREY, INK, LIGHT, SAND, TEAL, DemoPdf, PdfFile

MARGIN = 56
FIGURE_WIDTH = 160
FIGURE_GAP = 20
EXERCISE_SPACING = 26

SCHEMA = {
    "pdf": {"author": "text", "footer": "text", "page_number": "template"},
    "cover": {
        "subtitle": "prose",
        "byline": "text",
        "intro": "prose",
        "how_to_heading": "text",
        "how_to": ["prose"],
        "warning_title": "text",
        "warnings": ["prose"],
    },
    "exercise_pages": {"heading": "template", "per_page": "int", "tip": "template"},
    "exercises": [
        {"name": "text", "dose": "text", "how": "prose", "tip": "prose", "figure": figures.SCHEMA}
    ],
    "tracker": {
        "heading": "text",
        "intro": "prose",
        "days": ["text"],
        "weeks": ["text"],
        "rating_heading": "text",
        "ratings": ["text"],
        "notes_heading": "text",
        "disclaimer": "prose",
    },
}


class ExercisePlanPdf(DemoPdf):
    """Pages laid out by hand (no automatic page breaks), each with the same footer."""

    def __init__(self, *, title: str, texts: dict):
        super().__init__(title=title, author=texts["pdf"]["author"], margin=MARGIN)
        self.texts = texts

    def footer(self) -> None:
        bottom = self.h - 44
        self.stroke(LIGHT, 0.8)
        self.line(MARGIN, bottom, self.w - MARGIN, bottom)
        self.use_font(8.5, colour=GREY)
        self.line_at(MARGIN, bottom + 14, self.texts["pdf"]["footer"])
        # {nb} is fpdf2's stand-in for the page count, filled in when the document is written.
        label = self.texts["pdf"]["page_number"].format(number=self.page_no(), total="{nb}")
        self.set_xy(MARGIN, bottom + 6)
        self.cell(self.epw, 10, label, align="R")

    def page_heading(self, title: str) -> None:
        self.add_page()
        self.fill(TEAL)
        self.rect(0, 0, self.w, 8, style="F")
        self.use_font(20, bold=True, colour=TEAL)
        self.line_at(MARGIN, 70, title)
        self.fill(SAND)
        self.rect(MARGIN, 79, 48, 3, style="F")
        self.set_y(100)


def _cover(pdf: ExercisePlanPdf, title: str, cover: dict) -> None:
    pdf.add_page()
    band = 250
    pdf.fill(TEAL)
    pdf.rect(0, 0, pdf.w, band, style="F")
    with pdf.rect_clip(0, 0, pdf.w, band):
        for number, radius in enumerate((150, 115, 80)):
            pdf.stroke(SAND if number % 2 == 0 else CREAM, 5)
            pdf.circle(pdf.w - 70, band, radius, style="D")
    pdf.use_font(34, bold=True, colour=CREAM)
    pdf.line_at(MARGIN, 110, title)
    pdf.use_font(13, colour=CREAM)
    pdf.set_xy(MARGIN, 124)
    pdf.wrapped(330, 18, cover["subtitle"])
    pdf.use_font(10, colour=SAND)
    pdf.line_at(MARGIN, 205, cover["byline"])

    pdf.set_y(band + 36)
    pdf.paragraph(cover["intro"], size=10.5, after=14)
    pdf.use_font(14, bold=True, colour=TEAL)
    pdf.wrapped(0, 20, cover["how_to_heading"])
    pdf.set_y(pdf.get_y() + 4)
    pdf.items(cover["how_to"], size=10.5, indent=14, gap=4)
    pdf.set_y(pdf.get_y() + 10)
    pdf.box(
        cover["warning_title"],
        cover["warnings"],
        background=CREAM,
        border=SAND,
        accent=TEAL,
        size=10,
        title_size=12,
    )


def _exercise_page(pdf: ExercisePlanPdf, numbered: list[tuple[int, dict]]) -> None:
    labels = pdf.texts["exercise_pages"]
    pdf.page_heading(labels["heading"].format(first=numbered[0][0], last=numbered[-1][0]))
    text_x = MARGIN + FIGURE_WIDTH + FIGURE_GAP
    text_width = pdf.w - MARGIN - text_x
    for number, exercise in numbered:
        top = pdf.get_y() + 12
        figure = figures.figure_from_data(exercise["figure"])
        figure_height = pdf.picture(figures.render(figure), MARGIN, top, FIGURE_WIDTH)
        pdf.fill(SAND)
        pdf.circle(MARGIN + 2, top + 2, 11, style="F")
        pdf.use_font(11, bold=True, colour=TEAL)
        pdf.line_at(MARGIN + 2, top + 6, str(number), align="C")

        pdf.set_xy(text_x, top)
        pdf.use_font(13, bold=True, colour=TEAL)
        pdf.cell(text_width, 16, exercise["name"])
        pdf.set_xy(text_x, top + 17)
        pdf.use_font(9.5, bold=True, colour=GREY)
        pdf.cell(text_width, 14, exercise["dose"])
        pdf.set_y(top + 33)
        pdf.paragraph(exercise["how"], size=10, x=text_x, width=text_width, after=2)
        tip = labels["tip"].format(tip=exercise["tip"])
        pdf.paragraph(tip, size=9.5, colour=GREY, x=text_x, width=text_width, after=0)
        pdf.set_y(max(pdf.get_y(), top + figure_height) + EXERCISE_SPACING)


def _tracker_page(pdf: ExercisePlanPdf) -> None:
    tracker = pdf.texts["tracker"]
    pdf.page_heading(tracker["heading"])
    pdf.paragraph(tracker["intro"], size=10.5, after=18)
    width = pdf.epw
    label_width = 90
    cell = (width - label_width) / len(tracker["days"])
    y = pdf.get_y() + 8
    pdf.use_font(10, bold=True, colour=TEAL)
    for index, day in enumerate(tracker["days"]):
        pdf.line_at(MARGIN + label_width + (index + 0.5) * cell, y, day, align="C")
    y += 6
    row = 40
    for week in tracker["weeks"]:
        pdf.stroke(LIGHT, 0.8)
        pdf.rect(MARGIN, y, width, row, style="D")
        pdf.use_font(10.5, bold=True, colour=INK)
        pdf.line_at(MARGIN + 10, y + 24, week)
        pdf.stroke(TEAL, 1.2)
        for index in range(len(tracker["days"])):
            centre = MARGIN + label_width + (index + 0.5) * cell
            pdf.rect(centre - 8, y + 12, 16, 16, style="D")
        y += row

    y += 40
    pdf.use_font(13, bold=True, colour=TEAL)
    pdf.line_at(MARGIN, y, tracker["rating_heading"])
    y += 24
    for label in tracker["ratings"]:
        pdf.use_font(10.5, colour=INK)
        pdf.line_at(MARGIN, y, label)
        pdf.stroke(GREY, 0.8)
        pdf.line(MARGIN + 120, y + 2, MARGIN + 220, y + 2)
        y += 26
    y += 14
    pdf.use_font(13, bold=True, colour=TEAL)
    pdf.line_at(MARGIN, y, tracker["notes_heading"])
    y += 14
    pdf.stroke(LIGHT, 0.8)
    for _ in range(7):
        y += 24
        pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_y(y + 26)
    pdf.paragraph(tracker["disclaimer"], size=9, colour=GREY)


def exercise_plan_pdf(*, title: str, texts: dict) -> PdfFile:
    """The exercise plan as a PDF, from the checked contents of its TOML file."""
    pdf = ExercisePlanPdf(title=title, texts=texts)
    _cover(pdf, title, texts["cover"])
    numbered = list(enumerate(texts["exercises"], start=1))
    per_page = texts["exercise_pages"]["per_page"]
    for start in range(0, len(numbered), per_page):
        _exercise_page(pdf, numbered[start : start + per_page])
    _tracker_page(pdf)
    return pdf.finish()
