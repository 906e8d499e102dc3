"""What both demo PDFs share: fpdf2 set up for German text, the colours, and a few text blocks.

The font is fpdf2's built-in Helvetica with Windows-1252 (WinAnsiEncoding). Every PDF reader has
it, so nothing is embedded or downloaded, and the encoding prints all of German: ä ö ü ß, „ “,
– and …, which Latin-1 (fpdf2's default) lacks. The loader refuses a text with a character
outside it and names the file, before anything is written. A Unicode TTF would have to be shipped
or found on the machine; for German text it buys nothing.
"""

import io
from dataclasses import dataclass

from fpdf import FPDF

ENCODING = "windows-1252"
FONT = "helvetica"

Colour = tuple[int, int, int]
TEAL: Colour = (29, 92, 87)
TEAL_DARK: Colour = (20, 63, 60)
SAND: Colour = (242, 179, 107)
CREAM: Colour = (250, 246, 239)
CREAM_DARK: Colour = (239, 230, 216)
RUST: Colour = (168, 70, 47)
INK: Colour = (31, 42, 42)
MUTED: Colour = (79, 93, 92)
GREY: Colour = (140, 145, 148)
LIGHT: Colour = (219, 222, 219)
WHITE: Colour = (255, 255, 255)


@dataclass(frozen=True)
class PdfFile:
    """A finished PDF and its number of pages (an article's download link states it)."""

    content: bytes
    pages: int


class DemoPdf(FPDF):
    """An A4 document measured in points, with the text blocks the demo PDFs are made of."""

    def __init__(self, *, title: str, author: str, subject: str = "", margin: float):
        super().__init__(orientation="portrait", unit="pt", format="A4")
        self.core_fonts_encoding = ENCODING
        self.set_title(title)
        self.set_author(author)
        if subject:
            self.set_subject(subject)
        self.set_creator("feelmove")
        self.set_lang("de-DE")
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(False)

    def finish(self) -> PdfFile:
        return PdfFile(content=bytes(self.output()), pages=self.pages_count)

    # -- small pieces ---------------------------------------------------------------------------

    def use_font(self, size: float, *, bold: bool = False, colour: Colour = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def fill(self, colour: Colour) -> None:
        self.set_fill_color(*colour)

    def stroke(self, colour: Colour, width: float = 1) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(width)

    def line_at(self, x: float, y: float, text: str, *, align: str = "L") -> None:
        """One line of text in the current font with its baseline at y, ending at x for "R"."""
        if align == "R":
            x -= self.get_string_width(text)
        elif align == "C":
            x -= self.get_string_width(text) / 2
        self.text(x, y, text)

    def picture(self, png: bytes, x: float, y: float, width: float) -> float:
        """A PNG placed with its top left corner at (x, y); returns its height."""
        info = self.image(io.BytesIO(png), x=x, y=y, w=width)
        return info.rendered_height

    def wrapped(self, width: float, leading: float, text: str) -> None:
        """Left-aligned lines from the current position down; `width` 0 runs to the margin."""
        self.multi_cell(width, leading, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def lines_of(self, text: str, width: float, size: float, *, bold: bool = False) -> int:
        """How many lines `text` needs at this width and size."""
        self.set_font(FONT, "B" if bold else "", size)
        lines = self.multi_cell(width, size, text, align="L", dry_run=True, output="LINES")
        return len(lines)

    # -- text blocks, from the current y downwards ---------------------------------------------

    def paragraph(
        self, text: str, *, size: float = 11, bold: bool = False, colour: Colour = INK,
        x: float | None = None, width: float = 0, leading: float | None = None,
        after: float = 8,
    ) -> None:  # fmt: skip
        """Wrapped text; `width` 0 runs to the right margin."""
        self.use_font(size, bold=bold, colour=colour)
        self.set_x(self.l_margin if x is None else x)
        self.wrapped(width, leading or size * 1.45, text)
        self.set_y(self.get_y() + after)

    def items(
        self, items: list[str], *, numbered: bool = False, size: float = 11,
        x: float | None = None, width: float = 0, indent: float = 20, gap: float = 3,
        marker_colour: Colour = TEAL, colour: Colour = INK, leading: float | None = None,
    ) -> None:  # fmt: skip
        """A bullet list, or numbered steps, with the markers in their own column."""
        x = self.l_margin if x is None else x
        width = width or self.w - self.r_margin - x
        leading = leading or size * 1.45
        for number, item in enumerate(items, start=1):
            if self.auto_page_break and self.will_page_break(leading * 2):
                self.add_page()
            top = self.get_y()
            self.use_font(size, bold=True, colour=marker_colour)
            self.set_xy(x, top)
            self.cell(indent, leading, f"{number}." if numbered else "•")
            self.use_font(size, colour=colour)
            self.set_xy(x + indent, top)
            self.wrapped(width - indent, leading, item)
            self.set_y(self.get_y() + gap)

    def box(
        self, title: str, text: str | list[str], *, background: Colour = CREAM,
        accent: Colour = RUST, border: Colour | None = None, x: float | None = None,
        width: float = 0, size: float = 10.5, title_size: float = 11,
        title_colour: Colour | None = None,
    ) -> None:  # fmt: skip
        """A shaded note with a title: a bar on the left, or a border all round."""
        x = self.l_margin if x is None else x
        width = width or self.w - self.r_margin - x
        pad, leading = 12, size * 1.43
        inner = width - 2 * pad - (0 if border else 6)
        texts = text if isinstance(text, list) else [text]
        bullets = isinstance(text, list)
        text_lines = sum(
            self.lines_of(t, inner - (14 if bullets else 0), size) for t in texts
        ) * leading + (len(texts) - 1) * (2 if bullets else 0)
        height = 2 * pad + title_size * 1.6 + text_lines
        if self.auto_page_break and self.will_page_break(height + 10):
            self.add_page()
        top = self.get_y() + 4
        self.fill(background)
        if border:
            self.stroke(border, 1.2)
            self.rect(x, top, width, height, style="DF")
        else:
            self.rect(x, top, width, height, style="F")
            self.fill(accent)
            self.rect(x, top, 4, height, style="F")
        left = x + pad + (0 if border else 6)
        self.use_font(title_size, bold=True, colour=title_colour or accent)
        self.set_xy(left, top + pad)
        self.cell(inner, title_size * 1.2, title)
        self.set_y(top + pad + title_size * 1.6)
        if bullets:
            self.items(texts, x=left, width=inner, size=size, indent=14, gap=2, leading=leading)
        else:
            self.paragraph(text, size=size, x=left, width=inner, leading=leading, after=0)
        self.set_y(top + height + 14)
