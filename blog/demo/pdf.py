"""The demo download "Übungsplan Rücken": cover, seven illustrated exercises and a tracker.

The PDF itself (fonts, encoding, pages, cross-reference table) is written by feelmove.pdf.
"""

from dataclasses import dataclass, field

from feelmove.pdf import PAGE_HEIGHT, PAGE_WIDTH, Page, PdfDocument

MARGIN = 56

TEAL = (0.114, 0.361, 0.341)
SAND = (0.949, 0.702, 0.420)
CREAM = (0.980, 0.965, 0.937)
INK = (0.16, 0.18, 0.20)
GREY = (0.55, 0.57, 0.58)
LIGHT = (0.86, 0.87, 0.86)


def bullets(page: Page, x, y, items, *, width, size=10.5, gap=4, colour=None) -> float:
    """A list with teal bullets from baseline y downwards; returns the y below it."""
    for item in items:
        page.text(x, y, "•", size=size, colour=TEAL)
        y = page.paragraph(x + 14, y, item, width=width - 14, size=size, colour=colour) - gap
    return y


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

    page.polyline(at([(0, 7), (120, 7)]), colour=GREY, line_width=1)
    for cx, cy, r in exercise.props:
        page.circle(ox + cx * scale, oy + cy * scale, r * scale, fill=SAND)
    for line in exercise.lines:
        page.polyline(at(line), colour=TEAL, line_width=3.2)
    hx, hy, hr = exercise.head
    page.circle(ox + hx * scale, oy + hy * scale, hr * scale, fill=TEAL)
    if exercise.arrow:
        page.polyline(at(exercise.arrow), colour=SAND, line_width=2)


def footer(page: Page, number: int, total: int) -> None:
    page.polyline([(MARGIN, 44), (PAGE_WIDTH - MARGIN, 44)], colour=LIGHT, line_width=0.8)
    page.text(MARGIN, 30, "feelmove · Übungsplan Rücken · Jana Berger", size=8.5, colour=GREY)
    label = f"Seite {number} von {total}"
    page.text_right(PAGE_WIDTH - MARGIN, 30, label, size=8.5, colour=GREY)


def page_heading(page: Page, title: str) -> float:
    page.rect(0, PAGE_HEIGHT - 8, PAGE_WIDTH, 8, fill=TEAL)
    page.text(MARGIN, PAGE_HEIGHT - 70, title, size=20, font="bold", colour=TEAL)
    page.rect(MARGIN, PAGE_HEIGHT - 82, 48, 3, fill=SAND)
    return PAGE_HEIGHT - 112


