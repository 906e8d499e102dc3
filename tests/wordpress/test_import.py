"""import_wordpress through the real command and the real pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from PIL import Image

from blog.models import Article, Category, Tag
from comments.models import Comment
from tests.wordpress.support import OLD_HOST, make_uploads, run_import
from wordpress.models import ImportedFile, ImportedItem

pytestmark = pytest.mark.django_db

SITE_ROWS = (Comment, Article, Category, Tag, FlatPage, Redirect, ImportedItem, ImportedFile)


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, module_media):
    # Every test of this module reads the files of the one import below.
    settings.MEDIA_ROOT = module_media
    return module_media


@pytest.fixture(scope="module")
def imported_site(django_db_setup, django_db_blocker, tmp_path_factory, module_media):
    """One import for the whole module (the tests only read; each test's changes roll back)."""
    uploads = make_uploads(tmp_path_factory.mktemp("wp") / "uploads")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media):
        get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
        report = run_import("--uploads", uploads)
        yield report, uploads
        for model in SITE_ROWS:
            model.objects.all().delete()
        get_user_model().objects.all().delete()


@pytest.fixture
def imported(imported_site, db):
    return imported_site[0]


@pytest.fixture
def uploads(imported_site):
    return imported_site[1]


def article_page(client, slug: str) -> str:
    response = client.get(f"/blog/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_classic_post_gets_wordpress_paragraphs_and_line_breaks(imported, client):
    html = article_page(client, "faszien-verstehen")
    assert "<p>Faszien sind das Netz, das deinen Körper zusammenhält.<br>\nSie umhüllen" in html
    assert "<h2>Drei Übungen für jeden Tag</h2>" in html
    assert "<p>So sieht es aus:</p>" in html


def test_a_caption_becomes_a_figure_with_the_credit_and_the_original_image(imported, client):
    body = Article.objects.get(slug="faszien-verstehen").body
    figure = re.search(r"<figure class=\"image\">.*?</figure>", body).group(0)
    assert 'src="/media/uploads/2018/01/faszienrolle.jpg"' in figure
    assert 'alt="Eine Faszienrolle auf einer Yogamatte"' in figure
    assert "<figcaption>Die Rolle für zu Hause. Foto: Anna Muster</figcaption>" in figure
    assert "300x188" not in body


def test_no_shortcode_block_comment_empty_paragraph_or_old_host_reaches_a_public_page(
    imported, client
):
    for article in Article.objects.published():
        html = article_page(client, article.slug)
        assert "feelmove.example" not in html, article.slug
        assert "<!-- wp:" not in html and "<!--more-->" not in html
        assert not re.search(r"\[/?(?:caption|gallery|embed|et_pb_\w+|mailpoet_form)", html)
        assert "<p></p>" not in html and "&nbsp;</p>" not in html
    for page in FlatPage.objects.filter(registration_required=False):
        assert "feelmove.example" not in client.get(page.url).content.decode()


def test_a_bracketed_word_in_running_text_is_not_taken_for_a_shortcode(imported):
    body = Article.objects.get(slug="faszien-verstehen").body
    assert "[Werbung] Die Rolle gibt es im Sportgeschäft. :)" in body


def test_unknown_shortcodes_and_empty_dynamic_blocks_are_removed_and_listed(imported):
    assert "[mailpoet_form]: 1 (Faszien verstehen & lockern)" in imported
    assert "[et_pb_code]: 1 (Schultern lockern im Büro)" in imported
    assert "wp:latest-posts: 1 (Katze und Kuh)" in imported
    assert "track()" not in Article.objects.get(slug="schultern-lockern-im-buero").body


def test_a_gutenberg_post_keeps_its_html_and_its_gallery_images_without_block_wrappers(
    imported, client
):
    body = Article.objects.get(slug="katze-und-kuh").body
    assert "<!--" not in body and "wp-block" not in body
    assert '<a href="/blog/faszien-verstehen/">Faszien-Übungen</a>' in body  # was ?p=12
    assert '<img src="/media/uploads/2019/03/katze-kuh-scaled.jpg"' in body  # was -1024x683
    assert '<img src="/media/uploads/2019/05/schulter.jpg" alt="Schulterkreisen">' in body
    assert '<figure class="table"><table>' in body
    assert '<p><a href="/ueber-mich/">Mehr über mich</a></p>' in body  # the button
    assert "<p>Jana</p></blockquote>" in body.replace("\n", "")
    html = article_page(client, "katze-und-kuh")
    # The embed is a link: nothing is loaded from YouTube.
    assert '<a href="https://www.youtube.com/watch?v=abcdefghijk">' in html
    assert "<iframe" not in html


def test_a_divi_post_is_unwrapped_and_its_button_and_gallery_kept(imported):
    body = Article.objects.get(slug="schultern-lockern-im-buero").body
    assert body.startswith("<p>Wer viel am Schreibtisch sitzt, kennt verspannte Schultern.</p>")
    assert "<p>Erst die Brust dehnen,<br>\ndann die Schultern kreisen.</p>" in body
    assert '<p><a href="/blog/faszien-verstehen/">Mehr zu Faszien</a></p>' in body
    assert body.count('src="/media/uploads/2019/05/dehnung.png"') == 2  # image module, gallery
    assert "<figcaption>Schulterkreisen</figcaption>" in body


def test_an_iframe_becomes_a_link_and_links_to_files_and_categories_are_rewritten(imported):
    body = Article.objects.get(slug="uebungsplan-zum-ausdrucken").body
    assert '<a href="https://vimeo.com/123456">' in body
    assert '<a href="/media/uploads/2020/05/uebungsplan.pdf">Übungsplan als PDF</a>' in body
    assert '<a href="/blog/kategorie/ruecken/">Rücken-Artikel</a>' in body
    assert default_storage.open("uploads/2020/05/uebungsplan.pdf").read().startswith(b"%PDF-")


def test_article_fields_come_from_the_post(imported):
    article = Article.objects.get(slug="faszien-verstehen")
    assert article.title == "Faszien verstehen & lockern"
    assert article.teaser == "Was Faszien sind und wie du sie lockerst."
    assert article.meta_description == "Faszien einfach erklärt, mit drei Übungen."
    assert article.published_at.isoformat() == "2018-01-29T09:15:00+00:00"
    assert article.author.username == "jana" and article.author.get_full_name() == "Jana Berger"
    assert article.author.is_staff and not article.author.has_usable_password()
    assert article.category.name == "Faszien"  # Yoast's primary category
    assert sorted(article.tags.values_list("name", flat=True)) == ["Dehnen", "Übungen"]
    assert article.comments_open
    assert not Article.objects.get(slug="uebungsplan-zum-ausdrucken").comments_open


def test_the_featured_image_becomes_the_cover_with_its_caption_as_credit(imported, client):
    article = Article.objects.get(slug="faszien-verstehen")
    assert article.cover_image.name.startswith("covers/faszienrolle")
    assert article.cover_alt == "Eine Faszienrolle auf einer Yogamatte"
    assert article.cover_credit == "Foto: Anna Muster, CC BY 3.0"
    assert article.cover_renditions["webp"]
    html = article_page(client, "faszien-verstehen")
    assert "Foto: Anna Muster, CC BY 3.0" in html
    assert ".webp" in html


def test_images_are_cleaned_like_editor_uploads_and_lose_their_gps_position(imported, uploads):
    with Image.open(uploads / "2018/01/faszienrolle.jpg") as original:
        assert original.getexif().get_ifd(0x8825)  # the camera wrote where it was
    with default_storage.open("uploads/2018/01/faszienrolle.jpg") as stored:
        with Image.open(stored) as image:
            assert not image.getexif()
            assert image.size == (900, 600)
    with default_storage.open("uploads/2019/03/katze-kuh-scaled.jpg") as stored:
        with Image.open(stored) as image:
            assert image.size == (1000, 667)
    assert not default_storage.exists("uploads/2018/01/faszienrolle-300x188.jpg")


def test_missing_and_refused_files_are_listed_in_the_report(imported):
    assert "2020/05/fehlt.jpg (nicht im Upload-Ordner, in: Übungsplan zum Ausdrucken)" in (imported)
    assert "2020/05/boese.jpg" in imported.split("Von den Prüfungen abgelehnte Dateien")[1]
    assert "https://cdn.other.example/bild.jpg" in imported
    assert not default_storage.exists("uploads/2020/05/boese.jpg")


@pytest.mark.parametrize(
    ("slug", "status", "public"),
    [
        ("faszien-verstehen", "published", True),  # publish
        ("huefte-mobilisieren", "published", False),  # future: scheduled for 2099
        ("entwurf-ueber-atmung", "draft", False),  # draft without a slug
        ("gastbeitrag", "draft", False),  # pending
        ("privat-meine-notizen", "draft", False),  # private
        ("kursmaterial", "draft", False),  # password-protected
    ],
)
def test_every_post_status_is_mapped_and_nothing_private_is_public(
    imported, client, slug, status, public
):
    article = Article.objects.get(slug=slug)
    assert article.status == status
    assert article.is_public is public
    assert client.get(f"/blog/{slug}/").status_code == (200 if public else 404)


def test_trash_automatic_drafts_revisions_and_menu_items_are_skipped_and_counted(imported):
    assert not Article.objects.filter(title__in=["Alter Artikel im Papierkorb", "Startseite"])
    assert "im Papierkorb von WordPress: 1 (Alter Artikel im Papierkorb)" in imported
    assert "ein leerer automatischer Entwurf: 1" in imported
    assert "nav_menu_item (kein Inhalt des Blogs): 1" in imported
    assert "revision (kein Inhalt des Blogs): 1" in imported
    assert "passwortgeschützt: als Entwurf übernommen: 1 (Nur für Kursteilnehmerinnen)" in imported


def test_categories_are_flattened_and_tags_kept(imported):
    assert set(Category.objects.values_list("slug", flat=True)) == {
        "allgemein",
        "faszien",
        "ruecken",
        "uebungen",
    }
    assert Category.objects.get(slug="faszien").description == "Alles über das Bindegewebe."
    assert Tag.objects.get(slug="buero").name == "Büro"


def test_comment_threads_keep_their_depth_and_the_authors_replies_are_hers(imported):
    petra = Comment.objects.get(body__startswith="Danke")
    reply = petra.replies.get()
    follow_up = reply.replies.get()
    answer = follow_up.replies.get()
    assert [petra.parent, reply.parent, follow_up.parent, answer.parent] == [
        None,
        petra,
        reply,
        follow_up,
    ]
    for own in (reply, answer):
        assert own.is_author_reply and own.user.username == "jana"
        assert own.name == "Jana Berger" and own.moderated_by == own.user
        assert own.moderated_at == own.created_at
    assert not petra.is_author_reply and petra.user is None
    tom = Comment.objects.get(name="Tom")
    assert not tom.is_author_reply and tom.user is None  # logged in on WordPress, no author


def test_old_comment_html_becomes_plain_text_and_shows_escaped(imported, client):
    petra = Comment.objects.get(body__startswith="Danke")
    assert petra.body == (
        "Danke, das hilft sehr!\nIch habe noch eine Frage zu meiner Rolle "
        "(https://petra.example.org/rolle): wie hart darf sie sein?"
    )
    assert petra.url == "https://petra.example.org"
    html = article_page(client, "faszien-verstehen")
    assert "<strong>sehr</strong>" not in html and "alert(1)" not in html


def test_every_comment_status_is_kept_and_only_approved_ones_are_shown(imported, client):
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses["Wartet noch auf Freigabe."] == "pending"
    assert statuses["Spamtext mit Pillen"] == "spam"
    assert statuses["Im Papierkorb"] == "trash"
    html = article_page(client, "faszien-verstehen")
    assert "Zehn Minuten genügen." in html
    for hidden in ("Wartet noch auf Freigabe.", "Spamtext", "Im Papierkorb", "wie feelmove"):
        assert hidden not in html
    assert "comment-by-author" in html


def test_pingbacks_and_comments_on_pages_are_skipped_and_counted(imported):
    assert "Pingbacks und Trackbacks: 1" in imported
    assert "auf einer Seite (Seiten haben hier keine Kommentare): 1" in imported
    assert Comment.objects.count() == 8


def test_comment_ips_older_than_thirty_days_are_not_stored(imported):
    assert not Comment.objects.exclude(ip_address=None).exists()


def test_pages_live_at_their_old_addresses_and_unpublished_ones_stay_hidden(imported, client):
    page = client.get("/ueber-mich/")
    assert page.status_code == 200
    assert "<p>Ich bin Jana, Bewegungscoach in Berlin.</p>" in page.content.decode()
    assert client.get("/ressourcen/buecher/").status_code == 200
    hidden = FlatPage.objects.get(url="/neue-seite/")
    assert hidden.registration_required
    response = client.get("/neue-seite/")
    assert response.status_code == 302  # to the admin's login, never shown
    assert response["Location"] == "/admin/login/?next=/neue-seite/"
    page = FlatPage.objects.get(url="/datenschutzerklaerung/")
    assert "Die Adresse unserer Website ist: http://127.0.0.1:8000/." in page.content


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/2018/01/faszien-verstehen/", "/blog/faszien-verstehen/"),
        ("/2018/01/faszien-verstehen", "/blog/faszien-verstehen/"),
        ("/2018/01/faszien-verstehen/?replytocom=101", "/blog/faszien-verstehen/"),
        ("/2018/01/faszien-verstehen/feed/", "/blog/faszien-verstehen/"),
        ("/2018/01/faszien-verstehen/comment-page-2/", "/blog/faszien-verstehen/"),
        ("/2019/03/katze-kuh-uebung/", "/blog/katze-und-kuh/"),  # an old slug
        ("/?p=12", "/blog/faszien-verstehen/"),
        ("/?p=12&preview=true", "/blog/faszien-verstehen/"),
        ("/index.php?p=13", "/blog/katze-und-kuh/"),
        ("/?page_id=31", "/ressourcen/"),
        ("/?attachment_id=40", "/blog/faszien-verstehen/"),
        ("/2018/01/faszien-verstehen/faszienrolle/", "/blog/faszien-verstehen/"),
        ("/?cat=3", "/blog/kategorie/ruecken/"),
        ("/category/ruecken/", "/blog/kategorie/ruecken/"),
        ("/category/faszien/uebungen/", "/blog/kategorie/uebungen/"),
        ("/category/ruecken/page/2/", "/blog/kategorie/ruecken/?page=2"),
        ("/category/ruecken/feed/", "/blog/kategorie/ruecken/"),
        ("/tag/dehnen/", "/blog/tag/dehnen/"),
        ("/author/jana/", "/"),
        ("/2018/", "/blog/archiv/2018/"),
        ("/2018/01/", "/blog/archiv/2018/"),
        ("/2018/01/29/", "/blog/archiv/2018/"),
        ("/page/3/", "/?page=3"),
        ("/?s=R%C3%BCcken+dehnen", "/suche/?q=R%C3%BCcken+dehnen"),
        ("/feed/rss2/", "/feed/"),
        ("/comments/feed/", "/feed/"),
        ("/datenschutz/", "/datenschutzerklaerung/"),  # where the signup forms link to
        ("/wp-content/uploads/2018/01/faszienrolle.jpg", "/media/uploads/2018/01/faszienrolle.jpg"),
        (
            "/wp-content/uploads/2018/01/faszienrolle-150x150.jpg",
            "/media/uploads/2018/01/faszienrolle.jpg",
        ),
        (
            "/wp-content/uploads/2019/03/katze-kuh.jpg",
            "/media/uploads/2019/03/katze-kuh-scaled.jpg",
        ),
        ("/wp-content/uploads/2020/05/uebungsplan.pdf", "/media/uploads/2020/05/uebungsplan.pdf"),
    ],
)
def test_every_old_address_answers_a_permanent_redirect(imported, client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_addresses_that_never_were_public_do_not_redirect(imported, client):
    for old in ("/2023/01/privat-meine-notizen/", "/2023/02/kursmaterial/", "/?p=17"):
        response = client.get(old)
        assert response.status_code in (200, 404) and response.status_code != 301
    assert not Redirect.objects.filter(new_path="/blog/kursmaterial/").exists()


def test_the_feed_and_pages_at_their_old_addresses_answer_directly(imported, client):
    assert client.get("/feed/").status_code == 200
    assert client.get("/ueber-mich/").status_code == 200


def test_redirects_are_rows_the_author_can_edit_in_the_admin(imported, client):
    admin = get_user_model().objects.get(username="admin")
    admin_client = Client()
    admin_client.force_login(admin)
    row = Redirect.objects.get(old_path="/tag/dehnen/")
    assert admin_client.get(f"/admin/redirects/redirect/{row.pk}/change/").status_code == 200
    row.new_path = "/blog/kategorie/faszien/"
    row.save()
    assert client.get("/tag/dehnen/")["Location"] == "/blog/kategorie/faszien/"


def test_an_old_address_costs_one_query_beyond_the_404(imported, client, django_assert_num_queries):
    # Guards the fallback: the 404 page's categories, the flatpage lookup, then one lookup of
    # every candidate address at once (never one query per candidate: here four of them).
    client.get("/nie-gewesen/")
    with django_assert_num_queries(3):
        assert client.get("/nie-gewesen/").status_code == 404
    with django_assert_num_queries(3):
        assert client.get("/2018/01/29/feed/").status_code == 301


def test_a_wordpress_parameter_on_the_home_page_costs_one_query_and_beats_the_page_cache(
    imported, client, django_assert_num_queries
):
    assert client.get("/").status_code == 200
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    # Guards the ?p= lookup: one query, made before the page cache could answer.
    with django_assert_num_queries(1):
        assert client.get("/?p=13").status_code == 301
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200  # still the cached home page


@pytest.mark.parametrize("query", ["?p=²", "?p=-1", "?page_id=" + "9" * 40, "?p=", "?cat=x"])
def test_odd_wordpress_parameters_on_the_home_page_show_the_home_page(imported, client, query):
    assert client.get("/" + query).status_code == 200


def test_an_address_edited_to_nothing_is_gone(imported, client):
    Redirect.objects.filter(old_path="/author/jana/").update(new_path="")
    assert client.get("/author/jana/").status_code == 410


def test_old_upload_addresses_redirect_to_files_that_are_served(imported, uploads, settings):
    assert OLD_HOST  # the fixture's old site
    row = Redirect.objects.get(old_path="/wp-content/uploads/2019/05/dehnung.png")
    assert default_storage.exists(row.new_path.removeprefix(settings.MEDIA_URL))
