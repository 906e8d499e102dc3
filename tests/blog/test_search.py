"""Search: finds published articles on SQLite and PostgreSQL, and never fails on odd input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.search import parse_query, search_articles, with_corrections
from tests.blog.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the simple search")


def search(text):
    return list(search_articles(parse_query(text)))


def test_search_finds_words_in_title_teaser_and_body():
    in_title = ArticleFactory(title="Hüftbeuger dehnen", body="<p>Text</p>")
    in_teaser = ArticleFactory(teaser="Warum der Hüftbeuger verkürzt", body="<p>Text</p>")
    in_body = ArticleFactory(body="<p>Der Hüftbeuger arbeitet beim Gehen.</p>")
    ArticleFactory(title="Schultern", teaser="Nacken", body="<p>Etwas anderes</p>")

    assert set(search("Hüftbeuger")) == {in_title, in_teaser, in_body}


def test_search_needs_all_words_to_match():
    both = ArticleFactory(title="Faszienrolle für den Rücken", body="<p>Rolle langsam.</p>")
    ArticleFactory(title="Faszienrolle für die Beine", body="<p>Waden</p>")

    assert search("Faszienrolle Rücken") == [both]


def test_search_ignores_case_also_for_umlauts():
    article = ArticleFactory(title="Übungen für den Rücken", body="<p>Text</p>")

    assert search("übungen") == [article]
    assert search("RÜCKEN") == [article]


def test_search_never_finds_drafts_or_scheduled_articles():
    ArticleFactory(title="Geheimer Entwurf Zwerchfell", draft=True)
    ArticleFactory(title="Geplantes Zwerchfell", scheduled=True)

    assert search("Zwerchfell") == []


@postgresql_only
def test_postgresql_search_understands_german_word_forms():
    article = ArticleFactory(title="Dehnungen für Läufer", body="<p>Text</p>")

    assert search("Dehnung") == [article]


@postgresql_only
def test_postgresql_ranks_a_match_in_the_title_above_one_in_the_body():
    in_body = ArticleFactory(title="Allgemeines", body="<p>Etwas über das Zwerchfell.</p>")
    in_title = ArticleFactory(title="Das Zwerchfell", body="<p>Atmen</p>")

    assert search("Zwerchfell") == [in_title, in_body]


@sqlite_only
def test_sqlite_search_lists_the_newest_match_first():
    older = ArticleFactory(title="Zwerchfell eins")
    newer = ArticleFactory(title="Zwerchfell zwei")
    older.published_at = newer.published_at.replace(year=newer.published_at.year - 1)
    older.save()

    assert search("Zwerchfell") == [newer, older]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", ()),
        ("   ", ()),
        ("?!?! ... ---", ()),
        ("<script>alert(1)</script>", ("script", "alert", "1")),
        ("Rücken, Nacken!", ("Rücken", "Nacken")),
        ("Rücken rücken Rücken", ("Rücken", "rücken")),
    ],
)
def test_a_query_is_reduced_to_its_words(raw, words):
    assert parse_query(raw).words == words


def test_a_very_long_query_is_shortened_with_a_notice():
    terms = parse_query("Rücken " * 400)

    assert len(terms.text) <= 200
    assert "200" in str(terms.notice)


def test_the_search_page_lists_results_with_their_count(client):
    ArticleFactory(title="Faszien verstehen")
    ArticleFactory(title="Faszien lösen")

    response = client.get("/suche/", {"q": "Faszien"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "2 Artikel gefunden für „Faszien“" in html
    assert "Faszien verstehen" in html and "Faszien lösen" in html
    assert 'value="Faszien"' in html


def test_the_search_page_says_when_nothing_was_found(client):
    ArticleFactory(title="Faszien verstehen")

    html = client.get("/suche/", {"q": "Quantenphysik"}).content.decode()

    assert "Nichts gefunden" in html


def test_an_empty_search_gives_a_friendly_hint(client):
    response = client.get("/suche/")

    assert response.status_code == 200
    assert "Gib ein oder mehrere Wörter ein" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert('x')</script>",
        "x" * 2000,
        "Rücken " * 300,
        "!!!???...,,,;;;",
        "%",
        "_",
        "' OR 1=1 --",
        "a & b | !c <-> d",
        "\x00",
        "der die das",
        "Rücken\x00Nacken",
    ],
)
def test_odd_queries_give_a_friendly_page_never_an_error(client, query):
    ArticleFactory(title="Rücken stärken")

    response = client.get("/suche/", {"q": query})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "Suche" in html


def test_a_query_with_only_punctuation_says_it_has_no_words_and_offers_the_categories(client):
    ArticleFactory(category=CategoryFactory(name="Faszien", slug="faszien"))

    html = client.get("/suche/", {"q": "?!?!"}).content.decode()

    assert "enthält keine Wörter" in html
    assert 'value="?!?!"' in html
    assert 'href="/blog/kategorie/faszien/"' in html


def test_search_results_are_paginated_and_keep_the_query(client):
    for number in range(12):
        ArticleFactory(title=f"Dehnen Teil {number}")

    html = client.get("/suche/", {"q": "Dehnen"}).content.decode()

    assert 'href="/suche/?q=Dehnen&amp;page=2"' in html


def test_the_search_page_is_not_indexed_by_search_engines(client):
    html = client.get("/suche/", {"q": "Rücken"}).content.decode()

    assert '<meta name="robots" content="noindex, follow">' in html


# -- forgiving: umlaut spellings and typos (both databases; PostgreSQL uses pg_trgm) -------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Ruecken", "Rücken"),
        ("Rücken", "Ruecken"),
        ("ruecken", "RÜCKEN"),
        ("Hueftbeuger", "Hüftbeuger"),
        ("Schulterblaetter", "Schulterblätter"),
        ("Groesse", "Größe"),
        ("Fuss", "Fuß"),
        ("Fuß", "Fuss"),
    ],
)
def test_umlauts_and_their_spelled_out_forms_find_the_same_articles(typed, written):
    article = ArticleFactory(title=f"Alles über {written}", body="<p>Text</p>")
    ArticleFactory(title="Etwas ganz anderes", body="<p>Nacken</p>")

    assert search(typed) == [article]


def test_a_word_in_the_text_with_umlauts_is_found_by_its_spelled_out_form():
    article = ArticleFactory(title="Übungen", body="<p>Die Lendenwirbelsäule mag Bewegung.</p>")

    assert search("Lendenwirbelsaeule") == [article]


def test_a_typo_finds_the_article_and_the_correction_is_suggested():
    article = ArticleFactory(title="Die Faszienrolle richtig nutzen", body="<p>Langsam.</p>")
    ArticleFactory(title="Nacken entspannen", body="<p>Schultern</p>")

    terms = with_corrections(parse_query("Faszeinrolle"))

    assert terms.suggestion == "Faszienrolle"
    assert list(search_articles(terms)) == [article]


def test_a_known_word_is_not_corrected():
    ArticleFactory(title="Die Faszienrolle richtig nutzen", body="<p>Langsam.</p>")

    assert with_corrections(parse_query("Faszienrolle")).suggestion == ""
    assert with_corrections(parse_query("faszienrolle langsam")).corrections == {}


def test_an_umlaut_spelling_is_not_taken_for_a_typo():
    ArticleFactory(title="Rücken stärken", body="<p>Text</p>")

    assert with_corrections(parse_query("Ruecken staerken")).suggestion == ""


def test_a_word_like_nothing_in_the_articles_gets_no_suggestion():
    ArticleFactory(title="Die Faszienrolle richtig nutzen", body="<p>Langsam.</p>")

    terms = with_corrections(parse_query("Quantenphysik"))

    assert terms.suggestion == ""
    assert list(search_articles(terms)) == []


def test_only_words_of_published_articles_are_suggested():
    ArticleFactory(title="Geheimes Zwerchfelltraining", draft=True)

    assert with_corrections(parse_query("Zwerchfeltraining")).suggestion == ""


def test_the_suggestion_keeps_the_other_words():
    ArticleFactory(title="Die Faszienrolle für den Rücken", body="<p>Langsam.</p>")

    terms = with_corrections(parse_query("Faszeinrolle Rücken"))

    assert terms.suggestion == "Faszienrolle Rücken"


@postgresql_only
def test_postgresql_does_not_correct_a_word_its_stemming_already_finds():
    article = ArticleFactory(title="Dehnungen für Läufer", body="<p>Text</p>")

    terms = with_corrections(parse_query("Dehnung"))

    assert terms.suggestion == ""
    assert list(search_articles(terms)) == [article]


def test_the_search_page_offers_the_corrected_search(client):
    ArticleFactory(title="Die Faszienrolle richtig nutzen", body="<p>Langsam.</p>")

    html = client.get("/suche/", {"q": "Faszeinrolle"}).content.decode()

    assert "Meintest du „" in html
    assert 'href="/suche/?q=Faszienrolle">Faszienrolle</a>' in html
    assert "Die Faszienrolle richtig nutzen" in html


def test_nothing_found_is_one_clear_message_with_the_categories(client):
    category = CategoryFactory(name="Faszien", slug="faszien")
    ArticleFactory(title="Faszien verstehen", category=category)

    html = client.get("/suche/", {"q": "Quantenphysik"}).content.decode()

    assert html.count("Nichts gefunden") == 1
    assert "„Quantenphysik“" in html
    assert 'href="/blog/kategorie/faszien/"' in html
    assert "Meintest du" not in html
    assert "Artikel gefunden" not in html


def test_the_search_page_runs_as_many_queries_with_a_suggestion_or_none_found_as_with_results(
    client, django_assert_num_queries
):
    # Guards a correction looked up per word or only when nothing was found.
    ArticleFactory(title="Die Faszienrolle richtig nutzen", body="<p>Langsam.</p>")
    client.get("/suche/", {"q": "Faszienrolle"})
    with CaptureQueriesContext(connection) as found:
        client.get("/suche/", {"q": "Faszienrolle langsam"})

    for query in ["Faszeinrolle langsam", "Quantenphysik Astrologie"]:
        with django_assert_num_queries(len(found)):
            client.get("/suche/", {"q": query})
