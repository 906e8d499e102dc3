"""Demo content of the site itself: the author's account and the four pages.

The texts are written for feelmove; they are demo content the author replaces in the admin.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

ABOUT = """
<p>Hallo, ich bin Jana. Ich bin Physiotherapeutin, Bewegungscoach und seit über zwölf Jahren
damit beschäftigt, Menschen wieder Freude an ihrem Körper zu geben – besonders denen, die
glauben, sie seien „einfach nicht beweglich“.</p>
<h2>Wie ich arbeite</h2>
<p>Mein Weg führte über die klassische Physiotherapie zur Faszienarbeit, zum Yoga und zu
alltagsnahem Bewegungstraining. Heute verbinde ich das, was die Forschung über Schmerz und
Bindegewebe weiß, mit Übungen, die in ein volles Leben passen: fünf Minuten am Morgen, eine
Pause am Schreibtisch, ein Spaziergang mit Aufmerksamkeit.</p>
<ul>
  <li>Keine Wunderversprechen, sondern kleine Schritte, die sich summieren.</li>
  <li>Schmerz ist ein Signal, kein Urteil: wir hören hin, statt ihn zu ignorieren.</li>
  <li>Bewegung soll sich gut anfühlen – Zwang hält niemand lange durch.</li>
</ul>
<h2>Was du hier findest</h2>
<p>Im Blog schreibe ich über Rückenschmerzen, Faszien, Dehnen und Bewegung im Alltag. Du kannst
kommentieren, Fragen stellen und bekommst von mir eine Antwort. Wer mag, holt sich meinen
kostenlosen Guide mit Faszien- und Dehnübungen oder abonniert den Newsletter.</p>
<p>Wichtig: Meine Artikel ersetzen keine ärztliche Untersuchung. Bei starken, neuen oder
ausstrahlenden Schmerzen, Taubheitsgefühlen oder Fieber gehst du bitte zuerst zur Ärztin oder
zum Arzt.</p>
"""

RESOURCES = """
<p>Hier sammle ich, was mir selbst und meinen Klientinnen und Klienten geholfen hat. Ich bekomme
für keine dieser Empfehlungen Geld.</p>
<h2>Hilfsmittel für zu Hause</h2>
<ul>
  <li><strong>Eine mittelfeste Faszienrolle</strong> – für den Anfang lieber zu weich als zu hart.
  Glatte Oberfläche genügt, Noppen braucht es nicht.</li>
  <li><strong>Zwei Tennisbälle in einer Socke</strong> – das günstigste Werkzeug für die Muskulatur
  neben der Wirbelsäule.</li>
  <li><strong>Ein Yogagurt oder ein alter Gürtel</strong> – macht Dehnübungen für die Beinrückseite
  auch dann möglich, wenn die Hände nicht bis zu den Füßen kommen.</li>
  <li><strong>Eine rutschfeste Matte</strong> – dick genug für die Knie, dünn genug für
  stabilen Stand.</li>
</ul>
<h2>Zum Weiterlesen</h2>
<ul>
  <li>Die Patientenleitlinie „Nicht-spezifischer Kreuzschmerz“ der Nationalen
  VersorgungsLeitlinien – verständlich, unabhängig und aktuell.</li>
  <li>Gesundheitsinformation.de vom IQWiG – geprüfte Informationen zu Rücken, Gelenken und
  Schmerz.</li>
  <li>Die Angebote deiner Krankenkasse zu Präventionskursen: Viele Kurse zu Rückengesundheit
  werden bezuschusst.</li>
