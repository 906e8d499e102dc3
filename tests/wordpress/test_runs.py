"""import_wordpress run again, as a dry run, with a newer export, and on bad or hostile files."""

import functools
import http.server
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError

from blog.models import Article, Category, Tag
from comments.models import Comment
from tests.wordpress.support import EXPORT, FIXTURES, run_import
from wordpress import importer as importer_module
from wordpress import media, wxr
from wordpress.importer import ImportOptions, import_wordpress
from wordpress.models import ImportedFile, ImportedItem

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row the import writes, as comparable values."""
    return {
        "articles": sorted(
            Article.objects.values_list("slug", "title", "body", "status", "cover_image")
        ),
        "comments": sorted(Comment.objects.values_list("pk", "parent_id", "body", "status")),
        "categories": sorted(Category.objects.values_list("slug", "name")),
        "tags": sorted(Tag.objects.values_list("slug", "name")),
        "pages": sorted(FlatPage.objects.values_list("url", "content")),
        "redirects": sorted(Redirect.objects.values_list("old_path", "new_path")),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "items": ImportedItem.objects.count(),
        "files": sorted(ImportedFile.objects.values_list("path", "stored_name")),
    }


def flat(report: str) -> str:
    """The report with its column padding collapsed."""
    return " ".join(report.split())


def stored_files(media_root: Path) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "x")


def test_a_second_run_changes_nothing_and_says_so(admin, uploads, media_root):
    run_import("--uploads", uploads)
    before, files = snapshot(), stored_files(media_root)
    report = run_import("--uploads", uploads)
    assert snapshot() == before
    assert stored_files(media_root) == files
    assert "Artikel: 9 unverändert, 2 übersprungen" in flat(report)
    assert "Kommentare: 8 unverändert, 2 übersprungen" in flat(report)
    assert "übernommen" not in report.split("Weiterleitungen:")[1].splitlines()[0]
    # What needs a look is still listed, though the articles were not converted again.
    assert "2020/05/fehlt.jpg (nicht im Upload-Ordner, in: Übungsplan zum Ausdrucken)" in report
    assert "[mailpoet_form]: 1 (Faszien verstehen & lockern)" in report


def test_cached_pages_show_the_imported_articles_at_once(admin, uploads, client):
    assert "Katze und Kuh" not in client.get("/").content.decode()
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    run_import("--uploads", uploads)
    home = client.get("/")
    assert home.headers["X-Page-Cache"] == "miss"
    assert "Katze und Kuh" in home.content.decode()


def test_a_second_run_keeps_what_the_author_changed_here(admin, uploads):
    run_import("--uploads", uploads)
    article = Article.objects.get(slug="katze-und-kuh")
    article.title = "Katze und Kuh: neu geschrieben"
    article.save()
    Comment.objects.filter(body="Im Papierkorb").delete()
    run_import("--uploads", uploads)
    assert Article.objects.get(slug="katze-und-kuh").title == "Katze und Kuh: neu geschrieben"
    assert not Comment.objects.filter(body="Im Papierkorb").exists()


def test_a_newer_export_updates_what_changed_in_wordpress(admin, uploads, tmp_path):
    run_import("--uploads", uploads)
    newer = tmp_path / "newer.xml"
    text = EXPORT.read_text()
    text = text.replace("Kommt bald.", "Jetzt mit drei Übungen.")
    text = text.replace("<![CDATA[Wartet noch auf Freigabe.]]></wp:comment_content>\n"
                        "\t\t\t<wp:comment_approved><![CDATA[0]]>",
                        "<![CDATA[Wartet noch auf Freigabe.]]></wp:comment_content>\n"
                        "\t\t\t<wp:comment_approved><![CDATA[1]]>")  # fmt: skip
    newer.write_text(text)
    count = Article.objects.count()
    report = run_import("--uploads", uploads, export=newer)
    assert Article.objects.count() == count
    assert Article.objects.get(slug="huefte-mobilisieren").body == "<p>Jetzt mit drei Übungen.</p>"
    assert Comment.objects.get(body="Wartet noch auf Freigabe.").status == "approved"
    assert "Artikel: 1 aktualisiert, 8 unverändert" in flat(report)
    assert "1 aktualisiert" in report.split("Kommentare:")[1].splitlines()[0]


def test_a_dry_run_writes_nothing_and_prints_the_report_of_a_real_run(admin, uploads, media_root):
    before = snapshot()
    dry = run_import("--uploads", uploads, "--dry-run")
    assert snapshot() == before
    assert stored_files(media_root) == set()
    real = run_import("--uploads", uploads)
    assert dry.startswith("PROBELAUF: Es wurde nichts gespeichert.")
    assert dry.split("\n", 2)[2] == real


def test_an_error_half_way_leaves_the_database_and_the_media_folder_as_they_were(
    admin, uploads, media_root, monkeypatch
):
    def broken(self, item):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(importer_module.WordPressImport, "_import_page", broken)
    before = snapshot()
    with pytest.raises(RuntimeError):
        run_import("--uploads", uploads)
    assert snapshot() == before
    assert stored_files(media_root) == set()


def test_all_articles_can_go_to_one_existing_author(admin, uploads):
    coach = get_user_model().objects.create_user("coach", is_staff=True)
    report = run_import("--uploads", uploads, "--author", "coach")
    assert set(Article.objects.values_list("author__username", flat=True)) == {"coach"}
    assert not get_user_model().objects.filter(username="jana").exists()
    replies = Comment.objects.filter(is_author_reply=True)
    assert replies.count() == 2 and {c.user for c in replies} == {coach}
    assert "Angelegte Benutzerkonten" not in report


def test_an_unknown_author_option_stops_before_anything_is_written(admin, uploads):
    with pytest.raises(CommandError, match="Es gibt keinen Benutzer nobody"):
        run_import("--uploads", uploads, "--author", "nobody")
    assert not Article.objects.exists()


def test_an_existing_user_with_the_same_login_is_the_author(admin, uploads):
    jana = get_user_model().objects.create_user("jana", email="jana@feelmove.example")
    run_import("--uploads", uploads)
    assert Article.objects.filter(author=jana).count() == 9
    assert get_user_model().objects.count() == 2


def test_a_recent_comment_keeps_its_ip_address_for_thirty_days(admin, uploads):
    now = datetime(2018, 3, 5, tzinfo=UTC)
    import_wordpress(ImportOptions(path=EXPORT, uploads=uploads, now=now))
    recent = Comment.objects.get(body__startswith="Ich bin angemeldet")  # 27 days before
    assert recent.ip_address == "203.0.113.20"
    assert Comment.objects.get(body__startswith="Danke").ip_address is None  # 34 days before
    assert now - recent.created_at < timedelta(days=30)


def test_a_wxr_1_1_export_of_an_older_wordpress_is_read(admin):
    report = run_import(export=FIXTURES / "older-wordpress-1.1.xml")
    article = Article.objects.get(slug="erster-artikel")
    assert article.is_public
    assert article.body == "<p>Mein erster Artikel.<br>\nMit zwei Zeilen.</p>"
    comment = Comment.objects.get()
    assert comment.status == "approved" and comment.body == "Schön, dass es losgeht!"
    assert "Artikel: 1 übernommen" in flat(report)


def test_files_can_be_fetched_from_the_old_site(admin, uploads):
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(uploads.parent.parent)
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/wp-content/uploads/"
        report = run_import("--media-base-url", base)
    finally:
        server.shutdown()
    assert ImportedFile.objects.filter(path="2018/01/faszienrolle.jpg").exists()
    assert "2020/05/fehlt.jpg (nicht auf der alten Website (HTTP 404)" in report


def test_fetching_stops_at_the_size_limit(uploads, monkeypatch):
    monkeypatch.setattr(media, "MAX_FILE_BYTES", 1000)
    source = media.UploadsSource(folder=uploads, base_url=None, max_bytes=1000)
    with pytest.raises(media.FileUnavailable, match="größer als"):
        source.read("2018/01/faszienrolle.jpg")


def test_a_file_that_trickles_in_is_given_up_after_the_deadline(monkeypatch):
    class Trickle:
        def read(self, size):
            return b"x"

    monkeypatch.setattr(media, "FETCH_DEADLINE", 0)
    source = media.UploadsSource(folder=None, base_url="http://127.0.0.1/")
    with pytest.raises(media.FileUnavailable, match="länger als 0 Sekunden"):
        source._read_bounded(Trickle())


def test_only_http_and_https_addresses_are_accepted_for_files(admin):
    with pytest.raises(CommandError, match="http:// oder https://"):
        run_import("--media-base-url", "file:///etc/")


def test_an_uploads_path_cannot_leave_the_uploads_folder(uploads, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    source = media.UploadsSource(folder=uploads, base_url=None)
    with pytest.raises(media.FileUnavailable, match="außerhalb"):
        source.read("../../secret.jpg")


# Bad and hostile files ------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol4;</title></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&secret;</title></item></channel></rss>"""

