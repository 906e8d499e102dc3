"""The free guide as a PDF: a cover, an introduction, ten illustrated exercises and a plan.

The texts come from content/newsletter/guide.toml (checked against SCHEMA by the loader); this
module only lays them out.
"""

from demo import figures
from demo.pdf.layout import (
    CREAM,
    CREAM_DARK,
    INK,
    MUTED,
    RUST,
    TEAL,
    TEAL_DARK,
    WHITE,
    DemoPdf,
    PdfFile,
)

MARGIN = 60
TOP = 88  # below the running header
BOTTOM = 72  # above the footer
FIGURE_WIDTH = 150
FIGURE_GAP = 18

SCHEMA = {
    "pdf": {
        "author": "text",
        "subject": "text",
        "header": "text",
        "footer": "text",
        "page_number": "template",
    },
    "welcome": {"heading": "text", "paragraphs": ["prose"], "note_title": "text", "note": "prose"},
    "fascia": {
        "heading": "text",
        "paragraphs": ["prose"],
        "rules_heading": "text",
        "rules": ["prose"],
    },
    "exercise_labels": {"heading": "template", "duration": "template", "note": "text"},
    "exercises": [
        {
            "title": "text",
            "purpose": "prose",
            "steps": ["prose"],
            "duration": "prose",
            "note?": "prose",
            "figure": figures.SCHEMA,
        }
    ],
    "plan": {
        "heading": "text",
        "intro": "prose",
        "days": ["prose"],
        "tip_title": "text",
        "tip": "prose",
    },
    "closing": {
        "heading": "text",
        "paragraphs": ["prose"],
        "warning_title": "text",
        "warning": "prose",
        "farewell": "text",
        "signature": "text",
    },
}


class GuidePdf(DemoPdf):
    """Cover without header and footer; every other page with both and its number."""

    def __init__(self, *, title: str, texts: dict):
        super().__init__(
            title=title,
            author=texts["pdf"]["author"],
            subject=texts["pdf"]["subject"],
            margin=MARGIN,
        )
        self.texts = texts
        self.set_top_margin(TOP)
        self.set_auto_page_break(True, margin=BOTTOM)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.fill(TEAL)
        self.rect(0, 0, self.w, 8, style="F")
        self.use_font(9, bold=True, colour=TEAL)
        self.line_at(MARGIN, 44, self.texts["pdf"]["header"])
        self.stroke(CREAM_DARK)
        self.line(MARGIN, 54, self.w - MARGIN, 54)
        self.set_y(TOP)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        bottom = self.h - 52
        self.stroke(CREAM_DARK)
        self.line(MARGIN, bottom, self.w - MARGIN, bottom)
        self.use_font(8.5, colour=MUTED)
        self.line_at(MARGIN, bottom + 16, self.texts["pdf"]["footer"])
        # {nb} is fpdf2's stand-in for the page count, filled in when the document is written.
        label = self.texts["pdf"]["page_number"].format(number=self.page_no(), total="{nb}")
        self.set_xy(MARGIN, bottom + 7)
        self.cell(self.w - 2 * MARGIN, 12, label, align="R")

    def heading(self, text: str, *, size: float = 20) -> None:
        # Keep a heading with at least three lines of what follows.
        if self.will_page_break(size * 1.25 * self.lines_of(text, self.epw, size, bold=True) + 60):
            self.add_page()
        self.use_font(size, bold=True, colour=TEAL_DARK)
        self.wrapped(0, size * 1.25, text)
        self.set_y(self.get_y() + 8)


