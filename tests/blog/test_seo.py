"""Every page carries title, meta description, canonical URL and Open Graph; articles JSON-LD."""

import json
import re
from html.parser import HTMLParser

import pytest

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db
SITE_URL = "https://feelmove.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical> and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta = {}
        self.canonical = None
        self.json_ld = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json":
            self.json_ld[-1] += data


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def pages():
    category = CategoryFactory(name="Faszien", description="Bindegewebe verstehen.")
    tag = TagFactory(name="Dehnen")
    article = ArticleFactory(title="Faszien lösen", category=category, tags=[tag])
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "archive": f"/blog/archiv/{article.published_at.year}/",
        "search": "/suche/?q=Faszien",
    }


def test_every_blog_page_has_title_description_canonical_and_open_graph(client):
    for name, url in pages().items():
        page = head(client, url)
        assert page.title.strip(), name
        assert page.meta.get("description"), name
        assert page.canonical and page.canonical.startswith(SITE_URL + "/"), name
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.meta.get(key), (name, key)


def test_list_pages_have_their_own_titles_and_descriptions(client):
    urls = pages()

    category = head(client, urls["category"])
    assert category.title.startswith("Faszien")
    assert category.meta["description"] == "Bindegewebe verstehen."
    assert head(client, urls["tag"]).meta["description"] == (
        "Alle Artikel mit dem Schlagwort „Dehnen“."
    )


def test_the_canonical_url_of_a_later_page_names_the_page(client):
    for _ in range(11):
        ArticleFactory()

    assert head(client, "/?page=2").canonical == f"{SITE_URL}/?page=2"
    assert head(client, "/").canonical == f"{SITE_URL}/"


def test_the_article_page_describes_itself_for_search_engines_and_social_media(client):
    article = ArticleFactory(
        title="Faszien lösen",
        teaser="Sanft statt hart.",
        meta_description="Wie du Faszien sanft lösen kannst.",
        cover_image=image_file(),
        cover_alt="Faszienrolle auf einer Matte",
        tags=[TagFactory(name="Faszienrolle")],
    )

    page = head(client, article.get_absolute_url())

    assert page.title == "Faszien lösen – feelmove"
    assert page.meta["description"] == "Wie du Faszien sanft lösen kannst."
    assert page.canonical == f"{SITE_URL}{article.get_absolute_url()}"
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Faszien lösen"
    assert page.meta["og:image"].startswith(f"{SITE_URL}/media/renditions/")
    assert page.meta["og:image"].endswith("-1200.jpg")
    assert page.meta["og:image:alt"] == "Faszienrolle auf einer Matte"
    assert page.meta["article:tag"] == "Faszienrolle"


def test_the_article_page_has_blog_posting_structured_data(client):
    article = ArticleFactory(
        title="Faszien lösen",
        category=CategoryFactory(name="Faszien"),
        tags=[TagFactory(name="Rolle"), TagFactory(name="Dehnen")],
        cover_image=image_file(),
        cover_alt="Rolle",
    )

    (raw,) = head(client, article.get_absolute_url()).json_ld
    data = json.loads(raw)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Faszien lösen"
    assert data["author"] == {
        "@type": "Person",
        "name": "Jana Berger",
        "url": f"{SITE_URL}/ueber-mich/",
    }
    assert data["mainEntityOfPage"]["@id"] == f"{SITE_URL}{article.get_absolute_url()}"
    assert data["datePublished"].startswith(str(article.published_at.year))
    assert data["image"]["url"].startswith(f"{SITE_URL}/media/renditions/")
    assert data["articleSection"] == "Faszien"
    assert data["keywords"] == "Dehnen, Rolle"


def test_a_title_that_tries_to_close_the_script_cannot_escape_the_json_ld(client):
    article = ArticleFactory(title='Trick </script><script>alert("x")</script> & mehr')

    html = client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL
    )

    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    assert json.loads(blocks[0])["headline"] == article.title


def test_no_blog_page_has_inline_styles_or_scripts_without_a_nonce(client):
    for url in pages().values():
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<style" not in html, url
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "nonce=" in tag or 'type="application/ld+json"' in tag, (url, tag)
