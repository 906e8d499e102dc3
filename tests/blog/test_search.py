"""Search: finds published articles on SQLite and PostgreSQL, and never fails on odd input."""

import pytest
from django.db import connection

from blog.search import parse_query, search_articles
from tests.blog.factories import ArticleFactory

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


def test_a_query_with_only_punctuation_says_it_has_no_words(client):
    html = client.get("/suche/", {"q": "?!?!"}).content.decode()

    assert "enthält keine Wörter" in html
    assert 'value="?!?!"' in html


def test_search_results_are_paginated_and_keep_the_query(client):
    for number in range(12):
        ArticleFactory(title=f"Dehnen Teil {number}")

    html = client.get("/suche/", {"q": "Dehnen"}).content.decode()

    assert 'href="/suche/?q=Dehnen&amp;page=2"' in html


def test_the_search_page_is_not_indexed_by_search_engines(client):
    html = client.get("/suche/", {"q": "Rücken"}).content.decode()

    assert '<meta name="robots" content="noindex, follow">' in html
