"""Whatever a visitor types into an address bar or a form, the answer is never a 500."""

import pytest

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE blog_article; --",
    "%",
    "_",
    "\\",
    "ü" * 3000,
    "-1",
    "0",
    "99999999999999999999",
    "1e9",
    " ",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


@pytest.fixture
def site_content():
    category = CategoryFactory(slug="ruecken")
    tag = TagFactory(slug="nacken")
    article = ArticleFactory(slug="mein-artikel", category=category, tags=[tag])
    return article


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/", "page"),
        ("/suche/", "q"),
        ("/suche/", "page"),
        ("/blog/kategorie/ruecken/", "page"),
        ("/blog/tag/nacken/", "page"),
        ("/blog/mein-artikel/", "antwort"),
        ("/blog/mein-artikel/", "kommentare"),
        ("/newsletter/", "email"),
    ],
)
def test_odd_query_strings_never_cause_a_server_error(client, site_content, path, parameter, value):
    response = client.get(path, {parameter: value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "ü" * 6000, "<b>fett</b>"])
def test_odd_comment_fields_get_an_answer_not_a_server_error(client, site_content, value):
    for field in ("name", "email", "url", "body", "parent"):
        data = {"name": "Eva", "email": "eva@example.org", "url": "", "body": "Danke!"}
        data[field] = value
        response = client.post("/blog/mein-artikel/kommentieren/", data)
        assert response.status_code < 500, field


@pytest.mark.parametrize("value", ["\x00", "a\x00b@example.org", "ü" * 6000, "a@b"])
@pytest.mark.parametrize("path", ["/newsletter/", "/gratis-guide/"])
def test_odd_signup_fields_get_an_answer_not_a_server_error(client, path, value):
    for field in ("email", "first_name", "consent"):
        data = {"email": "eva@example.org", "first_name": "Eva", "consent": "on", field: value}
        response = client.post(path, data)
        assert response.status_code < 500, field


@pytest.mark.parametrize(
    "path",
    [
        "/blog/archiv/0/",
        "/blog/archiv/99999999999999999999/",
        "/blog/%00/",
        "/newsletter/bestaetigen/%00/",
        "/newsletter/abmelden/x" + "y" * 3000 + "/",
        "/gratis-guide/download/kaputt/",
        "/kommentare/moderieren/kaputt/",
    ],
)
def test_odd_paths_never_cause_a_server_error(client, site_content, path):
    assert client.get(path).status_code < 500
