"""Full-text matching on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm), behind one function each.

``matches(query, entries)`` narrows a SearchEntry queryset to those matching
every word of the query (as a prefix) and orders them: the exact title first,
then titles holding every word, then relevance (bm25 with the title weighted
ten times the body on SQLite; ts_rank with weights A/B on PostgreSQL).
``similar(query, entries)`` is the typo fallback when nothing matches:
trigram word similarity on PostgreSQL; on SQLite it finds nothing (the page
offers "Did you mean" from ``suggestion`` instead).
"""

import difflib

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from frameworks.models import Framework

from .db_index import FTS, TABLE
from .query import Query, fts5_match, tsquery

TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _title_order(query: Query):
    exact = Case(When(title__iexact=query.text, then=Value(0)), default=Value(1), output_field=IntegerField())
    every_word = Q()
    for word in query.words:
        every_word &= Q(title__icontains=word)
    in_title = Case(When(every_word, then=Value(0)), default=Value(1), output_field=IntegerField())
    return exact, in_title


def matches(query: Query, entries):
    """`entries` that contain every word of `query`, best first (see the module docstring)."""
    exact, in_title = _title_order(query)
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        ts = SearchQuery(tsquery(query.words), search_type="raw", config="simple")
        entries = entries.filter(search_vector=ts).annotate(relevance=-SearchRank(F("search_vector"), ts))
    else:
        entries = entries.extra(
            tables=[FTS],
            where=[f"{FTS}.rowid = {TABLE}.id", f"{FTS} MATCH %s"],
            params=[fts5_match(query.words)],
            select={"relevance": f"bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT})"},
        )
    return entries.annotate(exact=exact, in_title=in_title).order_by("exact", "in_title", "relevance", "title", "id")


def similar(query: Query, entries):
    """PostgreSQL: entries whose title holds a word like the query's ("Djangoo" → Django); else none."""
    if not _is_postgres():
        return entries.none()
    from django.contrib.postgres.search import TrigramWordSimilarity

    return (
        entries.filter(title__trigram_word_similar=query.text)
        .annotate(similarity=TrigramWordSimilarity(query.text, "title"))
        .order_by("-similarity", "title", "id")
    )


def suggestion(query: Query) -> Framework | None:
    """A published framework whose name is close to the query, for "Did you mean …?"; one query.

    PostgreSQL ranks names by trigram similarity. SQLite compares the names
    that start with the query's first letter with difflib (only when a search
    found nothing, so the cost is paid on misses alone).
    """
    published = Framework.objects.published().only("name", "slug")
    if _is_postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        return (
            published.filter(name__trigram_word_similar=query.text)
            .annotate(similarity=TrigramWordSimilarity(query.text, "name"))
            .order_by("-similarity", "name")
            .first()
        )
    text = query.text.lower()
    candidates = {fw.name.lower(): fw for fw in published.filter(name__istartswith=text[:1])[:5000]}
    close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.7)
    return candidates[close[0]] if close else None
