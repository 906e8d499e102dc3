"""The demo download "Übungsplan Rücken": a small PDF written by hand.

No PDF library is needed for a few pages of text and line drawings: the file uses the standard
fonts Helvetica and Helvetica-Bold with WinAnsiEncoding (so ä, ö, ü, ß, „ “ and – print
correctly), content streams with text and vector paths, and a correct cross-reference table.
"""

from dataclasses import dataclass, field

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56

TEAL = (0.114, 0.361, 0.341)
SAND = (0.949, 0.702, 0.420)
CREAM = (0.980, 0.965, 0.937)
INK = (0.16, 0.18, 0.20)
GREY = (0.55, 0.57, 0.58)
LIGHT = (0.86, 0.87, 0.86)

# Advance widths of Helvetica in 1/1000 em (from the font's metrics) for line breaking.
_WIDTHS = {
    " ": 278,
    "!": 278,
    '"': 355,
    "#": 556,
    "%": 889,
    "&": 667,
    "'": 191,
    "(": 333,
    ")": 333,
    "*": 389,
    "+": 584,
    ",": 278,
    "-": 333,
    ".": 278,
    "/": 278,
    ":": 278,
    ";": 278,
    "=": 584,
    "?": 556,
    "@": 1015,
    "A": 667,
    "B": 667,
    "C": 722,
    "D": 722,
    "E": 667,
    "F": 611,
    "G": 778,
    "H": 722,
    "I": 278,
    "J": 500,
    "K": 667,
    "L": 556,
    "M": 833,
    "N": 722,
    "O": 778,
    "P": 667,
    "Q": 778,
    "R": 722,
    "S": 667,
    "T": 611,
    "U": 722,
    "V": 667,
    "W": 944,
    "X": 667,
    "Y": 667,
    "Z": 611,
    "a": 556,
    "b": 556,
    "c": 500,
    "d": 556,
    "e": 556,
    "f": 278,
    "g": 556,
    "h": 556,
    "i": 222,
    "j": 222,
    "k": 500,
    "l": 222,
    "m": 833,
    "n": 556,
    "o": 556,
    "p": 556,
    "q": 556,
    "r": 333,
    "s": 500,
    "t": 278,
    "u": 556,
    "v": 500,
    "w": 722,
    "x": 500,
    "y": 500,
    "z": 500,
    "ä": 556,
    "ö": 556,
    "ü": 556,
    "Ä": 667,
    "Ö": 778,
    "Ü": 722,
    "ß": 611,
    "–": 556,
    "—": 1000,
    "„": 333,
    "“": 333,
    "•": 350,
    "…": 1000,
    "·": 278,
    "×": 584,
}
_DIGIT_WIDTH = 556
_BOLD_FACTOR = 1.07  # Helvetica-Bold is a little wider; close enough for breaking lines.


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    units = sum(_WIDTHS.get(char, _DIGIT_WIDTH) for char in text)
    return units * size / 1000 * (_BOLD_FACTOR if bold else 1)


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def pdf_string(text: str) -> str:
    """A PDF literal string in WinAnsiEncoding, kept to ASCII with octal escapes."""
    out = []
    for byte in text.encode("cp1252"):
        char = chr(byte)
        if char in "\\()":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


