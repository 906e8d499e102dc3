"""A small PDF writer for the site's downloads (the blog's exercise plan, the newsletter guide).

No library needed for a few pages of text and line drawings: the file uses the two standard
fonts Helvetica and Helvetica-Bold (every PDF reader has them) with WinAnsiEncoding, so German
text with ä, ö, ü, ß, „ “, – and € prints correctly. Content streams are compressed with zlib;
the cross-reference table holds the exact byte offset of every object, as the PDF 1.4
specification requires.
"""

import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import md5

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points

Colour = tuple[float, float, float]
BLACK: Colour = (0, 0, 0)

# Advance widths (1/1000 em) of the WinAnsi characters 32…255, for line breaking. Taken from a
# font metric-compatible with Helvetica; characters outside WinAnsi print as "?".
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667,
    667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
    667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500,
    556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278,
    556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 365, 556, 556, 222, 556, 333, 1000,
    556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556, 556, 222, 222, 333, 333, 350, 556,
    1000, 333, 1000, 500, 333, 944, 556, 500, 667, 278, 333, 556, 556, 556, 556, 260, 556,
    333, 737, 370, 556, 584, 0, 737, 552, 400, 549, 333, 333, 333, 576, 537, 278, 333, 333,
    365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667,
    667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278,
    278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 549, 611, 556, 556, 556, 556, 500,
    556, 500
)  # fmt: skip

_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722,
    722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722,
    667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556,
    611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333,
    611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 365, 556, 556, 278, 556, 500, 1000,
    556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556, 556, 278, 278, 500, 500, 350, 556,
    1000, 333, 1000, 556, 333, 944, 556, 500, 667, 278, 333, 556, 556, 556, 556, 280, 556,
    333, 737, 370, 556, 584, 0, 737, 552, 400, 549, 333, 333, 333, 576, 556, 278, 333, 333,
    365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667,
    667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278,
    278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556,
    611, 556
)  # fmt: skip

# font name → (resource name in the content streams, base font, widths)
FONTS = {
    "regular": ("F1", "Helvetica", _HELVETICA),
    "bold": ("F2", "Helvetica-Bold", _HELVETICA_BOLD),
}


def encode(text: str) -> bytes:
    """Text in WinAnsiEncoding (Windows-1252), the encoding of the standard fonts."""
    return text.encode("cp1252", errors="replace")


def text_width(text: str, *, font: str = "regular", size: float = 11) -> float:
    """How wide `text` prints, in points."""
    widths = FONTS[font][2]
    return sum(widths[b - 32] if b >= 32 else 0 for b in encode(text)) * size / 1000


