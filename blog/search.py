"""Search over published articles that forgives: umlaut spellings and typos.

"Ruecken" and "Rücken" (ae/oe/ue/ss and ä/ö/ü/ß) find the same articles: the text and the words
are folded to one spelling before they are compared. A word that no published article contains
is matched together with its closest known word ("Faszeinrolle" also finds "Faszienrolle"), and
the page offers the corrected search ("Meintest du …?").

PostgreSQL: German full text (stemming, ranking) and pg_trgm's similarity() over the words of the
published articles. Elsewhere (SQLite): a plain match and difflib over a bounded word list. Each
way runs the same number of queries whatever the results, so the page's query count stays fixed.
"""

import difflib
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Lower, Replace
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from blog.models import Article

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)

# ä/ö/ü/ß and their spelled-out forms compare equal: both become ae, oe, ue, ss.
_FOLDING = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
# Upper case too: SQLite's lower() changes ASCII letters only.
_SQL_FOLDING = (*_FOLDING, ("Ä", "ae"), ("Ö", "oe"), ("Ü", "ue"))

# A word needs this much in common with a known one to be taken for a typo of it.
MIN_SIMILARITY = 0.45
# Words shorter than this are not corrected: "Po" is not a typo of "Pos".
MIN_CORRECTED_LENGTH = 4
# The SQLite word list reads at most this many of the newest articles and keeps this many words.
WORD_LIST_ARTICLES = 300
WORD_LIST_SIZE = 10_000


def fold(word: str) -> str:
    """The spelling words are compared in: lower case, umlauts and ß written out."""
    word = word.lower()
    for letter, spelled in _FOLDING:
        word = word.replace(letter, spelled)
    return word


def _document():
    """Title, teaser and text of an article as one text."""
    return Concat("title", Value(" "), "teaser", Value(" "), "body", output_field=TextField())


def _folded(expression):
    """fold() in SQL, the same on PostgreSQL and SQLite."""
    expression = Lower(expression, output_field=TextField())
    for letter, spelled in _SQL_FOLDING:
        expression = Replace(expression, Value(letter), Value(spelled), output_field=TextField())
    return expression


@dataclass(frozen=True)
class SearchTerms:
    """A reader's query, cleaned: what is searched for, and a note when it had to be changed."""

    text: str
    words: tuple[str, ...]
    notice: str = ""
    # {word: the known word it was probably meant to be}, filled by with_corrections().
    corrections: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def suggestion(self) -> str:
        """The query with its typos corrected ("Meintest du …?"), or "" when none was found."""
        if not self.corrections:
            return ""
        return " ".join(self.corrections.get(word, word) for word in self.words)


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