@dataclass
class Page:
    """One page's content stream, built with a few drawing commands."""

    ops: list[str] = field(default_factory=list)

    def colour(self, rgb, *, stroke: bool = False) -> None:
        self.ops.append(" ".join(_num(c) for c in rgb) + (" RG" if stroke else " rg"))

    def text(self, x, y, text, *, size=11, bold=False, rgb=INK) -> None:
        self.colour(rgb)
        font = "/F2" if bold else "/F1"
        position = f"{_num(x)} {_num(y)} Td"
        self.ops.append(f"BT {font} {_num(size)} Tf {position} {pdf_string(text)} Tj ET")

    def paragraph(self, x, y, text, *, width, size=10.5, leading=None, bold=False, rgb=INK):
        """Write wrapped text from baseline y downwards; returns the y below the paragraph."""
        leading = leading or size * 1.45
        for line in wrap(text, size, width, bold=bold):
            self.text(x, y, line, size=size, bold=bold, rgb=rgb)
            y -= leading
        return y

    def bullets(self, x, y, items, *, width, size=10.5, gap=4, rgb=INK):
        for item in items:
            self.text(x, y, "•", size=size, rgb=TEAL)
            y = self.paragraph(x + 14, y, item, width=width - 14, size=size, rgb=rgb) - gap
        return y

    def rect(self, x, y, w, h, *, fill=None, stroke=None, line_width=1) -> None:
        if fill:
            self.colour(fill)
        if stroke:
            self.colour(stroke, stroke=True)
            self.ops.append(f"{_num(line_width)} w")
        op = "B" if fill and stroke else ("f" if fill else "S")
        self.ops.append(f"{_num(x)} {_num(y)} {_num(w)} {_num(h)} re {op}")

    def polyline(self, points, *, rgb=TEAL, line_width=3) -> None:
        self.colour(rgb, stroke=True)
        self.ops.append(f"{_num(line_width)} w 1 J 1 j")
        first, *rest = points
        path = [f"{_num(first[0])} {_num(first[1])} m"]
        path += [f"{_num(px)} {_num(py)} l" for px, py in rest]
        self.ops.append(" ".join(path) + " S")

    def circle(self, cx, cy, r, *, fill=None, stroke=None, line_width=2) -> None:
        k = 0.5523 * r  # control-point distance that makes four Béziers a circle

        def curve(*coords):
            return " ".join(_num(c) for c in coords) + " c"

        path = [
            f"{_num(cx + r)} {_num(cy)} m",
            curve(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
            curve(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
            curve(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
            curve(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
        ]
        if fill:
            self.colour(fill)
        if stroke:
            self.colour(stroke, stroke=True)
            self.ops.append(f"{_num(line_width)} w")
        op = "B" if fill and stroke else ("f" if fill else "S")
        self.ops.append(" ".join(path) + f" {op}")

    def clip(self, x, y, w, h) -> None:
        """Limit drawing to a rectangle until unclip()."""
        self.ops.append(f"q {_num(x)} {_num(y)} {_num(w)} {_num(h)} re W n")

    def unclip(self) -> None:
        self.ops.append("Q")

    def stream(self) -> bytes:
        return ("\n".join(self.ops) + "\n").encode("ascii")


def build_pdf(pages: list[Page], *, title: str, author: str) -> bytes:
    """Assemble pages into a PDF 1.4 file with fonts, info dictionary and xref table."""
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the pages object number is known
    pages_obj = add(b"")
    font_regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    font_bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    page_numbers = []
    for page in pages:
        content = page.stream()
        stream_obj = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream")
        page_numbers.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_WIDTH} "
                    f"{PAGE_HEIGHT}] /Resources << /Font << /F1 {font_regular} 0 R "
                    f"/F2 {font_bold} 0 R >> >> /Contents {stream_obj} 0 R >>"
                ).encode("ascii")
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode("ascii")
    kids = " ".join(f"{n} 0 R" for n in page_numbers)
    objects[pages_obj - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_numbers)} >>".encode(
        "ascii"
    )
    info = add(
        (
            f"<< /Title {pdf_string(title)} /Author {pdf_string(author)} /Producer (feelmove) >>"
        ).encode("ascii")
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref_at,
    )
    return bytes(out)


# -- the exercise plan ------------------------------------------------------------------------


@dataclass
class Exercise:
    name: str
    dose: str
    how: str
    tip: str
    # A stick figure in a 120 × 60 box: body lines, head (x, y, r), extra props (circles).
    lines: list[list[tuple[float, float]]]
    head: tuple[float, float, float]
    props: list[tuple[float, float, float]] = field(default_factory=list)
    arrow: list[tuple[float, float]] = field(default_factory=list)


