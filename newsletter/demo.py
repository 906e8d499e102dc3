"""Demo content of the newsletter: the free guide (PDF and cover made here), subscribers, issues.

`load()` creates only what is missing (looked up by title, e-mail address or subject) and never
changes existing rows, so `manage.py load_demo` can run again and again. The texts are written
for feelmove in German.
"""

import io
import math
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from newsletter.consent import CONSENT_VERSION
from newsletter.models import Delivery, Guide, Issue, Subscriber
from newsletter.pdf import (
    ACCENT,
    INK,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SAND,
    SAND_DARK,
    TEAL,
    TEAL_DARK,
    WHITE,
    Flow,
    PdfDocument,
    wrap,
)

GUIDE_TITLE = "Faszien & Dehnen: Dein 14-Tage-Start"
GUIDE_SUBTITLE = "Zehn einfache Übungen für einen entspannten Rücken und mehr Beweglichkeit"
GUIDE_DESCRIPTION = """Du sitzt viel, dein Rücken meldet sich öfter, und beim Bücken fühlst du dich steifer als früher? Dann ist dieser Guide für dich. Ich zeige dir zehn Übungen für Faszien und Dehnung, die ohne Vorkenntnisse und mit wenig Ausrüstung gelingen.

Jede Übung ist Schritt für Schritt erklärt, mit Hinweisen, worauf du achten solltest. Ein 14-Tage-Plan hilft dir, dranzubleiben – mit zehn bis fünfzehn Minuten am Tag."""  # noqa: E501
GUIDE_CONTENTS = """Was Faszien sind und warum sie Bewegung brauchen
Fünf Grundregeln für sicheres Dehnen
Zehn Übungen mit Schritt-für-Schritt-Anleitung
Faszienrolle und Tennisball richtig einsetzen
Ein 14-Tage-Plan mit 10 bis 15 Minuten am Tag
Warnzeichen: wann du besser ärztlichen Rat einholst"""

INTRO = [
    "Hallo, ich bin Jana. In meiner Arbeit als Physiotherapeutin höre ich einen Satz besonders "
    "oft: „Ich bin einfach nicht beweglich.“ Meine Erfahrung ist eine andere. Beweglichkeit ist "
    "keine Eigenschaft, die man hat oder nicht hat – sie ist eine Gewohnheit. Und Gewohnheiten "
    "lassen sich ändern, in kleinen Schritten.",
    "Dieser Guide begleitet dich durch zwei Wochen. Du brauchst dafür eine Matte oder einen "
    "Teppich, ein Handtuch oder einen Gurt, eine mittelfeste Faszienrolle und zwei Tennisbälle in "
    "einer Socke. Plane jeden Tag zehn bis fünfzehn Minuten ein – lieber kurz und regelmäßig als "
    "lang und selten.",
]
BEFORE_YOU_START = (
    "Die Übungen sind für gesunde Erwachsene gedacht und ersetzen keine Untersuchung. Bei akuten "
    "oder starken Schmerzen, nach Operationen, in der Schwangerschaft, bei Taubheitsgefühlen oder "
    "bei Schmerzen, die ins Bein ausstrahlen, sprich bitte zuerst mit deiner Ärztin oder deinem "
    "Arzt."
)
FASCIA = [
    "Faszien sind das Bindegewebe, das unseren ganzen Körper durchzieht: Sie umhüllen Muskeln, "
    "verbinden sie mit Knochen und Organen und geben dem Körper seine Form. Stell sie dir wie ein "
    "feines, dreidimensionales Netz vor, das zugleich hält und gleitet.",
    "Gesundes Fasziengewebe ist elastisch und gut durchfeuchtet. Wer lange in derselben Haltung "
    "sitzt oder sich wenig abwechslungsreich bewegt, spürt das oft als Steifheit oder "
    "Spannungsgefühl. Die gute Nachricht: Bindegewebe reagiert auf Bewegung. Abwechslungsreiche, "
    "federnde und dehnende Bewegungen sind genau das, was es braucht.",
    "Dabei hilft Geduld. Muskeln passen sich in Wochen an, Bindegewebe eher in Monaten. Die "
    "ersten zwei Wochen sind deshalb vor allem ein Anfang: Du lernst die Übungen kennen und "
    "spürst, was dir guttut.",
]
RULES = [
    "Langsam hinein, langsam heraus. Geh in jede Position nur so weit, bis du eine deutliche, "
    "aber angenehme Dehnung spürst.",
    "Atme ruhig weiter. Mit jedem Ausatmen darf die Spannung ein wenig nachlassen. Hältst du die "
    "Luft an, bist du zu weit gegangen.",
    "Dehnung ja, Schmerz nein. Ein Ziehen ist in Ordnung, ein Stechen, Brennen oder Kribbeln "
    "nicht: Dann löst du die Position sofort.",
    "Halte Dehnungen etwa 30 bis 60 Sekunden. Kürzer bringt wenig, viel länger ist für den "
    "Anfang nicht nötig.",
    "Rolle mit der Faszienrolle langsam, etwa zwei bis drei Zentimeter pro Sekunde, und spare "
    "Gelenke, Knochen und die Lendenwirbelsäule aus.",
]