def _same_case(word: str, typed: str) -> str:
    """`word` written in the case the reader used: "Faszienrolle" for "Faszeinrolle"."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def with_corrections(terms: SearchTerms, queryset: QuerySet | None = None) -> SearchTerms:
    """`terms` with a correction for each word no published article contains (one query)."""
    if not terms:
        return terms
    queryset = Article.objects.published() if queryset is None else queryset
    candidates = [w for w in terms.words if len(w) >= MIN_CORRECTED_LENGTH and not w.isdigit()]
    if connection.vendor == "postgresql":
        found = _corrections_postgresql(candidates, queryset)
    else:
        found = _corrections_simple(candidates, queryset)
    corrections = {
        word: _same_case(known, word)
        for word, known in found.items()
        if known and fold(known) != fold(word)
    }
    return SearchTerms(
        text=terms.text, words=terms.words, notice=terms.notice, corrections=corrections
    )


def _corrections_postgresql(words: list[str], queryset: QuerySet) -> dict[str, str]:
    """{word: closest known word, or "" when the word is known or nothing is close}."""
    # The published articles' own query (their visibility rule is written once, in the
    # QuerySet), as a subquery whose words pg_trgm compares with the reader's.
    articles = queryset.order_by().annotate(document=_document())
    inner_sql, inner_params = articles.values("document").query.sql_with_params()
    folded_word = "lower(w.word)"
    for letter, spelled in _SQL_FOLDING:
        folded_word = f"replace({folded_word}, '{letter}', '{spelled}')"
    sql = f"""
        WITH words AS (
            SELECT DISTINCT folded, word, ts_lexize('german_stem', folded) AS stem
            FROM (
                SELECT {folded_word} AS folded, w.word AS word
                FROM (
                    SELECT unnest(tsvector_to_array(to_tsvector('simple', a.document))) AS word
                    FROM ({inner_sql}) AS a
                ) AS w
                WHERE length(w.word) BETWEEN 3 AND 40 AND w.word !~ '[0-9_./@:-]'
            ) AS f
        )
        SELECT q.term, best.word, best.known
        FROM (
            SELECT term, ts_lexize('german_stem', term) AS stem FROM unnest(%s::text[]) AS term
        ) AS q
        LEFT JOIN LATERAL (
            SELECT words.word, (words.folded = q.term OR words.stem = q.stem) AS known
            FROM words
            WHERE words.folded = q.term OR words.stem = q.stem
               OR similarity(words.folded, q.term) >= %s
            ORDER BY known DESC, similarity(words.folded, q.term) DESC, words.word
            LIMIT 1
        ) AS best ON true
    """  # noqa: S608  (only our own expressions; the reader's words are parameters)
    folded_words = {fold(word): word for word in words}
    try:
        # In a savepoint: should pg_trgm be missing, the search still answers, uncorrected.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*inner_params, list(folded_words), MIN_SIMILARITY])
            rows = cursor.fetchall()
    except DatabaseError:
        logger.exception("Search: no corrections (is the extension pg_trgm installed?)")
        return {}
    return {
        folded_words[term]: ("" if known or word is None else word) for term, word, known in rows
    }


def _corrections_simple(words: list[str], queryset: QuerySet) -> dict[str, str]:
    """difflib over the words of the newest published articles (bounded), one query."""
    texts = queryset.order_by("-published_at", "-id").values_list("title", "teaser", "body")[
        :WORD_LIST_ARTICLES
    ]
    counts = Counter()
    for title, teaser, body in texts:
        counts.update(
            word.lower()
            for word in _LETTERS.findall(f"{title} {teaser} {html.unescape(strip_tags(body))}")
        )
    if not words:
        return {}
    known = {fold(word): word for word, _count in counts.most_common(WORD_LIST_SIZE)}
    found = {}
    for word in words:
        folded = fold(word)
        if folded in known:
            found[word] = ""
            continue
        close = difflib.get_close_matches(folded, known, n=1, cutoff=0.8)
        found[word] = known[close[0]] if close else ""
    return found


def search_articles(terms: SearchTerms, queryset: QuerySet | None = None) -> QuerySet:
    """Published articles matching all words (or their corrections), best match first."""
    queryset = Article.objects.published() if queryset is None else queryset
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(terms, queryset)
    return _search_simple(terms, queryset)


def _alternatives(terms: SearchTerms, word: str) -> list[str]:
    """A word and its correction, folded: an article matching either matches the word."""
    return list(dict.fromkeys(fold(w) for w in (word, terms.corrections.get(word, word))))


def _search_postgresql(terms: SearchTerms, queryset: QuerySet) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector(_folded(F("title")), weight="A", config="german")
        + SearchVector(_folded(F("teaser")), weight="B", config="german")
        + SearchVector(_folded(F("body")), weight="C", config="german")
    )
    # Each word as plain text (no operators a reader could trip over), OR its correction.
    query = None
    for word in terms.words:
        either = None
        for alternative in _alternatives(terms, word):
            part = SearchQuery(alternative, config="german", search_type="plain")
            either = part if either is None else either | part
        query = either if query is None else query & either
    return (
        queryset.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)
        .order_by(F("rank").desc(), "-published_at", "-id")
    )


def _search_simple(terms: SearchTerms, queryset: QuerySet) -> QuerySet:
    queryset = queryset.annotate(haystack=_folded(_document()))
    for word in terms.words:
        match = Q()
        for alternative in _alternatives(terms, word):
            match |= Q(haystack__contains=alternative)
        queryset = queryset.filter(match)
    return queryset.order_by("-published_at", "-id")
