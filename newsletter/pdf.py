"""A small PDF writer for the free guide: text pages with headings, lists and coloured boxes.

No library needed: the file uses the two standard fonts Helvetica and Helvetica-Bold (every PDF
reader has them) with WinAnsiEncoding, so German text with ä, ö, ü, ß, „ “ and – prints
correctly. Content streams are compressed with zlib; the cross-reference table holds the exact
byte offset of every object, as the PDF 1.4 specification requires.
"""

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import md5

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 60
TOP = PAGE_HEIGHT - 88  # below the running header
BOTTOM = 72  # above the footer

Colour = tuple[float, float, float]
TEAL: Colour = (0.114, 0.361, 0.341)
TEAL_DARK: Colour = (0.078, 0.247, 0.235)
SAND: Colour = (0.980, 0.965, 0.937)
SAND_DARK: Colour = (0.937, 0.902, 0.847)
ACCENT: Colour = (0.659, 0.275, 0.184)
INK: Colour = (0.122, 0.165, 0.165)
MUTED: Colour = (0.31, 0.365, 0.361)
WHITE: Colour = (1, 1, 1)

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

FONTS = {
    "regular": ("F1", "Helvetica", _HELVETICA),
    "bold": ("F2", "Helvetica-Bold", _HELVETICA_BOLD),
}


def encode(text: str) -> bytes:
    """Text in WinAnsiEncoding (Windows-1252), the encoding of the standard fonts."""
    return text.encode("cp1252", errors="replace")


def text_width(text: str, *, font: str = "regular", size: float = 11) -> float:
    widths = FONTS[font][2]
    return sum(widths[b - 32] if b >= 32 else 0 for b in encode(text)) * size / 1000