def cover_page(document: PdfDocument) -> Page:
    page = document.add_page()
    width = PAGE_WIDTH - 2 * MARGIN
    page.rect(0, PAGE_HEIGHT - 250, PAGE_WIDTH, 250, fill=TEAL)
    with page.clip(0, PAGE_HEIGHT - 250, PAGE_WIDTH, 250):
        for i, r in enumerate((150, 115, 80)):
            page.circle(
                PAGE_WIDTH - 70,
                PAGE_HEIGHT - 250,
                r,
                stroke=SAND if i % 2 == 0 else CREAM,
                line_width=5,
            )
    page.text(MARGIN, PAGE_HEIGHT - 110, "Übungsplan Rücken", size=34, font="bold", colour=CREAM)
    page.text(
        MARGIN,
        PAGE_HEIGHT - 145,
        "Zehn Minuten am Tag für einen beweglichen, kräftigen",
        size=13,
        colour=CREAM,
    )
    page.text(MARGIN, PAGE_HEIGHT - 163, "und entspannten Rücken", size=13, colour=CREAM)
    page.text(
        MARGIN,
        PAGE_HEIGHT - 205,
        "von Jana Berger · Physiotherapeutin · feelmove",
        size=10,
        colour=SAND,
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
        size=10.5,
    )
    y -= 14
    page.text(MARGIN, y, "So nutzt du den Plan", size=14, font="bold", colour=TEAL)
    y -= 22
    y = bullets(
        page,
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
        MARGIN + 16,
        inner_y,
        "Bitte zuerst ärztlich abklären, wenn …",
        size=12,
        font="bold",
        colour=TEAL,
    )
    bullets(
        page,
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


def exercise_page(document: PdfDocument, title: str, exercises: list[tuple[int, Exercise]]) -> Page:
    page = document.add_page()
    y = page_heading(page, title)
    figure_w = 120 * 1.2 + 16
    text_x = MARGIN + figure_w + 20
    text_w = PAGE_WIDTH - MARGIN - text_x
    for number, exercise in exercises:
        top = y
        draw_figure(page, exercise, MARGIN, top - (64 * 1.2 + 16))
        page.circle(MARGIN + 2, top - 2, 11, fill=SAND)
        page.text_centred(MARGIN + 2, top - 6, str(number), size=11, font="bold", colour=TEAL)
        ty = top - 12
        page.text(text_x, ty, exercise.name, size=13, font="bold", colour=TEAL)
        ty -= 16
        page.text(text_x, ty, exercise.dose, size=9.5, font="bold", colour=GREY)
        ty -= 16
        ty = page.paragraph(text_x, ty, exercise.how, width=text_w, size=10)
        ty = page.paragraph(
            text_x, ty - 2, "Tipp: " + exercise.tip, width=text_w, size=9.5, colour=GREY
        )
        y = min(ty, top - (64 * 1.2 + 16)) - 26
    return page


def tracker_page(document: PdfDocument) -> Page:
    page = document.add_page()
    width = PAGE_WIDTH - 2 * MARGIN
    y = page_heading(page, "Dein Zwei-Wochen-Plan")
    y = page.paragraph(
        MARGIN,
        y,
        "Mach nach jeder Einheit ein Kreuz. Und notiere ab und zu, wie sich dein Rücken anfühlt "
        "(0 = kein Schmerz, 10 = stärkster vorstellbarer Schmerz). So siehst du schwarz auf "
        "weiß, was sich verändert.",
        width=width,
        size=10.5,
    )
    y -= 18
    days = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    label_w = 90
    cell_w = (width - label_w) / len(days)
    for index, day in enumerate(days):
        cx = MARGIN + label_w + index * cell_w + cell_w / 2
        page.text_centred(cx, y, day, size=10, font="bold", colour=TEAL)
    y -= 14
    for week in ("Woche 1", "Woche 2"):
        row_h = 40
        page.rect(MARGIN, y - row_h, width, row_h, stroke=LIGHT, line_width=0.8)
        page.text(MARGIN + 10, y - 24, week, size=10.5, font="bold")
        for index in range(len(days)):
            cx = MARGIN + label_w + index * cell_w + cell_w / 2
            page.rect(cx - 8, y - 28, 16, 16, stroke=TEAL, line_width=1.2)
        y -= row_h
    y -= 34
    page.text(MARGIN, y, "Wie geht es deinem Rücken? (0–10)", size=13, font="bold", colour=TEAL)
    y -= 24
    for label in ("Am Anfang:", "Nach einer Woche:", "Nach zwei Wochen:"):
        page.text(MARGIN, y, label, size=10.5)
        page.polyline([(MARGIN + 120, y - 2), (MARGIN + 220, y - 2)], colour=GREY, line_width=0.8)
        y -= 26
    y -= 14
    page.text(MARGIN, y, "Meine Notizen", size=13, font="bold", colour=TEAL)
    y -= 14
    for _ in range(7):
        y -= 24
        page.polyline([(MARGIN, y), (PAGE_WIDTH - MARGIN, y)], colour=LIGHT, line_width=0.8)
    y -= 36
    page.paragraph(
        MARGIN,
        y,
        "Dieser Plan ersetzt keine ärztliche oder physiotherapeutische Untersuchung. Wenn "
        "Schmerzen nach zwei bis drei Wochen nicht besser werden oder dich etwas beunruhigt, "
        "lass dich bitte untersuchen. Mehr Übungen und Hintergründe findest du auf feelmove.de.",
        width=width,
        size=9,
        colour=GREY,
    )
    return page


def exercise_plan() -> bytes:
    """The PDF "Übungsplan Rücken": cover, seven illustrated exercises and a tracker."""
    document = PdfDocument(title="Übungsplan Rücken", author="Jana Berger, feelmove", ink=INK)
    numbered = list(enumerate(EXERCISES, start=1))
    cover_page(document)
    exercise_page(document, "Die Übungen 1 bis 4", numbered[:4])
    exercise_page(document, "Die Übungen 5 bis 7", numbered[4:])
    tracker_page(document)
    for number, page in enumerate(document.pages, start=1):
        footer(page, number, len(document.pages))
    return document.to_bytes()
