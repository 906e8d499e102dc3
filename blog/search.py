"""Search over published articles: PostgreSQL full text (German) or a simple match elsewhere."""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from blog.models import Article

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchTerms:
    """A reader's query, cleaned: what is searched for, and a note when it had to be changed."""

    text: str
    words: tuple[str, ...]
    notice: str = ""

    def __bool__(self) -> bool:
        return bool(self.words)


def parse_query(raw: str | None) -> SearchTerms:
    """Turn whatever was typed into search terms; never fails, at worst finds no words."""
    text = " ".join((raw or "").split())
    notice = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notice = _("Your search was long; only its first %(count)s characters were used.") % {
            "count": MAX_QUERY_LENGTH
        }
    words = tuple(dict.fromkeys(word for word in _WORD.findall(text) if word.strip("_")))
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        notice = _("Only the first %(count)s words were used.") % {"count": MAX_WORDS}
    return SearchTerms(text=text, words=words, notice=notice)


def search_articles(terms: SearchTerms, queryset: QuerySet | None = None) -> QuerySet:
    """Published articles matching all words, best match first."""
    queryset = Article.objects.published() if queryset is None else queryset
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(terms, queryset)
    return _search_simple(terms, queryset)


def _search_postgresql(terms: SearchTerms, queryset: QuerySet) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="german")
        + SearchVector("teaser", weight="B", config="german")
        + SearchVector("body", weight="C", config="german")
    )
    # Only the words, joined as plain text: no operators a reader could trip over.
    query = SearchQuery(" ".join(terms.words), config="german", search_type="plain")
    return (
        queryset.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)
        .order_by(F("rank").desc(), "-published_at", "-id")
    )


def _variants(word: str) -> set[str]:
    # SQLite's LIKE folds case for ASCII letters only; "rücken" must still find "Rücken".
    return {word, word.lower(), word.capitalize(), word.upper()}


def _search_simple(terms: SearchTerms, queryset: QuerySet) -> QuerySet:
    for word in terms.words:
        match = Q()
        for variant in _variants(word):
            match |= (
                Q(title__icontains=variant)
                | Q(teaser__icontains=variant)
                | Q(body__icontains=variant)
            )
        queryset = queryset.filter(match)
    return queryset.order_by("-published_at", "-id")
