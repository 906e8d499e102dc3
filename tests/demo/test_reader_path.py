"""The demo leads a reader on: pages link the guide, the newsletter, the consultation page and
the articles they mention; one name for the guide; the author box; old pages brought up to date."""

import io
import re
import tomllib
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage

from blog.models import AuthorProfile
from blog.sanitize import clean_html
from demo.content import CONTENT_DIR
from demo.loaders import blog as demo_blog
from demo.loaders import site as demo_site
from tests.blog.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"]+)"')


@pytest.fixture
def loaded(settings, tmp_path):
    """The site part of the demo (pages, the author and her box): quick, no article pictures."""
    settings.MEDIA_ROOT = tmp_path
    demo_site.load(demo_site.read(), stdout=io.StringIO())


def article_spec(slug):
    return next(spec for spec in demo_blog.read().articles if spec.slug == slug)


@pytest.mark.parametrize("url", ["/ueber-mich/", "/ressourcen/"])
def test_about_and_resources_lead_to_the_guide_newsletter_consultation_and_articles(loaded, url):
    links = set(LINK.findall(FlatPage.objects.get(url=url).content))

    assert {"/gratis-guide/", "/newsletter/", "/kontakt/"} <= links
    articles = {link for link in links if link.startswith("/blog/")}
    assert articles
    assert {link.split("/")[2] for link in articles} <= demo_blog.read().article_slugs


@pytest.mark.parametrize("url", ["/ueber-mich/", "/ressourcen/"])
def test_the_consultation_link_is_the_conversation_button(loaded, url):
    assert '<a class="cta-button" href="/kontakt/">' in FlatPage.objects.get(url=url).content


def test_the_privacy_page_links_to_my_data(loaded):
    assert 'href="/meine-daten/"' in FlatPage.objects.get(url="/datenschutz/").content


def test_the_back_pain_article_ends_with_the_conversation_button():
    body = clean_html(article_spec("rueckenschmerzen-verstehen").body)

    assert "In einem persönlichen Gespräch" in body
    assert body.rstrip().endswith(
        '<p><a class="cta-button" href="/kontakt/">Gespräch vereinbaren</a></p>'
    )


def test_the_paid_link_in_the_demo_carries_rel_and_the_note(client):
    spec = article_spec("faszienrolle-richtig-nutzen")
    article = ArticleFactory(title=spec.title, body=spec.body)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'rel="sponsored noopener"' in html
    assert html.count('<span class="paid-note">(Werbung)</span>') == 1


def test_the_guide_has_one_name_and_gratis_guide_its_hyphen_everywhere():
    root = Path(__file__).resolve().parents[2]
    texts = [
        *(path.read_text(encoding="utf-8") for path in CONTENT_DIR.rglob("*.toml")),
        *(path.read_text(encoding="utf-8") for path in (root / "templates").rglob("*.*")),
        (root / "locale/de/LC_MESSAGES/django.po").read_text(encoding="utf-8"),
    ]
    everything = "\n".join(texts)

    assert not re.search(r"Gratis[ \n]+Guide|GRATIS GUIDE", everything)
    assert "Faszien und Dehnen: deine ersten zwei Wochen" not in everything
    assert "Faszien & Dehnen – Dein 14-Tage-Start" not in everything


def test_the_demo_author_gets_an_author_box_with_a_drawn_portrait(loaded, client):
    profile = AuthorProfile.objects.get(user__username="jana")

    assert profile.bio.startswith("Ich bin Jana")
    assert profile.portrait_renditions["width"] == 320
    article = ArticleFactory(author=profile.user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<aside class="author-box"' in html and 'alt="Porträt von Jana Berger"' in html


def test_an_author_box_she_changed_is_left_alone(loaded):
    AuthorProfile.objects.filter(user__username="jana").update(bio="Meine eigenen Worte.")

    demo_site.load(demo_site.read(), stdout=io.StringIO())

    assert AuthorProfile.objects.get(user__username="jana").bio == "Meine eigenen Worte."


def test_a_page_nobody_edited_gets_the_new_demo_text_and_an_edited_one_stays(loaded):
    entry = next(p for p in demo_site.read().pages if p["url"] == "/ressourcen/")
    old_text = "<p>Die Ressourcen einer früheren Demo.</p>"
    assert demo_site.content_digest(old_text) not in entry.get("replaces", [])
    FlatPage.objects.filter(url="/ressourcen/").update(content=old_text)
    FlatPage.objects.filter(url="/ueber-mich/").update(content="Von der Autorin geändert.")
    entry_about = next(p for p in demo_site.read().pages if p["url"] == "/ueber-mich/")

    # An earlier demo text (its digest is in `replaces`) is replaced ...
    FlatPage.objects.filter(url="/datenschutz/").update(content=OLD_PRIVACY)
    out = io.StringIO()
    demo_site.load(demo_site.read(), stdout=out)

    privacy = FlatPage.objects.get(url="/datenschutz/").content
    assert 'href="/meine-daten/"' in privacy
    assert "Page /datenschutz/ updated" in out.getvalue()
    # ... a text she wrote herself, or one the demo never had, is not.
    assert FlatPage.objects.get(url="/ueber-mich/").content == "Von der Autorin geändert."
    assert FlatPage.objects.get(url="/ressourcen/").content == old_text
    assert entry_about["replaces"]

    # And a second run changes nothing more.
    out = io.StringIO()
    demo_site.load(demo_site.read(), stdout=out)
    assert "updated" not in out.getvalue()
    assert FlatPage.objects.get(url="/datenschutz/").content == privacy


# The privacy page as the demo wrote it before it linked /meine-daten/ (its digest is listed).
OLD_PRIVACY = tomllib.loads(
    (Path(__file__).with_name("old_datenschutz_page.toml")).read_text(encoding="utf-8")
)["content"].strip()