# (title, what it is for, steps, how long, optional note)
EXERCISES = [
    (
        "Katze und Kuh",
        "Mobilisiert die ganze Wirbelsäule und ist ein guter Start in jede Einheit.",
        [
            "Geh in den Vierfüßlerstand: Hände unter den Schultern, Knie unter den Hüften.",
            "Atme ein, lass den Bauch sinken und schiebe das Brustbein sanft nach vorn; der Blick "
            "geht leicht nach oben.",
            "Atme aus, mach den Rücken rund wie eine Katze und schiebe den Boden mit den Händen "
            "weg.",
            "Wechsle im Rhythmus deines Atems langsam zwischen beiden Positionen.",
        ],
        "8 bis 10 ruhige Wiederholungen.",
        None,
    ),
    (
        "Fußsohle rollen",
        "Die Fußsohle hängt über Faszienzüge mit der ganzen Körperrückseite zusammen. Viele "
        "spüren danach, dass auch die Beinrückseite nachgibt.",
        [
            "Stell dich hin und halte dich bei Bedarf an einer Stuhllehne fest.",
            "Leg einen Tennisball unter die Fußsohle und rolle langsam von der Ferse bis zu den "
            "Zehenballen.",
            "Bleib an empfindlichen Stellen kurz stehen und atme ruhig, bis der Druck angenehmer "
            "wird.",
            "Wechsle nach etwa zwei Minuten den Fuß.",
        ],
        "2 Minuten pro Fuß.",
        None,
    ),
    (
        "Wade mit der Faszienrolle",
        "Lockert die Wadenmuskulatur, die beim Gehen und Stehen ständig arbeitet.",
        [
            "Setz dich auf den Boden, leg die Rolle unter eine Wade und stütz dich mit den Händen "
            "hinter dem Körper ab.",
            "Heb das Gesäß leicht an und rolle langsam vom Knöchel bis kurz unter die Kniekehle.",
            "Dreh das Bein etwas nach innen und außen, um auch die Seiten der Wade zu erreichen.",
            "Für mehr Druck kannst du das andere Bein darüberlegen.",
        ],
        "1 bis 2 Minuten pro Seite.",
        "Die Kniekehle sparst du aus: Dort liegen Nerven und Gefäße dicht unter der Haut.",
    ),
    (
        "Beinrückseite mit dem Gurt",
        "Dehnt die hintere Oberschenkelmuskulatur, die sich bei vielen Menschen mit "
        "Rückenbeschwerden fest anfühlt.",
        [
            "Leg dich auf den Rücken, ein Bein ausgestreckt oder aufgestellt.",
            "Leg den Gurt oder ein Handtuch um die Fußsohle des anderen Beins und streck es nach "
            "oben.",
            "Zieh das Bein mit dem Gurt sanft zu dir, bis du ein Ziehen an der Rückseite des "
            "Oberschenkels spürst. Das Knie darf leicht gebeugt bleiben.",
            "Kopf und Schultern bleiben entspannt am Boden.",
        ],
        "30 bis 60 Sekunden pro Seite, 2 Durchgänge.",
        None,
    ),
    (
        "Hüftbeuger im Halbkniestand",
        "Wer viel sitzt, verbringt viele Stunden mit gebeugter Hüfte. Diese Dehnung öffnet die "
        "Vorderseite.",
        [
            "Knie dich auf die Matte und stell ein Bein vorn auf, sodass beide Knie etwa im "
            "rechten Winkel gebeugt sind. Ein Kissen unter dem hinteren Knie schont das Gelenk.",
            "Richte dich auf und kipp das Becken leicht nach hinten, als wolltest du das Steißbein "
            "nach unten ziehen.",
            "Schieb die Hüfte langsam ein wenig nach vorn, bis du vorn an der hinteren Hüfte ein "
            "Ziehen spürst.",
            "Für mehr Dehnung streck den Arm der hinteren Seite nach oben.",
        ],
        "30 bis 60 Sekunden pro Seite.",
        None,
    ),
    (
        "Seitliche Dehnung im Stehen",
        "Dehnt die Flanken vom Becken bis zu den Fingerspitzen und macht das Atmen spürbar freier.",
        [
            "Stell dich hüftbreit hin, die Knie sind locker.",
            "Streck den rechten Arm über den Kopf und greif mit der linken Hand das rechte "
            "Handgelenk.",
            "Neig dich langsam nach links, ohne dich nach vorn oder hinten zu drehen.",
            "Atme bewusst in die gedehnte rechte Seite, dann wechsle.",
        ],
        "3 bis 5 Atemzüge pro Seite, 2 Durchgänge.",
        None,
    ),
    (
        "Brustöffner am Türrahmen",
        "Die Gegenbewegung zur Schreibtischhaltung: öffnet Brust und vordere Schulter.",
        [
            "Stell dich in einen Türrahmen und leg den Unterarm auf Schulterhöhe an den Rahmen; "
            "der Ellbogen ist etwa rechtwinklig gebeugt.",
            "Mach mit dem Bein derselben Seite einen kleinen Schritt nach vorn.",
            "Dreh den Oberkörper langsam etwas vom Rahmen weg, bis du eine Dehnung in Brust und "
            "Schulter spürst.",
            "Die Schulter bleibt unten, weg vom Ohr.",
        ],
        "30 bis 45 Sekunden pro Seite.",
        None,
    ),
    (
        "Tennisbälle neben der Wirbelsäule",
        "Lockert die Muskeln zwischen den Schulterblättern, wo sich bei Bildschirmarbeit oft "
        "Spannung sammelt.",
        [
            "Steck zwei Tennisbälle in eine Socke und knote sie zu.",
            "Leg dich auf den Rücken, stell die Beine auf und leg die Bälle so unter den oberen "
            "Rücken, dass die Wirbelsäule zwischen ihnen liegt.",
            "Heb das Becken leicht an und beweg dich langsam ein paar Zentimeter auf und ab.",
            "Bleib im Bereich der Brustwirbelsäule; den unteren Rücken und den Nacken lässt du "
            "aus.",
        ],
        "1 bis 2 Minuten.",
        None,
    ),
    (
        "Nacken sanft dehnen",
        "Entlastet den Nacken, der beim Blick auf Bildschirm und Handy viel halten muss.",
        [
            "Setz dich aufrecht auf einen Stuhl und halte dich mit der rechten Hand an der "
            "Sitzfläche fest.",
            "Neig den Kopf langsam zur linken Schulter, ohne die Schulter hochzuziehen.",
            "Wenn du magst, leg die linke Hand locker auf den Kopf – ohne zu ziehen, nur mit dem "
            "Gewicht der Hand.",
            "Komm langsam zurück in die Mitte und wechsle die Seite.",
        ],
        "20 bis 30 Sekunden pro Seite.",
        "Schwindel, Kribbeln in den Armen oder ein Druckgefühl im Kopf sind ein Zeichen, sofort "
        "aufzuhören.",
    ),
    (
        "Drehung in Rückenlage",
        "Eine sanfte Rotation für die Wirbelsäule und ein ruhiger Abschluss jeder Einheit.",
        [
            "Leg dich auf den Rücken, stell die Beine auf und breite die Arme seitlich aus.",
            "Lass beide Knie langsam zur rechten Seite sinken; die Schultern bleiben am Boden.",
            "Dreh den Kopf, wenn es angenehm ist, zur anderen Seite.",
            "Bleib einige Atemzüge und wechsle dann über die Mitte die Seite.",
        ],
        "5 bis 8 Atemzüge pro Seite.",
        None,
    ),
]