EXERCISES = [
    Exercise(
        name="Becken kippen",
        dose="10 langsame Wiederholungen",
        how=(
            "Leg dich auf den Rücken, Füße hüftbreit aufgestellt. Beim Ausatmen drückst du den "
            "unteren Rücken sanft in die Unterlage, beim Einatmen lässt du ein kleines Hohlkreuz "
            "entstehen. Die Bewegung ist klein und kommt nur aus dem Becken."
        ),
        tip="Stell dir vor, dein Becken sei eine Schale Wasser, die du vor- und zurückkippst.",
        lines=[
            [(21, 11), (60, 11)],
            [(60, 11), (80, 34), (96, 10), (104, 10)],
            [(27, 10), (50, 10)],
        ],
        head=(15, 14, 6),
        arrow=[(52, 22), (60, 27), (68, 22)],
    ),
    Exercise(
        name="Knie-Pendel",
        dose="8 Wiederholungen pro Seite",
        how=(
            "Wieder in Rückenlage, die Arme liegen seitlich ausgebreitet. Lass beide Knie "
            "langsam zu einer Seite sinken, nur so weit, wie es angenehm ist, und hol sie mit "
            "dem Ausatmen zurück zur Mitte. Dann zur anderen Seite."
        ),
        tip="Die Schultern bleiben schwer am Boden – das sorgt für die sanfte Drehung.",
        lines=[
            [(21, 11), (60, 11)],
            [(60, 11), (84, 28), (98, 10), (106, 10)],
            [(27, 10), (50, 10)],
        ],
        head=(15, 14, 6),
        arrow=[(74, 40), (84, 44), (94, 38)],
    ),
    Exercise(
        name="Katze und Kuh",
        dose="8 bis 10 fließende Wechsel",
        how=(
            "Im Vierfüßlerstand stehen die Hände unter den Schultern, die Knie unter den Hüften. "
            "Ausatmend machst du einen runden Katzenbuckel, einatmend senkst du den Bauch und "
            "hebst Brustbein und Blick leicht an."
        ),
        tip="Lass die Bewegung Wirbel für Wirbel wandern, vom Steißbein bis zum Kopf.",
        lines=[
            [(32, 10), (32, 38)],
            [(32, 38), (46, 47), (62, 49), (80, 38)],
            [(80, 38), (80, 10), (106, 10)],
        ],
        head=(24, 36, 6),
        arrow=[(50, 56), (58, 60), (66, 56)],
    ),
    Exercise(
        name="Vierfüßler diagonal",
        dose="6 pro Seite, je 5 Sekunden halten",
        how=(
            "Aus dem Vierfüßlerstand schiebst du einen Arm nach vorn und das gegenüberliegende "
            "Bein nach hinten, bis beide etwa waagerecht sind. Der Rücken bleibt ruhig wie eine "
            "Tischplatte. Halten, absetzen, Seite wechseln."
        ),
        tip="Lieber niedriger und stabil als hoch und wackelig.",
        lines=[
            [(32, 10), (32, 38), (80, 38)],
            [(80, 38), (80, 10), (104, 10)],
            [(32, 38), (6, 42)],
            [(80, 38), (114, 42)],
        ],
        head=(22, 48, 6),
    ),
    Exercise(
        name="Schulterbrücke",
        dose="10 Wiederholungen, oben kurz halten",
        how=(
            "In Rückenlage mit aufgestellten Füßen drückst du dich über die Fersen nach oben, "
            "bis Knie, Hüfte und Schultern eine Linie bilden. Zwei Atemzüge halten, dann "
            "langsam Wirbel für Wirbel ablegen."
        ),
        tip="Spürst du es im unteren Rücken statt im Po? Dann nicht ganz so hoch.",
        lines=[
            [(21, 11), (60, 30)],
            [(60, 30), (84, 38), (96, 10), (104, 10)],
            [(24, 10), (46, 10)],
        ],
        head=(13, 14, 6),
        arrow=[(56, 42), (60, 50), (64, 42)],
    ),
    Exercise(
        name="Brustwirbelsäule auf der Rolle",
        dose="1 bis 2 Minuten",
        how=(
            "Leg die Faszienrolle quer unter den oberen Rücken, die Hände stützen locker den "
            "Kopf. Rolle in kleinen, langsamen Bewegungen zwischen Schulterblättern und "
            "unterem Rippenrand. Den unteren Rücken rollst du nicht."
        ),
        tip="Ausatmen und über die Rolle nach hinten sinken lassen öffnet den Brustkorb.",
        lines=[
            [(26, 24), (70, 10)],
            [(70, 10), (88, 34), (100, 10), (108, 10)],
            [(27, 26), (22, 38), (16, 31)],
        ],
        head=(17, 29, 6),
        props=[(40, 15, 7)],
    ),
    Exercise(
        name="Kindhaltung",
        dose="5 bis 8 ruhige Atemzüge",
        how=(
            "Knie dich hin, setz das Gesäß Richtung Fersen und leg den Oberkörper auf den "
            "Oberschenkeln ab, die Arme lang nach vorn. Atme tief in den Rücken hinein und "
            "spüre, wie er sich mit jedem Einatmen weitet."
        ),
        tip="Ein Kissen unter Stirn oder Po macht die Haltung für viele erst bequem.",
        lines=[
            [(92, 10), (66, 10), (86, 24)],
            [(86, 24), (62, 30), (40, 20)],
            [(40, 19), (8, 10)],
        ],
        head=(31, 14, 6),
    ),
]


