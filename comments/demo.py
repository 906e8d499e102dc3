"""Demo comments: readers' questions and the author's answers on several demo articles.

`load(author=..., stdout=...)` is called by `manage.py load_demo`. It creates only what is missing
(a comment is looked up by its article and text) and never changes an existing row. Articles that
do not exist or are not published are skipped, so it is safe to run before the blog's demo too.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from blog.models import Article
from comments.models import Comment, SpamWord, comment_fingerprint

A, P, S = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM


@dataclass(frozen=True)
class DemoComment:
    key: str
    name: str
    body: str
    hours: float  # after the article's publication
    email: str = ""
    url: str = ""
    status: str = A
    parent: str = ""
    by_author: bool = False
    note: str = ""


def _unwrap(text: str) -> str:
    """Lines wrapped for this file become flowing paragraphs, as a reader would type them."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))


def reader(key, name, email, hours, body, **extra) -> DemoComment:
    return DemoComment(key=key, name=name, email=email, hours=hours, body=_unwrap(body), **extra)


def jana(key, parent, hours, body) -> DemoComment:
    return DemoComment(
        key=key, name="", hours=hours, body=_unwrap(body), parent=parent, by_author=True
    )


THREADS: dict[str, list[DemoComment]] = {
    "rueckenschmerzen-verstehen": [
        reader(
            "sabine",
            "Sabine K.",
            "sabine.k@example.org",
            5,
            """
Danke für den Artikel! Seit unserem Umzug vor drei Wochen zieht es bei mir im unteren Rücken,
vor allem morgens. Ist es wirklich in Ordnung, trotzdem spazieren zu gehen, oder sollte ich mich
lieber ein paar Tage schonen?
""",
        ),
        jana(
            "sabine-a",
            "sabine",
            9,
            """
Liebe Sabine, danke für deine Frage! In den allermeisten Fällen ist Bewegung im angenehmen
Rahmen besser als Schonung. Geh ruhig spazieren, lieber öfter kurz als einmal lang, und achte
darauf, dass der Schmerz dabei nicht deutlich zunimmt.

Wenn der Schmerz ins Bein ausstrahlt, du Taubheit oder Kribbeln spürst oder es nach ein paar
Wochen nicht besser wird, lass es bitte ärztlich anschauen.
""",
        ),
        reader(
            "sabine-b",
            "Sabine K.",
            "sabine.k@example.org",
            30,
            """
Ich war heute zweimal zwanzig Minuten draußen, und es ging erstaunlich gut. Danach war der
Rücken sogar lockerer als vorher. Danke!
""",
            parent="sabine-a",
        ),
        jana(
            "sabine-c",
            "sabine-b",
            33,
            "Wie schön, das freut mich sehr! Bleib dran, die ersten Tage sind oft die zähesten.",
        ),
        reader(
            "thomas",
            "Thomas",
            "thomas.w@example.org",
            26,
            """
Ich sitze beruflich acht bis neun Stunden am Schreibtisch. Reicht es, wenn ich abends eine
Viertelstunde Übungen mache, oder muss das über den Tag verteilt sein?
""",
        ),
        jana(
            "thomas-a",
            "thomas",
            28,
            """
Hallo Thomas, die Viertelstunde am Abend ist schon mal super. Noch mehr bringen kleine
Unterbrechungen: Stell dir einen Wecker auf jede Stunde, steh kurz auf, roll die Schultern,
geh ein paar Schritte. Zwei Minuten genügen. Dein Rücken mag vor allem Abwechslung.
""",
        ),
        reader(
            "petra",
            "Petra Lindner",
            "petra@example.org",
            50,
            """
Der Satz „Schmerz heißt nicht automatisch Schaden“ hat mir richtig Angst genommen. Ich habe
mich jahrelang kaum noch bücken getraut.
""",
            url="https://example.org/petra",
        ),
        reader(
            "michael",
            "Michael",
            "michael.b@example.org",
            75,
            "Was hältst du von Wärmepflastern? Bei mir helfen die kurzfristig ganz gut.",
        ),
        jana(
            "michael-a",
            "michael",
            80,
            """
Wärme ist eine gute Begleitung: Sie entspannt und macht es oft leichter, sich zu bewegen.
Nutze sie gern als Türöffner für die Übungen, nicht als Ersatz dafür.
""",
        ),
        reader(
            "aylin",
            "Aylin",
            "aylin@example.org",
            120,
            """
Ich mache jetzt seit zwei Wochen jeden Morgen die drei Übungen aus dem Artikel, noch im
Schlafanzug. Das Aufstehen fühlt sich wirklich anders an.
""",
        ),
        reader(
            "joerg",
            "Jörg",
            "joerg@example.org",
            170,
            "Der Katzenbuckel direkt nach dem Aufwachen ist mein neuer Lieblingsstart in den Tag.",
        ),
        reader(
            "renate",
            "Renate",
            "renate.h@example.org",
            200,
            """
Gibt es die Übungen auch zum Ausdrucken? Ich würde sie gern an den Kühlschrank hängen.
""",
        ),
        jana(
            "renate-a",
            "renate",
            205,
            """
Liebe Renate, ja: Im kostenlosen Guide (rechts in der Seitenleiste) sind die wichtigsten
Übungen mit Bildern als PDF zum Ausdrucken.
""",
        ),
        reader(
            "lukas",
            "Lukas",
            "lukas@example.org",
            -1,
            """
Kurze Frage zum Beckenkippen im Liegen: Soll sich dabei der ganze Rücken auf die Matte drücken
oder nur der untere Teil?
""",
            status=P,
        ),
        reader(
            "spam-1",
            "Rücken Shop 24",
            "angebote@shop.example",
            -2,
            """
Top Artikel!!! Rückenbandagen heute 70% günstiger http://shop.example/bandage und gratis
Versand http://shop.example/versand
""",
            status=S,
            note="Demo: Spam.",
        ),
    ],
    "hueftbeuger-dehnen": [
        reader(
            "anja",
            "Anja",
            "anja.m@example.org",
            8,
            """
Die Dehnung im Halbkniestand spüre ich vorne an der Leiste, nicht im Oberschenkel. Mache ich
etwas falsch?
""",
        ),
        jana(
            "anja-a",
            "anja",
            12,
            """
Hallo Anja, das ist ganz normal: Der Hüftbeuger setzt dort an. Wenn du zusätzlich das Becken
leicht nach hinten kippst (Po anspannen), wandert das Gefühl meist etwas weiter in die
Oberschenkelvorderseite.
""",
        ),
        reader(
            "frank",
            "Frank",
            "frank@example.org",
            40,
            "Nach einer Woche täglichem Dehnen kann ich wieder aufrecht vom Sofa aufstehen. Danke!",
        ),
        reader(
            "held-1",
            "Bernd",
            "bernd@example.org",
            -3,
            """
Ich habe dazu zwei Videos gefunden, vielleicht interessant: https://video.example/huefte-1
und https://video.example/huefte-2 – was meinst du dazu?
""",
            status=P,
            note="Zurückgehalten: 2 Links.",
        ),
    ],
    "atmung-und-ruecken": [
        reader(
            "claudia",
            "Claudia",
            "claudia@example.org",
            6,
            """
Ich hätte nie gedacht, dass Atmen etwas mit dem Rücken zu tun hat. Wie lange soll ich die
Bauchatmung üben?
""",
        ),
        jana(
            "claudia-a",
            "claudia",
            10,
            """
Fang mit drei bis fünf Minuten am Tag an, gern abends im Liegen. Wichtig ist nicht die Dauer,
sondern dass du es regelmäßig machst.
""",
        ),
        reader(
            "heike",
            "Heike",
            "heike@example.org",
            48,
            "Beim Ausatmen merke ich erst, wie fest ich den Bauch sonst halte. Spannend!",
        ),
    ],
    "besser-schlafen-mit-rueckenschmerzen": [
        reader(
            "daniel",
            "Daniel",
            "daniel@example.org",
            4,
            """
Seitenlage mit Kissen zwischen den Knien: ausprobiert und zum ersten Mal seit Wochen
durchgeschlafen. Unglaublich, was so ein Kissen ausmacht.
""",
        ),
        reader(
            "susanne",
            "Susanne",
            "susanne@example.org",
            20,
            "Welche Matratzenhärte empfiehlst du bei Rückenschmerzen?",
        ),
        jana(
            "susanne-a",
            "susanne",
            24,
            """
Liebe Susanne, eine „richtige“ Härte gibt es nicht. Die Matratze sollte die Wirbelsäule in
Seitenlage etwa gerade halten, und du solltest dich gut darauf drehen können. Probeliegen und
ein langes Rückgaberecht sind mehr wert als jede Härtegrad-Tabelle.
""",
        ),
        reader(
            "spam-2",
            "Gewinner",
            "win@casino.example",
            -4,
            "Glückwunsch, Sie haben gewonnen! Jetzt im casino abholen.",
            status=S,
            note="Demo: Spam.",
        ),
    ],
    "spazierengehen-unterschaetzt": [
        reader(
            "gerd",
            "Gerd",
            "gerd@example.org",
            10,
            """
Ich gehe seit meiner Rente jeden Morgen eine Stunde mit dem Hund. Seitdem brauche ich kaum noch
Schmerzmittel. Schön, das mal so bestätigt zu lesen.
""",
        ),
        reader(
            "nina",
            "Nina",
            "nina@example.org",
            30,
            "Zählt der Weg zur Arbeit auch, oder muss es ein „richtiger“ Spaziergang sein?",
        ),
        jana(
            "nina-a",
            "nina",
            34,
            """
Der Weg zur Arbeit zählt absolut! Wenn du magst, steig eine Station früher aus – und lass
das Handy in der Tasche, dann schwingen die Arme freier mit.
""",
        ),
    ],
    "schultern-mobilisieren": [
        reader(
            "olga",
            "Olga",
            "olga@example.org",
            -5,
            """
Bei der Übung mit dem Handtuch hinter dem Rücken knackt es bei mir in der Schulter. Ist das
schlimm?
""",
            status=P,
        ),
    ],
    "faszien-und-stress": [
        reader(
            "martin",
            "Martin",
            "martin@example.org",
            7,
            """
Das erklärt, warum mein Nacken immer in Prüfungsphasen hart wird. Hilft da auch die
Faszienrolle oder eher Entspannung?
""",
        ),
        jana(
            "martin-a",
            "martin",
            11,
            """
Beides ergänzt sich gut. Die Rolle (sanft!) für den oberen Rücken, und für den Nacken lieber
Wärme, ruhiges Ausatmen und ein paar langsame Kopfbewegungen.
""",
        ),
    ],
}