PLAIN_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Ein Feed</title>
<item><title>Kein Export</title></item></channel></rss>"""


def _half_of_the_export() -> str:
    text = EXPORT.read_text()
    return text[: text.index("Katze und Kuh ist die sanfteste")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "erklärt einen Dokumenttyp oder Entitäten"),
        (EXTERNAL_ENTITY, "erklärt einen Dokumenttyp oder Entitäten"),
        (PLAIN_FEED, r"kein WordPress-Export \(ihr fehlt wp:wxr_version\)"),
        ("<html><body>Hallo</body></html>", "beginnt mit <html> statt <rss>"),
        ("Email Address,First Name\nanna@example.org,Anna\n", "kein XML"),
        ("", "Die Datei ist leer."),
        (None, "endet mittendrin"),
    ],
    ids=["billion-laughs", "external-entity", "plain-rss", "html", "csv", "empty", "truncated"],
)
def test_a_bad_or_hostile_file_stops_with_a_clear_message_and_changes_nothing(
    admin, uploads, tmp_path, media_root, content, message
):
    path = tmp_path / "export.xml"
    path.write_text(_half_of_the_export() if content is None else content)
    with pytest.raises(CommandError, match=message) as raised:
        run_import("--uploads", uploads, export=path)
    assert "Es wurde nichts übernommen; die Datenbank ist unverändert." in str(raised.value)
    assert not Article.objects.exists() and not Redirect.objects.exists()
    assert stored_files(media_root) == set()


def test_a_one_gigabyte_file_is_refused_without_reading_it(admin, tmp_path):
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:
        handle.truncate(1024**3)  # sparse: a gigabyte on paper, nothing on disk
    with pytest.raises(
        CommandError, match="Die Datei ist 1024 MB groß; gelesen werden höchstens 512 MB"
    ):
        run_import(export=huge)


def test_a_single_huge_text_in_the_file_stops_the_import(admin, tmp_path, monkeypatch):
    monkeypatch.setattr(wxr, "MAX_TEXT_CHARS", 1000)
    path = tmp_path / "export.xml"
    path.write_text(EXPORT.read_text().replace("Kommt bald.", "x" * 5000))
    with pytest.raises(CommandError, match="mehr als 0 MB Text"):
        run_import(export=path)
    assert not Article.objects.exists()


def test_odd_numbers_in_the_export_are_taken_as_missing_not_as_a_crash(admin, uploads, tmp_path):
    path = tmp_path / "export.xml"
    text = EXPORT.read_text().replace(
        "<wp:meta_value><![CDATA[40]]>", "<wp:meta_value><![CDATA[²]]>"
    )
    path.write_text(
        text.replace("<wp:post_parent>31</wp:post_parent>", "<wp:post_parent>٣²</wp:post_parent>")
    )
    run_import("--uploads", uploads, export=path)
    assert not Article.objects.get(slug="faszien-verstehen").cover_image
    assert FlatPage.objects.filter(url="/ressourcen/buecher/").exists()


def test_control_characters_that_xml_forbids_are_dropped_and_counted(admin, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(EXPORT.read_text().replace("Kommt bald.", "Kommt\x0b bald.\x02"))
    report = run_import(export=path)
    assert Article.objects.get(slug="huefte-mobilisieren").body == "<p>Kommt bald.</p>"
    assert "Steuerzeichen, die XML nicht erlaubt, wurden aus der Datei entfernt: 1 (2)" in report


def test_the_reader_keeps_memory_bounded_by_handing_out_items_one_by_one():
    reader = wxr.WXRReader(EXPORT)
    parts = reader.read()
    assert isinstance(next(parts), wxr.Channel)
    # After the first item, the reader has read only what it needed so far.
    while not isinstance(next(parts), wxr.Item):
        pass
    assert reader.bytes_read <= wxr.CHUNK_BYTES
    assert os.path.getsize(EXPORT) > 0