def wrap(text: str, *, font: str = "regular", size: float = 11, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` points, at spaces."""
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
    """A document-information string in UTF-16 (the portable way for non-ASCII titles)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


@dataclass
class Page:
    """The drawing operators of one page."""

    ops: list[str] = field(default_factory=list)

    def fill(self, colour: Colour) -> None:
        self.ops.append("{} {} {} rg".format(*map(_number, colour)))

    def stroke(self, colour: Colour, width: float = 1) -> None:
        self.ops.append("{} {} {} RG {} w".format(*map(_number, colour), _number(width)))

    def rect(self, x: float, y: float, w: float, h: float, colour: Colour) -> None:
        self.fill(colour)
        self.ops.append(f"{_number(x)} {_number(y)} {_number(w)} {_number(h)} re f")

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: Colour, width=1) -> None:
        self.stroke(colour, width)
        self.ops.append(f"{_number(x1)} {_number(y1)} m {_number(x2)} {_number(y2)} l S")

    def circle(self, cx: float, cy: float, r: float, colour: Colour) -> None:
        """A filled circle from four Bézier curves."""
        k = 0.5523 * r
        self.fill(colour)
        n = _number
        self.ops.append(
            f"{n(cx + r)} {n(cy)} m "
            f"{n(cx + r)} {n(cy + k)} {n(cx + k)} {n(cy + r)} {n(cx)} {n(cy + r)} c "
            f"{n(cx - k)} {n(cy + r)} {n(cx - r)} {n(cy + k)} {n(cx - r)} {n(cy)} c "
            f"{n(cx - r)} {n(cy - k)} {n(cx - k)} {n(cy - r)} {n(cx)} {n(cy - r)} c "
            f"{n(cx + k)} {n(cy - r)} {n(cx + r)} {n(cy - k)} {n(cx + r)} {n(cy)} c f"
        )

    def text(self, x: float, y: float, text: str, *, font="regular", size=11.0, colour=INK):
        self.fill(colour)
        name = FONTS[font][0]
        literal = _literal(text).decode("latin-1")
        self.ops.append(
            f"BT /{name} {_number(size)} Tf {_number(x)} {_number(y)} Td {literal} Tj ET"
        )

    def text_right(
        self, x_right: float, y: float, text: str, *, font="regular", size=11.0, colour=INK
    ):
        self.text(
            x_right - text_width(text, font=font, size=size),
            y,
            text,
            font=font,
            size=size,
            colour=colour,
        )

    def content(self) -> bytes:
        # Text operands were decoded as Latin-1 above, so encoding back gives the original bytes.
        return "\n".join(self.ops).encode("latin-1")


class PdfDocument:
    """Pages plus document information, written out as one PDF file."""

    def __init__(self, *, title: str, author: str, subject: str = ""):
        self.title, self.author, self.subject = title, author, subject
        self.pages: list[Page] = []

    def add_page(self) -> Page:
        page = Page()
        self.pages.append(page)
        return page

    def to_bytes(self, *, created: datetime | None = None) -> bytes:
        fonts = list(FONTS.values())
        # Object numbers: 1 catalog, 2 page tree, 3 info, 4… fonts, then page and content pairs.
        font_numbers = {name: 4 + i for i, (name, _base, _w) in enumerate(fonts)}
        first_page = 4 + len(fonts)
        page_numbers = [first_page + 2 * i for i in range(len(self.pages))]
        font_resources = " ".join(f"/{name} {num} 0 R" for name, num in font_numbers.items())

        objects: dict[int, bytes] = {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: (
                "<< /Type /Pages /Kids [{}] /Count {} >>".format(
                    " ".join(f"{n} 0 R" for n in page_numbers), len(self.pages)
                ).encode()
            ),
        }
        info = b"<< /Title " + _info_string(self.title) + b" /Author " + _info_string(self.author)
        if self.subject:
            info += b" /Subject " + _info_string(self.subject)
        info += b" /Producer (feelmove)"
        if created:
            info += created.strftime("/CreationDate (D:%Y%m%d%H%M%S)").encode()
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


class Flow:
    """Lays out blocks of text from top to bottom, starting a new page when one is full."""

    def __init__(self, document: PdfDocument, *, header: str):
        self.document = document
        self.header = header
        self.width = PAGE_WIDTH - 2 * MARGIN
        self.page: Page | None = None
        self.flow_pages: list[Page] = []
        self.y = 0.0

    def new_page(self) -> Page:
        self.page = self.document.add_page()
        self.flow_pages.append(self.page)
        self.page.rect(0, PAGE_HEIGHT - 8, PAGE_WIDTH, 8, TEAL)
        self.page.text(MARGIN, PAGE_HEIGHT - 44, self.header, font="bold", size=9, colour=TEAL)
        self.page.line(MARGIN, PAGE_HEIGHT - 54, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 54, SAND_DARK)
        self.y = TOP
        return self.page

    def _room(self, height: float) -> Page:
        if self.page is None or self.y - height < BOTTOM:
            self.new_page()
        return self.page

    def space(self, points: float) -> None:
        self.y -= points

    def heading(self, text: str, *, size: float = 20, colour: Colour = TEAL_DARK) -> None:
        lines = wrap(text, font="bold", size=size, width=self.width)
        # Keep a heading with at least three lines of what follows.
        page = self._room(len(lines) * size * 1.25 + 60)
        for line in lines:
            self.y -= size
            page.text(MARGIN, self.y, line, font="bold", size=size, colour=colour)
            self.y -= size * 0.25
        self.y -= 8

    def paragraph(
        self, text: str, *, size: float = 11, font: str = "regular", colour: Colour = INK,
        indent: float = 0, after: float = 8,
    ) -> None:  # fmt: skip
        leading = size * 1.45
        for line in wrap(text, font=font, size=size, width=self.width - indent):
            page = self._room(leading)
            self.y -= leading
            page.text(
                MARGIN + indent, self.y + size * 0.3, line, font=font, size=size, colour=colour
            )
        self.y -= after

    def items(self, items: list[str], *, numbered: bool = False, size: float = 11) -> None:
        """A bullet list, or numbered steps."""
        leading = size * 1.45
        indent = 20
        for number, item in enumerate(items, start=1):
            lines = wrap(item, size=size, width=self.width - indent)
            page = self._room(leading * min(len(lines), 2))
            marker = f"{number}." if numbered else "•"
            first = True
            for line in lines:
                page = self._room(leading)
                self.y -= leading
                if first:
                    page.text(
                        MARGIN + 2, self.y + size * 0.3, marker, font="bold", size=size, colour=TEAL
                    )
                    first = False
                page.text(MARGIN + indent, self.y + size * 0.3, line, size=size)
            self.y -= 3
        self.y -= 6

    def box(self, title: str, text: str, *, colour: Colour = SAND, accent: Colour = ACCENT) -> None:
        """A shaded note with a coloured bar on the left (tips and warnings)."""
        size, leading, pad = 10.5, 15, 12
        lines = wrap(text, size=size, width=self.width - 2 * pad - 6)
        height = pad * 2 + 16 + len(lines) * leading
        page = self._room(height + 10)
        top = self.y - 4
        page.rect(MARGIN, top - height, self.width, height, colour)
        page.rect(MARGIN, top - height, 4, height, accent)
        y = top - pad - 11
        page.text(MARGIN + pad + 6, y, title, font="bold", size=11, colour=accent)
        y -= 6
        for line in lines:
            y -= leading
            page.text(MARGIN + pad + 6, y + 3, line, size=size)
        self.y = top - height - 14

    def finish(self, *, footer: str, page_label: str = "Seite {number} von {total}") -> None:
        """Footer and page numbers on the pages of the flow (not on a cover drawn by hand)."""
        numbers = {id(page): n for n, page in enumerate(self.document.pages, start=1)}
        total = len(numbers)
        for page in self.flow_pages:
            label = page_label.format(number=numbers[id(page)], total=total)
            page.line(MARGIN, 52, PAGE_WIDTH - MARGIN, 52, SAND_DARK)
            page.text(MARGIN, 36, footer, size=8.5, colour=MUTED)
            page.text_right(PAGE_WIDTH - MARGIN, 36, label, size=8.5, colour=MUTED)
