"""Collectors: fetch a framework's figures and facts from public APIs.

This package is the fetching and parsing layer only; it knows no model and
writes nothing. Whoever runs collectors (a management command, a review
queue) calls a source and stores what it returns.

- ``http``: ``fetch_json``, the one HTTP client every source uses. Expected
  failures come back as values (``Response.outcome``, an ``Outcome``), never
  as exceptions; ``SourceBudget`` remembers, per source, "rate-limited until".
- ``sources``: GitHub, PyPI, pypistats.org and Stack Exchange. Each has a
  ``collect(identifier, *, etag=None, budget, last_checked=None)`` that
  returns a ``Collected``: an outcome, metric values as ``Decimal`` by metric
  slug, facts by name, and the page a reader can check the figures on.
- ``identifiers``: validators for the identifiers editors type (a GitHub
  repository, a PyPI package, a Stack Overflow tag), for model forms.

Settings (all optional; read at call time with defaults) are listed in the
``http`` module's docstring.
"""