PLAN = [
    "Tag 1 und 2: Übungen 1, 2, 4 und 10 – ankommen und die Grundlagen kennenlernen.",
    "Tag 3: Übungen 1, 5, 6 und 7 – Vorderseite und Flanken öffnen.",
    "Tag 4: Pause oder ein Spaziergang von 20 Minuten.",
    "Tag 5 und 6: Übungen 1, 3, 4, 8 und 10.",
    "Tag 7: Übungen 1, 2, 6 und 9 – ein ruhiger Tag.",
    "Tag 8: Pause oder ein Spaziergang.",
    "Tag 9 und 10: Übungen 1, 4, 5, 7 und 8.",
    "Tag 11: Übungen 1, 3, 6 und 10.",
    "Tag 12: Pause oder ein Spaziergang.",
    "Tag 13 und 14: Dein Lieblingsprogramm – wähle die fünf Übungen, die dir am besten getan "
    "haben.",
]
PLAN_TIP = (
    "Verknüpfe die Übungen mit etwas, das du ohnehin jeden Tag tust, etwa mit dem Zähneputzen am "
    "Abend. Dann musst du nicht daran denken – es passiert einfach."
)
NEXT_STEPS = [
    "Nach zwei Wochen kennst du die Übungen und weißt, welche dir besonders guttun. Behalte drei "
    "oder vier davon als tägliche Routine und bring mehr Abwechslung in deinen Alltag: Treppe "
    "statt Aufzug, Telefonate im Stehen, zwischendurch die Arme kreisen lassen. Bindegewebe mag "
    "Vielfalt.",
    "Im Newsletter schicke ich dir etwa zweimal im Monat neue Artikel und Übungen. Wenn du Fragen "
    "hast, antworte einfach auf eine der E-Mails – ich lese jede Nachricht.",
]
WARNING_SIGNS = (
    "Wenn Schmerzen trotz der Übungen stärker werden, nachts nicht nachlassen oder mit Fieber, "
    "Taubheitsgefühlen, Lähmungserscheinungen oder Problemen beim Wasserlassen einhergehen, lass "
    "sie bitte umgehend ärztlich abklären."
)


