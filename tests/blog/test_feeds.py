"""RSS 2.0, Atom and the sitemap are well-formed XML with the right content."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://feelmove.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def parse(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)


def test_the_rss_feed_lists_published_articles_with_full_text_and_absolute_links(client):
    article = ArticleFactory(
        title="Faszien & Schmerz",
        teaser="Was hilft?",
        body='<p>Erster Absatz mit <a href="/blog/anderer/">Link</a>.</p>'
        '<figure class="image"><img src="/media/uploads/bild.jpg" alt="Bild"></figure>',
        category=CategoryFactory(name="Faszien"),
        tags=[TagFactory(name="Schmerz")],
    )
    ArticleFactory(title="Entwurf", draft=True)
    ArticleFactory(title="Geplant", scheduled=True)

    rss = parse(client, "/feed/", "application/rss+xml")

    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("link") == f"{SITE_URL}/"
    assert channel.findtext("language") == "de"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Faszien & Schmerz"]
    item = items[0]
    assert item.findtext("link") == f"{SITE_URL}{article.get_absolute_url()}"
    assert item.findtext("guid") == f"{SITE_URL}{article.get_absolute_url()}"
    description = item.findtext("description")
    assert "Was hilft?" in description and "Erster Absatz" in description
    assert f'href="{SITE_URL}/blog/anderer/"' in description
    assert f'src="{SITE_URL}/media/uploads/bild.jpg"' in description
    assert {element.text for element in item.findall("category")} == {"Faszien", "Schmerz"}
    assert item.findtext("pubDate")


def test_the_atom_feed_has_a_summary_and_the_full_content(client):
    article = ArticleFactory(teaser="Kurz gesagt.", body="<p>Der ganze Text.</p>")

    feed = parse(client, "/feed/atom/", "application/atom+xml")

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}/feed/atom/"
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"{SITE_URL}{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}summary") == "Kurz gesagt."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and "Der ganze Text." in content.text
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Jana Berger"
    assert entry.findtext(f"{ATOM}updated")


def test_feeds_hold_at_most_twenty_articles(client):
    for _ in range(22):
        ArticleFactory()

    assert len(parse(client, "/feed/", "application/rss+xml").findall("channel/item")) == 20


def test_the_sitemap_lists_articles_lists_and_pages_but_no_drafts(client):
    Site.objects.update_or_create(pk=1, defaults={"domain": "feelmove.de", "name": "feelmove"})
    category = CategoryFactory(name="Rücken", slug="ruecken")
    tag = TagFactory(name="Dehnen", slug="dehnen")
    article = ArticleFactory(category=category, tags=[tag])
    draft = ArticleFactory(draft=True, category=CategoryFactory(name="Leer", slug="leer"))
    page = FlatPage.objects.create(url="/ueber-mich/", title="Über mich", content="Hallo")
    page.sites.add(1)

    sitemap = parse(client, "/sitemap.xml", "application/xml")

    assert sitemap.tag == f"{SITEMAP}urlset"
    locations = {element.text for element in sitemap.iter(f"{SITEMAP}loc")}
    assert f"{SITE_URL}/" in locations
    assert f"{SITE_URL}{article.get_absolute_url()}" in locations
    assert f"{SITE_URL}/blog/kategorie/ruecken/" in locations
    assert f"{SITE_URL}/blog/tag/dehnen/" in locations
    assert f"{SITE_URL}/blog/archiv/{article.published_at.year}/" in locations
    assert f"{SITE_URL}/ueber-mich/" in locations
    assert f"{SITE_URL}{draft.get_absolute_url()}" not in locations
    assert f"{SITE_URL}/blog/kategorie/leer/" not in locations
    lastmods = [url.findtext(f"{SITEMAP}lastmod") for url in sitemap.findall(f"{SITEMAP}url")]
    assert any(lastmods)


def test_robots_txt_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in body
