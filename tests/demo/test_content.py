"""Reading the data files: the one schema check every file goes through, and the site's files."""

import pytest

from demo.content import DemoContentError, check, check_template, read_toml, unwrap
from demo.loaders import read_content
from demo.loaders import site as demo_site
from tests.demo.support import edit

SCHEMA = {"title": "text", "intro?": "prose", "steps": ["prose"], "per_page": "int"}


def test_wrapped_lines_become_one_line_and_a_blank_line_separates_paragraphs():
    text = "\nErste Zeile\n  geht weiter.\n\nZweiter   Absatz.\n"
    assert unwrap(text) == "Erste Zeile geht weiter.\n\nZweiter Absatz."


def test_check_returns_the_data_with_cleaned_strings(tmp_path):
    data = {"title": "  Titel ", "intro": "a\nb", "steps": ["eins\nzwei"], "per_page": 4}
    assert check(tmp_path / "x.toml", data, SCHEMA) == {
        "title": "Titel",
        "intro": "a b",
        "steps": ["eins zwei"],
        "per_page": 4,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"steps": ["a"], "per_page": 1}, "x.toml: lacks title"),
        ({"title": "T", "steps": ["a"], "per_page": 1, "extra": 1}, "unknown field(s) extra"),
        ({"title": "", "steps": ["a"], "per_page": 1}, "x.toml: title must be a non-empty string"),
        ({"title": "T", "steps": [], "per_page": 1}, "steps must be a non-empty list"),
        ({"title": "T", "steps": ["a", 2], "per_page": 1}, "steps[2] must be a non-empty"),
        ({"title": "T", "steps": ["a"], "per_page": True}, "per_page must be a whole number"),
    ],
)
def test_check_names_the_file_and_the_field_that_is_wrong(tmp_path, data, message):
    with pytest.raises(DemoContentError) as error:
        check(tmp_path / "x.toml", data, SCHEMA)
    assert message in str(error.value)


def test_a_template_may_only_use_its_placeholders(tmp_path):
    check_template(tmp_path / "x.toml", "Seite {number} von {total}", "f", "number", "total")
    with pytest.raises(DemoContentError, match=r"x\.toml: f .*\{number\}"):
        check_template(tmp_path / "x.toml", "Seite {nummer}", "f", "number", "total")


def test_a_file_that_is_not_toml_is_reported_with_its_name(tmp_path):
    path = tmp_path / "kaputt.toml"
    path.write_text('title = "ohne Ende\n')
    with pytest.raises(DemoContentError, match=r"^kaputt\.toml: not valid TOML"):
        read_toml(path)


def test_the_four_pages_and_the_author_come_from_the_site_files():
    content = demo_site.read()
    assert [page["title"] for page in content.pages] == [
        "Über mich",
        "Ressourcen",
        "Impressum",
        "Datenschutz",
    ]
    assert content.pages[2]["content"].startswith("<h2>Angaben gemäß § 5 DDG</h2>")
    assert (content.author["first_name"], content.author["last_name"]) == ("Jana", "Berger")


def test_a_page_without_a_proper_url_is_reported_with_its_name(content_copy):
    path = content_copy / "pages" / "03-impressum.toml"
    edit(path, 'url = "/impressum/"', 'url = "impressum"')
    with pytest.raises(DemoContentError, match=r"^03-impressum\.toml: url 'impressum'"):
        demo_site.read(content_copy)


@pytest.mark.django_db
def test_all_of_the_demo_content_reads_without_a_problem():
    content = read_content()
    assert len(content.blog.articles) == 14
    assert set(content.comments.threads) <= content.blog.article_slugs
    assert len(content.newsletter.subscribers) == 6
    assert [issue["status"] for issue in content.newsletter.issues] == ["sent", "draft"]