def _draw_cover_page(document: PdfDocument) -> None:
    page = document.add_page()
    page.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, fill=TEAL)
    page.circle(PAGE_WIDTH - 40, PAGE_HEIGHT - 60, 190, fill=TEAL_DARK)
    page.circle(PAGE_WIDTH - 110, PAGE_HEIGHT - 150, 70, fill=SAND_DARK)
    page.circle(90, 150, 120, fill=TEAL_DARK)
    page.circle(150, 210, 26, fill=ACCENT)
    for i in range(7):  # a loose net of lines, like fascia
        y = 330 + i * 18
        page.line(
            MARGIN,
            y,
            PAGE_WIDTH - MARGIN,
            y + 60 - i * 14,
            colour=(0.2, 0.45, 0.43),
            line_width=1.2,
        )
    page.text(MARGIN, 668, "GRATIS GUIDE", font="bold", size=13, colour=SAND_DARK)
    y = 600
    for line in wrap("Faszien & Dehnen", font="bold", size=44, width=PAGE_WIDTH - 2 * MARGIN):
        page.text(MARGIN, y, line, font="bold", size=44, colour=WHITE)
        y -= 50
    page.text(MARGIN, y, "Dein 14-Tage-Start", font="bold", size=26, colour=SAND)
    y -= 36
    for line in wrap(GUIDE_SUBTITLE, size=14, width=PAGE_WIDTH - 2 * MARGIN - 60):
        page.text(MARGIN, y, line, size=14, colour=WHITE)
        y -= 20
    page.text(MARGIN, 64, "Jana Berger · feelmove", font="bold", size=12, colour=WHITE)


def guide_pdf() -> bytes:
    """The demo guide as a PDF: a cover and about ten pages of text, exercises and a plan."""
    document = PdfDocument(
        title=GUIDE_TITLE,
        author="Jana Berger",
        subject="Faszien- und Dehnübungen für jeden Tag",
        ink=INK,
    )
    _draw_cover_page(document)
    flow = Flow(document, header="feelmove · Gratis Guide")
    flow.new_page()
    flow.heading("Schön, dass du da bist", size=24)
    for text in INTRO:
        flow.paragraph(text)
    flow.box("Bevor du startest", BEFORE_YOU_START)
    flow.new_page()
    flow.heading("Was Faszien sind", size=24)
    for text in FASCIA:
        flow.paragraph(text)
    flow.heading("Fünf Grundregeln für sicheres Dehnen")
    flow.items(RULES, numbered=True)
    for number, (title, purpose, steps, duration, note) in enumerate(EXERCISES, start=1):
        if number % 2 == 1:
            flow.new_page()
        else:
            flow.space(14)
        flow.heading(f"Übung {number}: {title}", size=17)
        flow.paragraph(purpose, font="bold", size=11, colour=TEAL_DARK)
        flow.items(steps, numbered=True)
        flow.paragraph(f"Dauer: {duration}", size=10.5, colour=ACCENT, font="bold")
        if note:
            flow.box("Achtung", note)
    flow.new_page()
    flow.heading("Dein 14-Tage-Plan", size=24)
    flow.paragraph(
        "Jede Einheit dauert zehn bis fünfzehn Minuten. Die Nummern beziehen sich auf die Übungen "
        "in diesem Guide; beginne immer mit Katze und Kuh."
    )
    flow.items(PLAN)
    flow.box("Mein Tipp", PLAN_TIP, accent=TEAL)
    flow.heading("Wie es weitergeht")
    for text in NEXT_STEPS:
        flow.paragraph(text)
    flow.box("Wann du ärztlichen Rat einholen solltest", WARNING_SIGNS)
    flow.paragraph("Alles Gute und viel Freude beim Bewegen!", font="bold")
    flow.paragraph("Jana")
    flow.finish(footer="feelmove · Faszien & Dehnen: Dein 14-Tage-Start")
    return document.to_bytes(created=timezone.now())