def draw_figure(page: Page, exercise: Exercise, x: float, y: float, scale: float = 1.2) -> None:
    """The exercise's stick figure in a cream box with a floor line; (x, y) = lower left."""
    box_w, box_h = 120 * scale + 16, 64 * scale + 16
    page.rect(x, y, box_w, box_h, fill=CREAM, stroke=LIGHT, line_width=0.8)
    ox, oy = x + 8, y + 8

    def at(points):
        return [(ox + px * scale, oy + py * scale) for px, py in points]

    page.polyline(at([(0, 7), (120, 7)]), rgb=GREY, line_width=1)
    for cx, cy, r in exercise.props:
        page.circle(ox + cx * scale, oy + cy * scale, r * scale, fill=SAND)
    for line in exercise.lines:
        page.polyline(at(line), rgb=TEAL, line_width=3.2)
    hx, hy, hr = exercise.head
    page.circle(ox + hx * scale, oy + hy * scale, hr * scale, fill=TEAL)
    if exercise.arrow:
        page.polyline(at(exercise.arrow), rgb=SAND, line_width=2)


def footer(page: Page, number: int, total: int) -> None:
    page.polyline([(MARGIN, 44), (PAGE_WIDTH - MARGIN, 44)], rgb=LIGHT, line_width=0.8)
    page.text(MARGIN, 30, "feelmove · Übungsplan Rücken · Jana Berger", size=8.5, rgb=GREY)
    label = f"Seite {number} von {total}"
    page.text(PAGE_WIDTH - MARGIN - text_width(label, 8.5), 30, label, size=8.5, rgb=GREY)


def page_heading(page: Page, title: str) -> float:
    page.rect(0, PAGE_HEIGHT - 8, PAGE_WIDTH, 8, fill=TEAL)
    page.text(MARGIN, PAGE_HEIGHT - 70, title, size=20, bold=True, rgb=TEAL)
    page.rect(MARGIN, PAGE_HEIGHT - 82, 48, 3, fill=SAND)
    return PAGE_HEIGHT - 112