def _cover(pdf: GuidePdf, *, cover: dict, subtitle: str) -> None:
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.fill(TEAL)
    pdf.rect(0, 0, width, height, style="F")
    for x, y, r, colour in (
        (width - 40, 60, 190, TEAL_DARK),
        (width - 110, 150, 70, CREAM_DARK),
        (90, height - 150, 120, TEAL_DARK),
        (150, height - 210, 26, RUST),
    ):
        pdf.fill(colour)
        pdf.circle(x, y, r, style="F")
    pdf.stroke((51, 115, 110), 1.2)
    for i in range(7):  # a loose net of lines, like fascia
        y = height - 330 - i * 18
        pdf.line(MARGIN, y, width - MARGIN, y - 60 + i * 14)

    pdf.use_font(13, bold=True, colour=CREAM_DARK)
    pdf.line_at(MARGIN, 174, cover["kicker"])
    pdf.use_font(44, bold=True, colour=WHITE)
    pdf.set_xy(MARGIN, 205)
    pdf.wrapped(width - 2 * MARGIN, 50, " ".join(cover["title"]))
    pdf.use_font(26, bold=True, colour=CREAM)
    pdf.set_y(pdf.get_y() + 2)
    pdf.wrapped(0, 30, cover["subtitle"])
    pdf.use_font(14, colour=WHITE)
    pdf.set_y(pdf.get_y() + 10)
    pdf.wrapped(width - 2 * MARGIN - 60, 20, subtitle)
    pdf.use_font(12, bold=True, colour=WHITE)
    pdf.line_at(MARGIN, height - 64, cover["byline"])


def _exercise(pdf: GuidePdf, number: int, exercise: dict, labels: dict) -> None:
    """Heading, then the picture on the left and what to do on the right, then a warning."""
    figure = figures.figure_from_data(exercise["figure"])
    text_x = MARGIN + FIGURE_WIDTH + FIGURE_GAP
    text_width = pdf.w - MARGIN - text_x
    heading = labels["heading"].format(number=number, title=exercise["title"])
    duration = labels["duration"].format(duration=exercise["duration"])
    text_height = (
        pdf.lines_of(exercise["purpose"], text_width, 11, bold=True) * 11 * 1.45
        + sum(
            pdf.lines_of(step, text_width - 20, 10.5) * 10.5 * 1.45 + 3
            for step in exercise["steps"]
        )
        + 40
    )
    needed = 17 * 1.25 + 8 + max(FIGURE_WIDTH * figure.aspect, text_height)
    if pdf.will_page_break(needed + (70 if "note" in exercise else 0)):
        pdf.add_page()

    pdf.heading(heading, size=17)
    top = pdf.get_y()
    figure_height = pdf.picture(figures.render(figure), MARGIN, top + 2, FIGURE_WIDTH)
    pdf.paragraph(
        exercise["purpose"], size=11, bold=True, colour=TEAL_DARK, x=text_x, width=text_width
    )
    pdf.items(exercise["steps"], numbered=True, size=10.5, x=text_x, width=text_width)
    pdf.paragraph(duration, size=10.5, bold=True, colour=RUST, x=text_x, width=text_width)
    pdf.set_y(max(pdf.get_y(), top + figure_height + 14))
    if "note" in exercise:
        pdf.box(labels["note"], exercise["note"])
    pdf.set_y(pdf.get_y() + 14)


def guide_pdf(*, title: str, subtitle: str, cover: dict, texts: dict) -> PdfFile:
    """The guide as a PDF, from the checked contents of guide.toml."""
    pdf = GuidePdf(title=title, texts=texts)
    _cover(pdf, cover=cover, subtitle=subtitle)

    welcome = texts["welcome"]
    pdf.add_page()
    pdf.heading(welcome["heading"], size=24)
    for text in welcome["paragraphs"]:
        pdf.paragraph(text)
    pdf.box(welcome["note_title"], welcome["note"])

    fascia = texts["fascia"]
    pdf.add_page()
    pdf.heading(fascia["heading"], size=24)
    for text in fascia["paragraphs"]:
        pdf.paragraph(text)
    pdf.heading(fascia["rules_heading"])
    pdf.items(fascia["rules"], numbered=True)

    pdf.add_page()
    for number, exercise in enumerate(texts["exercises"], start=1):
        _exercise(pdf, number, exercise, texts["exercise_labels"])

    plan = texts["plan"]
    pdf.add_page()
    pdf.heading(plan["heading"], size=24)
    pdf.paragraph(plan["intro"])
    pdf.items(plan["days"])
    pdf.box(plan["tip_title"], plan["tip"], accent=TEAL)
    closing = texts["closing"]
    pdf.heading(closing["heading"])
    for text in closing["paragraphs"]:
        pdf.paragraph(text)
    pdf.box(closing["warning_title"], closing["warning"])
    pdf.paragraph(closing["farewell"], bold=True, colour=INK)
    pdf.paragraph(closing["signature"])
    return pdf.finish()
