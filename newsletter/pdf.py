"""The layout of the free guide: colours, margins and a flow of headings, lists and boxes.

The PDF itself (fonts, encoding, pages, cross-reference table) is written by feelmove.pdf.
"""

from feelmove.pdf import PAGE_HEIGHT, PAGE_WIDTH, Colour, Page, PdfDocument, text_width, wrap

# The writer's names are part of this module's interface for the guide code and its tests.
__all__ = ["Flow", "PdfDocument", "text_width", "wrap"]

MARGIN = 60
TOP = PAGE_HEIGHT - 88  # below the running header
BOTTOM = 72  # above the footer

TEAL: Colour = (0.114, 0.361, 0.341)
TEAL_DARK: Colour = (0.078, 0.247, 0.235)
SAND: Colour = (0.980, 0.965, 0.937)
SAND_DARK: Colour = (0.937, 0.902, 0.847)
ACCENT: Colour = (0.659, 0.275, 0.184)
INK: Colour = (0.122, 0.165, 0.165)
MUTED: Colour = (0.31, 0.365, 0.361)
WHITE: Colour = (1, 1, 1)


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
        self.page.rect(0, PAGE_HEIGHT - 8, PAGE_WIDTH, 8, fill=TEAL)
        self.page.text(MARGIN, PAGE_HEIGHT - 44, self.header, font="bold", size=9, colour=TEAL)
        self.page.line(
            MARGIN, PAGE_HEIGHT - 54, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 54, colour=SAND_DARK
        )
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
        page.rect(MARGIN, top - height, self.width, height, fill=colour)
        page.rect(MARGIN, top - height, 4, height, fill=accent)
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
            page.line(MARGIN, 52, PAGE_WIDTH - MARGIN, 52, colour=SAND_DARK)
            page.text(MARGIN, 36, footer, size=8.5, colour=MUTED)
            page.text_right(PAGE_WIDTH - MARGIN, 36, label, size=8.5, colour=MUTED)