def cover_page() -> Page:
    page = Page()
    width = PAGE_WIDTH - 2 * MARGIN
    page.rect(0, PAGE_HEIGHT - 250, PAGE_WIDTH, 250, fill=TEAL)
    page.clip(0, PAGE_HEIGHT - 250, PAGE_WIDTH, 250)
    for i, r in enumerate((150, 115, 80)):
        page.circle(
            PAGE_WIDTH - 70,
            PAGE_HEIGHT - 250,
            r,
            stroke=SAND if i % 2 == 0 else CREAM,
            line_width=5,
        )
    page.unclip()
    page.text(MARGIN, PAGE_HEIGHT - 110, "Übungsplan Rücken", size=34, bold=True, rgb=CREAM)
    page.text(
        MARGIN,
        PAGE_HEIGHT - 145,
        "Zehn Minuten am Tag für einen beweglichen, kräftigen",
        size=13,
        rgb=CREAM,
    )
    page.text(MARGIN, PAGE_HEIGHT - 163, "und entspannten Rücken", size=13, rgb=CREAM)
    page.text(
        MARGIN,
        PAGE_HEIGHT - 205,
        "von Jana Berger · Physiotherapeutin · feelmove",
        size=10,
        rgb=SAND,
    )

    y = PAGE_HEIGHT - 300
    y = page.paragraph(
        MARGIN,
        y,
        "Schön, dass du dir diesen Plan geholt hast! Die sieben Übungen auf den nächsten Seiten "
        "sind bewusst einfach. Sie bringen Bewegung in die Wirbelsäule, wecken die tiefe "
        "Rumpfmuskulatur und helfen deinem Nervensystem, herunterzufahren. Du brauchst nur eine "
        "Matte, etwas Platz und – für Übung 6 – eine Faszienrolle.",
        width=width,
    )
    y -= 14
    page.text(MARGIN, y, "So nutzt du den Plan", size=14, bold=True, rgb=TEAL)
    y -= 22
    y = page.bullets(
        MARGIN,
        y,
        [
            "Übe an fünf von sieben Tagen. Regelmäßigkeit bringt mehr als eine lange Einheit "
            "pro Woche.",
            "Bewege dich langsam und atme ruhig weiter. Kein Schwung, kein Wippen.",
            "Ein leichtes Ziehen ist in Ordnung, stechender Schmerz nicht: Dann mach die Bewegung "
            "kleiner oder lass die Übung weg.",
            "Hake deine Übungstage auf der letzten Seite ab. Das motiviert mehr, als man denkt.",
        ],
        width=width,
    )
    y -= 16
    box_h = 128
    page.rect(MARGIN, y - box_h, width, box_h, fill=CREAM, stroke=SAND, line_width=1.2)
    inner_y = y - 24
    page.text(
        MARGIN + 16, inner_y, "Bitte zuerst ärztlich abklären, wenn …", size=12, bold=True, rgb=TEAL
    )
    page.bullets(
        MARGIN + 16,
        inner_y - 20,
        [
            "Schmerzen nach einem Sturz oder Unfall begonnen haben,",
            "Taubheit, Kribbeln oder Schwäche in Beinen oder Füßen auftreten,",
            "du Probleme beim Wasserlassen oder Stuhlgang bemerkst oder dich im "
            "Genitalbereich taub fühlst (dann sofort in die Notaufnahme),",
            "Fieber, ungewollter Gewichtsverlust oder starke nächtliche Schmerzen dazukommen.",
        ],
        width=width - 32,
        size=10,
        gap=2,
    )
    return page


