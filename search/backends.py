"""Full-text matching on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm), behind one function each.

``matches(query, entries)`` narrows a SearchEntry queryset to those matching
every word of the query (as a prefix) and orders them: the exact title first,
then titles holding every word, then relevance (bm25 with the title weighted
ten times the body on SQLite; ts_rank with weights A/B on PostgreSQL).
``similar(query, entries)`` is the typo fallback when nothing matches:
trigram word similarity on PostgreSQL; on SQLite it finds nothing (the page
offers "Did you mean" from ``suggestion`` instead).
"Did you mean" goes through the full-text or trigram index too, never a scan of framework names.
"""

import difflib

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from .db_index import FTS, TABLE
from .query import Query, fts5_match, tsquery

TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
SUGGESTION_POOL = 200
CANDIDATES = 1000  # broad queries: how many matches are ranked (see matches)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _title_order(query: Query):
    exact = Case(When(title__iexact=query.text, then=Value(0)), default=Value(1), output_field=IntegerField())
    every_word = Q()
    for word in query.words:
        every_word &= Q(title__icontains=word)
    in_title = Case(When(every_word, then=Value(0)), default=Value(1), output_field=IntegerField())
    return exact, in_title


def matches(query: Query, entries, *, broad: bool = False):
    """`entries` that contain every word of `query`, best first (see the module docstring).

    ``broad=True`` is for queries known to match more than anyone reads
    (the page's count reached its cap): ranking every match would cost the
    page its time budget, so only candidates are ranked: the first
    CANDIDATES entries whose title matches, the first CANDIDATES that match
    anywhere (both in index order, which the index gives without ranking),
    and any entry titled exactly as the query.
    """
    exact, in_title = _title_order(query)
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        ts = SearchQuery(tsquery(query.words), search_type="raw", config="simple")
        if broad:
            in_titles = SearchQuery(tsquery(query.words, weight="A"), search_type="raw", config="simple")
            every = entries.model.objects.order_by()
            anywhere = every.filter(search_vector=ts).values("pk")[:CANDIDATES]
            titled = every.filter(search_vector=in_titles).values("pk")[:CANDIDATES]
            named = every.filter(title__iexact=query.text).values("pk")  # index search_entry_title_upper
            # Every candidate matches already: no second pass of the full-text index over all matches.
            entries = entries.filter(pk__in=anywhere.union(titled, named))
        else:
            entries = entries.filter(search_vector=ts)
        entries = entries.annotate(relevance=-SearchRank(F("search_vector"), ts))
    else:
        match = fts5_match(query.words)
        if broad:
            first = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT {CANDIDATES}"
            entries = entries.filter(
                Q(pk__in=RawSQL(first, [match]))
                | Q(pk__in=RawSQL(first, ["{title} : (" + match + ")"]))
                | Q(title__iexact=query.text)
            )
        entries = entries.extra(
            tables=[FTS],
            where=[f"{FTS}.rowid = {TABLE}.id", f"{FTS} MATCH %s"],
            params=[match],
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


def suggestion(query: Query, frameworks):
    """The entry of a published framework whose name is close to the query, for "Did you mean …?"; one query.

    `frameworks` is ``SearchEntry.objects.visible_frameworks()``. PostgreSQL
    takes the most similar title through the trigram index. SQLite takes up to
    200 frameworks whose words start with the first three letters of the
    query's words (through FTS5) and lets difflib pick the closest name, so
    the work stays bounded at any catalogue size (a typo in the first three
    letters is not caught there).
    """
    if _is_postgres():
        return similar(query, frameworks).only("title", "slug").first()
    stems = Query(text=query.text, words=list(dict.fromkeys(w[:3] for w in query.words)))
    candidates = {e.title.lower(): e for e in matches(stems, frameworks).only("title", "slug")[:SUGGESTION_POOL]}
    close = difflib.get_close_matches(query.text.lower(), candidates, n=1, cutoff=0.7)
    return candidates[close[0]] if close else None


def matching_framework_ids(query: Query):
    """The ids of frameworks whose entry holds every word of ``query`` (as prefixes), as a subquery.

    For filters (the API's ``?q=``): no ranking, only the full-text index,
    so it costs the same whatever the size of the catalogue.
    """
    from .models import Kind, SearchEntry

    entries = SearchEntry.objects.filter(kind=Kind.FRAMEWORK).order_by()
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery

        entries = entries.filter(search_vector=SearchQuery(tsquery(query.words), search_type="raw", config="simple"))
    else:
        entries = entries.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [fts5_match(query.words)])
        )
    return entries.values("framework_id")