def guide_cover_png() -> bytes:
    """The cover picture for the landing page (3:4), drawn with Pillow."""
    width, height = 900, 1200
    image = Image.new("RGB", (width, height), (29, 92, 87))
    draw = ImageDraw.Draw(image)
    draw.ellipse((560, -180, 1080, 340), fill=(20, 63, 60))
    draw.ellipse((650, 120, 830, 300), fill=(239, 230, 216))
    draw.ellipse((-160, 820, 300, 1280), fill=(20, 63, 60))
    draw.ellipse((210, 900, 290, 980), fill=(168, 70, 47))
    for i in range(9):  # flowing lines, like a net of fascia
        points = [
            (x, 640 + i * 26 + 40 * math.sin((x / width) * math.pi * 2 + i * 0.5))
            for x in range(60, width - 59, 20)
        ]
        draw.line(points, fill=(52, 117, 110), width=3)
    small, large, medium = (ImageFont.load_default(size=s) for s in (34, 108, 58))
    draw.text((80, 150), "GRATIS GUIDE", font=small, fill=(239, 230, 216))
    draw.text((80, 230), "Faszien", font=large, fill=(255, 255, 255), stroke_width=2)
    draw.text((80, 350), "& Dehnen", font=large, fill=(255, 255, 255), stroke_width=2)
    draw.text((80, 500), "Dein 14-Tage-Start", font=medium, fill=(250, 246, 239))
    draw.text((80, 1090), "feelmove  |  Jana Berger", font=small, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# (e-mail, first name, status, source, days ago signed up)
SUBSCRIBERS = [
    ("anna.schmidt@example.de", "Anna", "confirmed", "guide", 60),
    ("tobias.keller@example.de", "Tobias", "confirmed", "newsletter", 45),
    ("miriam.yilmaz@example.com", "Miriam", "confirmed", "guide", 21),
    ("leonie.brandt@example.org", "", "confirmed", "newsletter", 12),
    ("joerg.hansen@example.net", "Jörg", "pending", "guide", 2),
    ("petra.lorenz@example.de", "Petra", "unsubscribed", "newsletter", 90),
]

SENT_ISSUE = (
    "Drei Minuten für deinen Rücken – und warum Pausen zählen",
    """<p>heute habe ich eine kleine Übung für dich, die in jede Kaffeepause passt, und einen Gedanken, der mich diese Woche beschäftigt hat.</p>
<h2>Die Drei-Minuten-Pause</h2>
<p>Steh auf, stell dich hüftbreit hin und lass die Arme locker hängen. Roll die Schultern fünfmal langsam nach hinten. Dann streck beide Arme über den Kopf, verschränk die Finger und neig dich abwechselnd sanft zu beiden Seiten. Zum Schluss: drei tiefe Atemzüge, bei denen du die Ausatmung etwas länger werden lässt als die Einatmung.</p>
<h2>Warum Pausen mehr bringen als ein langes Training</h2>
<p>Unser Bindegewebe mag Abwechslung. Eine Stunde Sport am Abend ist wunderbar, gleicht aber acht Stunden Sitzen nicht vollständig aus. Viele kleine Haltungswechsel über den Tag sind für deinen Rücken oft wertvoller.</p>
<ul>
<li>Stell dir einen Wecker für jede volle Stunde.</li>
<li>Telefoniere im Stehen oder Gehen.</li>
<li>Nimm die Treppe, wenn es nur ein oder zwei Stockwerke sind.</li>
</ul>
<p>Im Blog findest du dazu den Artikel über bewegte Pausen am Schreibtisch.</p>
<p>Bis zum nächsten Mal – bleib in Bewegung!<br>Jana</p>""",  # noqa: E501
)
DRAFT_ISSUE = (
    "Faszienrolle: weniger Druck, mehr Wirkung",
    """<p>viele von euch haben mir geschrieben, dass das Rollen wehtut. Darüber möchte ich heute schreiben – denn mehr Druck bedeutet nicht mehr Wirkung.</p>
<h2>Langsam ist das neue Fest</h2>
<p>Rolle so langsam, dass du jeden Zentimeter spürst, und so sanft, dass du dabei ruhig weiteratmen kannst. Wenn du das Gesicht verziehst, ist der Druck zu hoch.</p>
<h2>Drei Fehler, die ich oft sehe</h2>
<ol>
<li>Zu schnell rollen, wie beim Nudelteig.</li>
<li>Direkt über Knochen und Gelenke rollen.</li>
<li>Den unteren Rücken mit der Rolle bearbeiten – hier lieber dehnen und mobilisieren.</li>
</ol>
<p>Nächste Woche zeige ich dir eine Routine für die Beinrückseite.</p>""",  # noqa: E501
)


def _write(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def load(*, author, stdout=None) -> None:
    """Create the demo guide, subscribers and issues that are missing."""
    now = timezone.now()
    if not Guide.objects.filter(title=GUIDE_TITLE).exists():
        guide = Guide(
            title=GUIDE_TITLE,
            subtitle=GUIDE_SUBTITLE,
            description=GUIDE_DESCRIPTION,
            contents=GUIDE_CONTENTS,
            cover_alt=(
                "Titelbild des Guides: „Faszien & Dehnen – Dein 14-Tage-Start“ in weißer Schrift "
                "auf Petrol mit geschwungenen Linien"
            ),
            # The first guide is offered; a guide the author made herself stays as it is.
            is_active=not Guide.objects.active().exists(),
        )
        guide.pdf.save("faszien-und-dehnen.pdf", ContentFile(guide_pdf()), save=False)
        guide.cover_image.save("faszien-und-dehnen.png", ContentFile(guide_cover_png()), save=False)
        guide.save()
        _write(stdout, f"Guide „{GUIDE_TITLE}“ created.")

    from newsletter.consent import consent_text

    for email, first_name, status, source, days in SUBSCRIBERS:
        if Subscriber.objects.with_email(email).exists():
            continue
        signed_up = now - timedelta(days=days)
        confirmed = status != Subscriber.Status.PENDING
        Subscriber.objects.create(
            email=email,
            first_name=first_name,
            status=status,
            source=source,
            consent_text=consent_text(source),
            consent_version=CONSENT_VERSION,
            signed_up_at=signed_up,
            signup_ip="203.0.113.24",
            signup_user_agent="Mozilla/5.0 (Demo)",
            confirmation_sent_at=signed_up,
            confirmed_at=signed_up + timedelta(minutes=7) if confirmed else None,
            confirmation_ip="203.0.113.24" if confirmed else None,
            unsubscribed_at=now - timedelta(days=10) if status == "unsubscribed" else None,
        )
        _write(stdout, f"Subscriber {email} ({status}) created.")

    subject, body = SENT_ISSUE
    if not Issue.objects.filter(subject=subject).exists():
        sent_at = now - timedelta(days=5)
        issue = Issue.objects.create(subject=subject, body=body, status=Issue.Status.SENT)
        Issue.objects.filter(pk=issue.pk).update(
            sending_started_at=sent_at, sent_at=sent_at, created_at=sent_at - timedelta(days=1)
        )
        recipients = Subscriber.objects.filter(
            confirmed_at__lt=sent_at, status=Subscriber.Status.CONFIRMED
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    issue=issue,
                    subscriber=s,
                    status=Delivery.Status.SENT,
                    attempts=1,
                    sent_at=sent_at,
                )
                for s in recipients
            ]
        )
        _write(stdout, f"Issue „{subject}“ (sent) created.")
    subject, body = DRAFT_ISSUE
    if not Issue.objects.filter(subject=subject).exists():
        Issue.objects.create(subject=subject, body=body)
        _write(stdout, f"Issue „{subject}“ (draft) created.")