def wrap(text: str, *, font: str = "regular", size: float = 11, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` points, at spaces; "\\n" starts a new line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, font=font, size=size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _literal(text: str) -> bytes:
    raw = encode(text).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw.replace(b"\r", b"").replace(b"\n", b" ") + b")"


def _info_string(text: str) -> bytes:
    """A document-information string: PDFDocEncoding where it suffices, else UTF-16.

    PDFDocEncoding agrees with Latin-1 for printable ASCII and U+00A0…U+00FF; those bytes are
    written as octal escapes so the dictionary stays ASCII.
    """
    if all(" " <= char <= "~" or "\xa0" <= char <= "\xff" for char in text):
        out = []
        for char in text:
            if char in "\\()":
                out.append("\\" + char)
            elif char <= "~":
                out.append(char)
            else:
                out.append(f"\\{ord(char):03o}")
        return ("(" + "".join(out) + ")").encode("ascii")
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _numbers(*values: float) -> str:
    return " ".join(map(_number, values))


@dataclass
class Page:
    """The drawing operators of one page; y counts upwards from the bottom edge."""

    ink: Colour = BLACK  # the text colour when none is given
    ops: list[str] = field(default_factory=list)

    def _paint(self, fill: Colour | None, stroke: Colour | None, line_width: float) -> str:
        """Set the colours and return the operator that fills and/or strokes the path."""
        if fill:
            self.ops.append(f"{_numbers(*fill)} rg")
        if stroke:
            self.ops.append(f"{_numbers(*stroke)} RG {_number(line_width)} w")
        return "B" if fill and stroke else ("f" if fill else "S")

    def text(self, x: float, y: float, text: str, *, font="regular", size=11.0, colour=None):
        """One line of text with its baseline at y."""
        self.ops.append(f"{_numbers(*(colour or self.ink))} rg")
        name = FONTS[font][0]
        # Latin-1 maps bytes 1:1 to characters; content() encodes them back unchanged.
        literal = _literal(text).decode("latin-1")
        self.ops.append(f"BT /{name} {_number(size)} Tf {_numbers(x, y)} Td {literal} Tj ET")

    def text_right(
        self, x_right: float, y: float, text: str, *, font="regular", size=11.0, colour=None
    ):
        """One line of text that ends at x_right."""
        x = x_right - text_width(text, font=font, size=size)
        self.text(x, y, text, font=font, size=size, colour=colour)

    def text_centred(
        self, x_centre: float, y: float, text: str, *, font="regular", size=11.0, colour=None
    ):
        """One line of text centred on x_centre."""
        x = x_centre - text_width(text, font=font, size=size) / 2
        self.text(x, y, text, font=font, size=size, colour=colour)

    def paragraph(
        self, x: float, y: float, text: str, *, width: float, font: str = "regular",
        size: float = 11, leading: float | None = None, colour: Colour | None = None,
    ) -> float:  # fmt: skip
        """Wrapped text from baseline y downwards; returns the baseline below the last line."""
        leading = leading or size * 1.45
        for line in wrap(text, font=font, size=size, width=width):
            self.text(x, y, line, font=font, size=size, colour=colour)
            y -= leading
        return y

    def rect(self, x, y, w, h, *, fill: Colour | None = None, stroke=None, line_width=1) -> None:
        operator = self._paint(fill, stroke, line_width)
        self.ops.append(f"{_numbers(x, y, w, h)} re {operator}")

    def polyline(self, points: Sequence[tuple[float, float]], *, colour: Colour, line_width=1):
        """Straight segments through `points`, with round caps and joins."""
        self._paint(None, colour, line_width)
        (x, y), *rest = points
        path = [f"{_numbers(x, y)} m", *(f"{_numbers(px, py)} l" for px, py in rest)]
        self.ops.append("1 J 1 j " + " ".join(path) + " S")

    def line(self, x1, y1, x2, y2, *, colour: Colour, line_width=1) -> None:
        self.polyline([(x1, y1), (x2, y2)], colour=colour, line_width=line_width)

    def circle(self, cx, cy, r, *, fill: Colour | None = None, stroke=None, line_width=1) -> None:
        k = 0.5523 * r  # control-point distance that makes four Bézier curves a circle
        path = [
            f"{_numbers(cx + r, cy)} m",
            f"{_numbers(cx + r, cy + k, cx + k, cy + r, cx, cy + r)} c",
            f"{_numbers(cx - k, cy + r, cx - r, cy + k, cx - r, cy)} c",
            f"{_numbers(cx - r, cy - k, cx - k, cy - r, cx, cy - r)} c",
            f"{_numbers(cx + k, cy - r, cx + r, cy - k, cx + r, cy)} c",
        ]
        operator = self._paint(fill, stroke, line_width)
        self.ops.append(" ".join(path) + f" {operator}")

    @contextmanager
    def clip(self, x: float, y: float, w: float, h: float) -> Iterator[None]:
        """Limit what is drawn inside the with-block to a rectangle."""
        self.ops.append(f"q {_numbers(x, y, w, h)} re W n")
        try:
            yield
        finally:
            self.ops.append("Q")

    def content(self) -> bytes:
        return "\n".join(self.ops).encode("latin-1")


class PdfDocument:
    """Pages plus document information, written out as one PDF file."""

    def __init__(self, *, title: str, author: str, subject: str = "", ink: Colour = BLACK):
        self.title, self.author, self.subject = title, author, subject
        self.ink = ink
        self.pages: list[Page] = []

    def add_page(self) -> Page:
        page = Page(ink=self.ink)
        self.pages.append(page)
        return page

    def to_bytes(self, *, created: datetime | None = None) -> bytes:
        fonts = list(FONTS.values())
        # Object numbers: 1 catalog, 2 page tree, 3 info, 4… fonts, then page and content pairs.
        font_numbers = {name: 4 + i for i, (name, _base, _w) in enumerate(fonts)}
        first_page = 4 + len(fonts)
        page_numbers = [first_page + 2 * i for i in range(len(self.pages))]
        font_resources = " ".join(f"/{name} {num} 0 R" for name, num in font_numbers.items())
        kids = " ".join(f"{n} 0 R" for n in page_numbers)

        objects: dict[int, bytes] = {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: f"<< /Type /Pages /Kids [{kids}] /Count {len(self.pages)} >>".encode(),
        }
        info = b"<< /Title " + _info_string(self.title) + b" /Author " + _info_string(self.author)
        if self.subject:
            info += b" /Subject " + _info_string(self.subject)
        info += b" /Producer (feelmove)"
        if created:
            info += created.strftime(" /CreationDate (D:%Y%m%d%H%M%S)").encode()
        objects[3] = info + b" >>"
        for name, base, _widths in fonts:
            objects[font_numbers[name]] = (
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
            ).encode()
        for page, number in zip(self.pages, page_numbers, strict=True):
            stream = zlib.compress(page.content(), 9)
            objects[number] = (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                f"/Resources << /Font << {font_resources} >> >> /Contents {number + 1} 0 R >>"
            ).encode()
            objects[number + 1] = (
                f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
                + stream
                + b"\nendstream"
            )

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for number in sorted(objects):
            offsets[number] = len(out)
            out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
        xref_at = len(out)
        size = max(objects) + 1
        out += f"xref\n0 {size}\n".encode()
        out += b"0000000000 65535 f \n"
        for number in range(1, size):
            out += f"{offsets[number]:010d} 00000 n \n".encode()
        file_id = md5(bytes(out), usedforsecurity=False).hexdigest()
        out += (
            f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R /ID [<{file_id}> <{file_id}>] >>\n"
            f"startxref\n{xref_at}\n%%EOF\n"
        ).encode()
        return bytes(out)