</ul>
<h2>Im Blog</h2>
<p>Einen guten Einstieg bieten die Kategorien in der Navigation oben. Und wenn du nicht weißt, wo
du anfangen sollst: Hol dir den kostenlosen Guide, er führt dich in zwei Wochen durch die
Grundlagen.</p>
"""

IMPRESSUM = """
<h2>Angaben gemäß § 5 DDG</h2>
<p>Jana Berger<br>feelmove – Bewegung &amp; Körperarbeit<br>Lindenstraße 12<br>10969 Berlin</p>
<h2>Kontakt</h2>
<p>E-Mail: hallo@feelmove.de<br>Telefon: 030 1234567-0</p>
<h2>Berufsbezeichnung</h2>
<p>Physiotherapeutin (verliehen in der Bundesrepublik Deutschland).</p>
<h2>Umsatzsteuer</h2>
<p>Umsatzsteuer-Identifikationsnummer gemäß § 27a Umsatzsteuergesetz: DE 000000000
(Beispielangabe der Demo-Seite).</p>
<h2>Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV</h2>
<p>Jana Berger, Anschrift wie oben.</p>
<h2>Hinweis zu Gesundheitsthemen</h2>
<p>Die Inhalte dieser Website dienen der allgemeinen Information und ersetzen keine Diagnose
oder Behandlung durch Ärztinnen, Ärzte oder Therapeutinnen und Therapeuten.</p>
<h2>Streitschlichtung</h2>
<p>Wir sind nicht bereit und nicht verpflichtet, an Streitbeilegungsverfahren vor einer
Verbraucherschlichtungsstelle teilzunehmen.</p>
"""

PRIVACY = """
<p>Der Schutz deiner Daten ist mir wichtig. Hier steht in klaren Worten, welche Daten diese
Website verarbeitet, wozu und wie lange.</p>
<h2>Verantwortliche</h2>
<p>Jana Berger, Lindenstraße 12, 10969 Berlin, hallo@feelmove.de.</p>
<h2>Besuch der Website</h2>
<p>Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Daten (IP-Adresse,
Zeitpunkt, aufgerufene Adresse, Browserkennung), um die Seite auszuliefern und vor Missbrauch zu
schützen (Art. 6 Abs. 1 lit. f DSGVO). Diese Protokolle werden nach spätestens 14 Tagen gelöscht.
Die Website lädt keine Schriften, Skripte oder Bilder von fremden Servern, setzt keine
Analyse- oder Werbedienste ein und bindet keine Social-Media-Plugins ein. Die Links zu Instagram
und Facebook sind einfache Links: Erst wenn du sie anklickst, verlässt du diese Seite.</p>
<h2>Cookies</h2>
<p>Es werden nur technisch notwendige Cookies gesetzt: ein Schutz-Cookie gegen gefälschte
Formularübermittlungen (CSRF) und, nachdem du einen Kommentar geschrieben hast, ein
Sitzungs-Cookie, damit du deinen noch nicht freigegebenen Kommentar sehen kannst.</p>
<h2>Kommentare</h2>
<p>Wenn du einen Kommentar schreibst, speichere ich deinen Namen, deine E-Mail-Adresse, deine
optionale Website, den Text, den Zeitpunkt und deine IP-Adresse. Name, Website und Text werden
nach der Freigabe veröffentlicht, die E-Mail-Adresse nie. Die IP-Adresse dient der Abwehr von
Missbrauch und wird nach 30 Tagen anonymisiert. Bitte teile in Kommentaren keine
Gesundheitsdaten, die du nicht öffentlich sehen möchtest. Wenn du über Antworten benachrichtigt
werden möchtest, bekommst du zuerst eine E-Mail zur Bestätigung; erst danach schicke ich
Benachrichtigungen, und jede enthält einen Link zum Abbestellen.</p>
<h2>Newsletter und Gratis Guide</h2>
<p>Für den Newsletter und den Guide brauche ich deine E-Mail-Adresse und, wenn du möchtest,
deinen Vornamen. Die Anmeldung erfolgt im Double-Opt-in-Verfahren: Du bekommst eine E-Mail mit
einem Bestätigungslink. Zum Nachweis deiner Einwilligung speichere ich den Zeitpunkt, die
IP-Adresse und die Browserkennung der Anmeldung und der Bestätigung sowie den Wortlaut der
Einwilligung (Art. 6 Abs. 1 lit. a DSGVO). Nicht bestätigte Anmeldungen lösche ich nach 30 Tagen.
Die E-Mails enthalten keine Zählpixel und keine umgeleiteten Links. Jede E-Mail enthält einen
Link, mit dem du dich mit einem Klick abmeldest.</p>
<h2>Deine Rechte</h2>
<p>Du hast das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung,
Datenübertragbarkeit und Widerspruch sowie das Recht, eine erteilte Einwilligung jederzeit zu
widerrufen. Schreib mir dazu einfach eine E-Mail. Außerdem kannst du dich bei einer
Datenschutzaufsichtsbehörde beschweren, etwa bei der Berliner Beauftragten für Datenschutz und
Informationsfreiheit.</p>
"""

PAGES = [
    ("/ueber-mich/", "Über mich", ABOUT),
    ("/ressourcen/", "Ressourcen", RESOURCES),
    ("/impressum/", "Impressum", IMPRESSUM),
    ("/datenschutz/", "Datenschutz", PRIVACY),
]


def ensure_author():
    """The author's account (`admin`); created without a usable password if it is missing."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Jana",
            "last_name": "Berger",
            "email": settings.AUTHOR_EMAIL,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def load_pages(*, stdout=None):
    """Create the site record and the four pages, if they are missing."""
    site, _created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "feelmove.de", "name": "feelmove"}
    )
    if site.domain == "example.com":
        site.domain, site.name = "feelmove.de", "feelmove"
        site.save()
    for url, title, content in PAGES:
        page, created = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content.strip()}
        )
        if created:
            page.sites.add(site)
            if stdout:
                stdout.write(f"Page {url} created.")