def exercise_page(title: str, exercises: list[tuple[int, Exercise]]) -> Page:
    page = Page()
    y = page_heading(page, title)
    figure_w = 120 * 1.2 + 16
    text_x = MARGIN + figure_w + 20
    text_w = PAGE_WIDTH - MARGIN - text_x
    for number, exercise in exercises:
        top = y
        draw_figure(page, exercise, MARGIN, top - (64 * 1.2 + 16))
        page.circle(MARGIN + 2, top - 2, 11, fill=SAND)
        label = str(number)
        page.text(
            MARGIN + 2 - text_width(label, 11, bold=True) / 2,
            top - 6,
            label,
            size=11,
            bold=True,
            rgb=TEAL,
        )
        ty = top - 12
        page.text(text_x, ty, exercise.name, size=13, bold=True, rgb=TEAL)
        ty -= 16
        page.text(text_x, ty, exercise.dose, size=9.5, bold=True, rgb=GREY)
        ty -= 16
        ty = page.paragraph(text_x, ty, exercise.how, width=text_w, size=10)
        ty = page.paragraph(
            text_x, ty - 2, "Tipp: " + exercise.tip, width=text_w, size=9.5, rgb=GREY
        )
        y = min(ty, top - (64 * 1.2 + 16)) - 26
    return page


def tracker_page() -> Page:
    page = Page()
    width = PAGE_WIDTH - 2 * MARGIN
    y = page_heading(page, "Dein Zwei-Wochen-Plan")
    y = page.paragraph(
        MARGIN,
        y,
        "Mach nach jeder Einheit ein Kreuz. Und notiere ab und zu, wie sich dein Rücken anfühlt "
        "(0 = kein Schmerz, 10 = stärkster vorstellbarer Schmerz). So siehst du schwarz auf "
        "weiß, was sich verändert.",
        width=width,
    )
    y -= 18
    days = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    label_w = 90
    cell_w = (width - label_w) / len(days)
    for index, day in enumerate(days):
        cx = MARGIN + label_w + index * cell_w + cell_w / 2
        page.text(cx - text_width(day, 10, bold=True) / 2, y, day, size=10, bold=True, rgb=TEAL)
    y -= 14
    for week in ("Woche 1", "Woche 2"):
        row_h = 40
        page.rect(MARGIN, y - row_h, width, row_h, stroke=LIGHT, line_width=0.8)
        page.text(MARGIN + 10, y - 24, week, size=10.5, bold=True)
        for index in range(len(days)):
            cx = MARGIN + label_w + index * cell_w + cell_w / 2
            page.rect(cx - 8, y - 28, 16, 16, stroke=TEAL, line_width=1.2)
        y -= row_h
    y -= 34
    page.text(MARGIN, y, "Wie geht es deinem Rücken? (0–10)", size=13, bold=True, rgb=TEAL)
    y -= 24
    for label in ("Am Anfang:", "Nach einer Woche:", "Nach zwei Wochen:"):
        page.text(MARGIN, y, label, size=10.5)
        page.polyline([(MARGIN + 120, y - 2), (MARGIN + 220, y - 2)], rgb=GREY, line_width=0.8)
        y -= 26
    y -= 14
    page.text(MARGIN, y, "Meine Notizen", size=13, bold=True, rgb=TEAL)
    y -= 14
    for _ in range(7):
        y -= 24
        page.polyline([(MARGIN, y), (PAGE_WIDTH - MARGIN, y)], rgb=LIGHT, line_width=0.8)
    y -= 36
    page.paragraph(
        MARGIN,
        y,
        "Dieser Plan ersetzt keine ärztliche oder physiotherapeutische Untersuchung. Wenn "
        "Schmerzen nach zwei bis drei Wochen nicht besser werden oder dich etwas beunruhigt, "
        "lass dich bitte untersuchen. Mehr Übungen und Hintergründe findest du auf feelmove.de.",
        width=width,
        size=9,
        rgb=GREY,
    )
    return page


def exercise_plan() -> bytes:
    """The PDF "Übungsplan Rücken": cover, seven illustrated exercises and a tracker."""
    numbered = list(enumerate(EXERCISES, start=1))
    pages = [
        cover_page(),
        exercise_page("Die Übungen 1 bis 4", numbered[:4]),
        exercise_page("Die Übungen 5 bis 7", numbered[4:]),
        tracker_page(),
    ]
    for number, page in enumerate(pages, start=1):
        footer(page, number, len(pages))
    return build_pdf(pages, title="Übungsplan Rücken", author="Jana Berger, feelmove")