SPAM_WORDS = ["casino", "viagra", "kredit ohne schufa"]


def _created_at(article, hours: float):
    now = timezone.now()
    if hours < 0:  # pending and spam: recent, so they wait on top of the moderation list
        return now - timedelta(hours=-hours)
    return min(article.published_at + timedelta(hours=hours), now - timedelta(minutes=5))


def load(*, author, stdout=None) -> None:
    """Create the demo comments and spam words that are missing."""
    created = 0
    with transaction.atomic():
        for word in SPAM_WORDS:
            if not SpamWord.objects.filter(word__iexact=word).exists():
                SpamWord.objects.create(word=word)
        for slug, thread in THREADS.items():
            article = Article.objects.published().filter(slug=slug).first()
            if article is None:
                continue
            created += _load_thread(article, thread, author=author)
    if stdout is not None:
        stdout.write(f"Comments: {created} demo comment(s) created.")


def _load_thread(article, thread: list[DemoComment], *, author) -> int:
    by_key: dict[str, Comment] = {}
    created = 0
    for item in thread:
        existing = Comment.objects.filter(article=article, body=item.body).first()
        if existing is not None:
            by_key[item.key] = existing
            continue
        parent = by_key.get(item.parent) if item.parent else None
        if item.parent and parent is None:
            continue
        created_at = _created_at(article, item.hours)
        if item.by_author:
            fields = {
                "name": author.get_full_name() or author.get_username(),
                "email": author.email or "",
                "is_author_reply": True,
                "user": author,
                "moderated_by": author,
                "moderated_at": created_at,
            }
        else:
            fields = {
                "name": item.name,
                "email": item.email,
                "url": item.url,
                "moderation_note": item.note,
                "fingerprint": comment_fingerprint(
                    article_id=article.pk, email=item.email, body=item.body
                ),
                "ip_address": "192.0.2.44" if item.hours < 0 else None,
                "user_agent": "Mozilla/5.0 (Demo)" if item.hours < 0 else "",
            }
            if item.status == A:
                fields.update(moderated_by=author, moderated_at=created_at + timedelta(hours=1))
        by_key[item.key] = Comment.objects.create(
            article=article,
            parent=parent,
            body=item.body,
            status=A if item.by_author else item.status,
            created_at=created_at,
            **fields,
        )
        created += 1
    return created
