"""The four public sources collectors read: GitHub, PyPI, pypistats.org, Stack Exchange.

Every source is called the same way::

    budget = SourceBudget(saved_limits)          # one per run, shared by all sources
    result = SOURCES["github"].collect("pallets/flask", etag=last_etag, budget=budget)

and returns a ``Collected``. ``result.outcome`` decides what to do:

- ``OK``: ``values`` (``{metric slug: Decimal}``) and ``facts`` (``{name:
  value}``, only what the API stated) are fresh; store them with
  ``source_name`` (the reader label) and ``source_url`` (the page a reader can
  check, never the API), and keep ``etag`` for next time. ``moved_to`` set
  means the identifier changed (a renamed GitHub repository): the values are
  the new location's; an editor should update the identifier. ``archived``
  is GitHub's archived flag (None when unknown).
- ``NOT_MODIFIED``: nothing changed since ``etag``; keep the previous values.
- ``NOT_FOUND``: the identifier is wrong or gone: show ``error`` to editors,
  do not retry it every run.
- ``RATE_LIMITED``: the source is exhausted until ``retry_at``; the budget
  already knows, and further ``collect`` calls for that source return this
  without calling it. Other sources go on.
- ``TRANSIENT``: failed this run after retries; try next run (not before
  ``retry_at`` if set).
- ``INVALID`` / ``REJECTED``: the answer or the request is unusable
  (``error`` says why); needs a person.
- ``SKIPPED``: not called on purpose (pypistats: checked less than a day ago,
  ``retry_at`` is when it may be called again).

The API base URLs and credentials are settings; see ``frameworks.collectors.http``.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from . import identifiers
from .http import Outcome, Response, SourceBudget, fetch_json, now, setting

GITHUB_STARS = "github-stars"
GITHUB_FORKS = "github-forks"
GITHUB_WATCHERS = "github-watchers"
GITHUB_OPEN_ISSUES = "github-open-issues"
PYPI_DOWNLOADS_LAST_MONTH = "pypi-downloads-last-month"
STACKOVERFLOW_QUESTIONS = "stack-overflow-questions"  # the seed catalogue's slug

PYPI_FACTS = (
    "name",
    "latest_version",
    "latest_release_date",
    "license",
    "home_url",
    "repository_url",
    "documentation_url",
    "summary",
    "first_release_year",
)

PYPISTATS_INTERVAL = timedelta(hours=24)
URL_MAX_LENGTH = 200  # Framework's URLFields
LICENSE_MAX_LENGTH = 100  # Framework.license


@dataclass(frozen=True)
class Collected:
    """What one ``collect`` call found. See the module docstring for each outcome."""

    outcome: Outcome
    identifier: str
    source_name: str
    source_url: str
    values: dict[str, Decimal] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    etag: str | None = None
    moved_to: str | None = None
    archived: bool | None = None
    error: str = ""
    retry_at: datetime | None = None
    status: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


class _Unusable(Exception):
    """The answer parsed as JSON but lacks what the source needs."""


class Source:
    """One public API. Subclasses set the class attributes and ``_request``/``_parse``."""

    name: ClassVar[str]
    label: ClassVar[str]
    metrics: ClassVar[tuple[str, ...]] = ()
    fact_names: ClassVar[tuple[str, ...]] = ()
    identifier_field: ClassVar[str]
    identifier_description: ClassVar[str]

    def validate_identifier(self, identifier: str) -> None:
        raise NotImplementedError

    def reader_url(self, identifier: str) -> str:
        """The public page a reader can check this source's figures on."""
        raise NotImplementedError

    def collect(
        self,
        identifier: str,
        *,
        etag: str | None = None,
        budget: SourceBudget,
        last_checked: datetime | None = None,
    ) -> Collected:
        """Fetch and parse the figures for ``identifier``; never raises for what an API may do."""
        try:
            self.validate_identifier(identifier)
        except ValidationError as error:
            return Collected(
                Outcome.INVALID,
                identifier,
                self.label,
                "",
                error=f"Not a valid {self.identifier_description}: {' '.join(error.messages)}",
            )
        source_url = self.reader_url(identifier)
        until = budget.exhausted_until(self.name)
        if until is not None:
            return Collected(
                Outcome.RATE_LIMITED,
                identifier,
                self.label,
                source_url,
                error=f"{self.label} is not called before {_utc(until)} (rate limit).",
                retry_at=until,
            )
        skipped = self._skip(identifier, last_checked)
        if skipped is not None:
            return skipped

        url, headers, params = self._request(identifier)
        response = fetch_json(url, etag=etag, headers=headers, params=params)
        if response.retry_at is not None:
            budget.exhaust(self.name, response.retry_at)
        self._after_fetch(response, budget)
        return self._interpret(identifier, response, budget)

    # Hooks ----------------------------------------------------------------

    def _skip(self, identifier: str, last_checked: datetime | None) -> Collected | None:
        return None

    def _request(self, identifier: str) -> tuple[str, dict[str, str], dict[str, object]]:
        raise NotImplementedError

    def _after_fetch(self, response: Response, budget: SourceBudget) -> None:
        """Budget signals in the body (Stack Exchange's ``backoff`` and quota)."""

    def _parse(self, identifier: str, response: Response) -> Collected:
        raise NotImplementedError

    def _not_found_message(self, identifier: str) -> str:
        return f"{self.label} knows no {self.identifier_description} {identifier!r}."

    # Turning a Response into a Collected ----------------------------------

    def _interpret(self, identifier: str, response: Response, budget: SourceBudget) -> Collected:
        result = self._result(identifier, response)
        if response.outcome is Outcome.OK:
            try:
                return self._parse(identifier, response)
            except _Unusable as error:
                return result(Outcome.INVALID, f"{self.label}'s answer could not be used: {error}")
        if response.outcome is Outcome.NOT_MODIFIED:
            return result(Outcome.NOT_MODIFIED, "", etag=response.etag)
        if response.outcome is Outcome.NOT_FOUND:
            return result(Outcome.NOT_FOUND, f"{self._not_found_message(identifier)} ({response.error})")
        if response.outcome is Outcome.RATE_LIMITED:
            return result(
                Outcome.RATE_LIMITED,
                f"{self.label}'s rate limit is reached; not called before "
                f"{_utc(response.retry_at)}. ({response.error})",
                retry_at=response.retry_at,
            )
        if response.outcome is Outcome.TRANSIENT:
            return result(
                Outcome.TRANSIENT,
                f"{self.label} did not answer usably after {response.attempts} attempt(s); "
                f"it is tried again next run. ({response.error})",
                retry_at=response.retry_at,
            )
        if response.outcome is Outcome.REJECTED:
            return result(Outcome.REJECTED, f"{self.label} refused the request: {response.error}")
        return result(Outcome.INVALID, f"{self.label}'s answer could not be used: {response.error}")

    def _result(self, identifier: str, response: Response):
        def result(outcome: Outcome, error: str, **fields) -> Collected:
            fields.setdefault("source_url", self.reader_url(identifier))
            return Collected(
                outcome,
                identifier,
                self.label,
                error=error,
                status=response.status,
                **fields,
            )

        return result

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


# --- GitHub -------------------------------------------------------------------------


class GitHub(Source):
    name = "github"
    label = "GitHub"
    metrics = (GITHUB_STARS, GITHUB_FORKS, GITHUB_WATCHERS, GITHUB_OPEN_ISSUES)
    identifier_field = "github_repo"
    identifier_description = "GitHub repository"
    api_fields = {
        GITHUB_STARS: "stargazers_count",
        GITHUB_FORKS: "forks_count",
        GITHUB_WATCHERS: "subscribers_count",
        GITHUB_OPEN_ISSUES: "open_issues_count",  # GitHub counts open pull requests as issues too
    }

    def validate_identifier(self, identifier: str) -> None:
        identifiers.validate_github_repo(identifier)

    def reader_url(self, identifier: str) -> str:
        return f"https://github.com/{identifier}"

    def _request(self, identifier):
        owner, repo = identifier.split("/")
        base = str(setting("GITHUB_API_URL", "https://api.github.com")).rstrip("/")
        url = f"{base}/repos/{_segment(owner)}/{_segment(repo)}"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        token = setting("GITHUB_TOKEN", None)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return url, headers, {}

    def _not_found_message(self, identifier):
        return f"GitHub has no repository {identifier!r} (deleted, private or misspelt)."

    def _interpret(self, identifier, response, budget):
        result = super()._interpret(identifier, response, budget)
        if result.outcome is Outcome.REJECTED and response.status == 401:
            return _with(result, error=f"{result.error} Check the GITHUB_TOKEN setting.")
        return result

    def _parse(self, identifier, response):
        data = _mapping(response.data)
        values = {slug: Decimal(_count(data, key)) for slug, key in self.api_fields.items()}
        full_name = data.get("full_name")
        try:
            identifiers.validate_github_repo(full_name)
        except ValidationError:
            raise _Unusable("no valid full_name") from None
        archived = data.get("archived")
        if not isinstance(archived, bool):
            raise _Unusable("no archived flag")
        moved_to = full_name if full_name.lower() != identifier.lower() else None
        return Collected(
            Outcome.OK,
            identifier,
            self.label,
            self.reader_url(full_name),
            values=values,
            etag=response.etag,
            moved_to=moved_to,
            archived=archived,
            error=f"The repository moved to {full_name}." if moved_to else "",
            status=response.status,
        )


# --- PyPI ---------------------------------------------------------------------------


class PyPI(Source):
    name = "pypi"
    label = "PyPI"
    metrics = ()
    fact_names = PYPI_FACTS
    identifier_field = "pypi_package"
    identifier_description = "PyPI package"
    url_labels = {
        "home_url": ("homepage", "home", "homepageurl"),
        "repository_url": ("source", "sourcecode", "repository", "repo", "code", "github"),
        "documentation_url": ("documentation", "docs", "documentationurl"),
    }

    def validate_identifier(self, identifier):
        identifiers.validate_pypi_package(identifier)

    def reader_url(self, identifier):
        return f"https://pypi.org/project/{normalize_package(identifier)}/"

    def _not_found_message(self, identifier):
        return f"PyPI has no package {identifier!r}."

    def _request(self, identifier):
        base = str(setting("PYPI_URL", "https://pypi.org")).rstrip("/")
        return f"{base}/pypi/{normalize_package(identifier)}/json", {}, {}

    def _parse(self, identifier, response):
        data = _mapping(response.data)
        info = _mapping(data.get("info"), "info")
        facts: dict[str, Any] = {}

        version = info.get("version")
        if not isinstance(version, str) or not version.strip():
            raise _Unusable("no info.version")
        facts["latest_version"] = version.strip()
        name = info.get("name")
        if isinstance(name, str) and name.strip():
            facts["name"] = " ".join(name.split())[:100]  # as its authors spell it: "Flask", "FastAPI"

        releases = data.get("releases") if isinstance(data.get("releases"), dict) else {}
        # The latest release's date is its first file's upload; "urls" lists the same files.
        latest = _earliest_upload(_files(releases.get(version)) or _files(data.get("urls")))
        if latest is not None:
            facts["latest_release_date"] = latest.date()
        first = _earliest_upload(file for files in releases.values() for file in _files(files))
        if first is not None:
            facts["first_release_year"] = first.year

        license_ = _license(info)
        if license_:
            facts["license"] = license_
        summary = info.get("summary")
        if isinstance(summary, str) and summary.strip():
            facts["summary"] = " ".join(summary.split())

        project_urls = info.get("project_urls") if isinstance(info.get("project_urls"), dict) else {}
        by_label = {}
        for label, url in project_urls.items():
            if isinstance(label, str):
                by_label.setdefault(re.sub(r"[^a-z0-9]", "", label.lower()), url)
        for fact, labels in self.url_labels.items():
            for label in labels:
                url = _public_url(by_label.get(label))
                if url:
                    facts[fact] = url
                    break
        if "home_url" not in facts:
            home = _public_url(info.get("home_page"))
            if home:
                facts["home_url"] = home

        return Collected(
            Outcome.OK,
            identifier,
            self.label,
            self.reader_url(identifier),
            facts=facts,
            etag=response.etag,
            status=response.status,
        )


# --- pypistats ----------------------------------------------------------------------


class PyPIStats(Source):
    name = "pypistats"
    label = "pypistats.org"
    metrics = (PYPI_DOWNLOADS_LAST_MONTH,)
    identifier_field = "pypi_package"
    identifier_description = "PyPI package"

    def validate_identifier(self, identifier):
        identifiers.validate_pypi_package(identifier)

    def reader_url(self, identifier):
        return f"https://pypistats.org/packages/{normalize_package(identifier)}"

    def _not_found_message(self, identifier):
        return f"pypistats.org has no download figures for the package {identifier!r}."

    def _skip(self, identifier, last_checked):
        """pypistats.org asks for at most one call a package a day."""
        if last_checked is None:
            return None
        next_call = _aware(last_checked) + PYPISTATS_INTERVAL
        if now() >= next_call:
            return None
        return Collected(
            Outcome.SKIPPED, identifier, self.label, self.reader_url(identifier), retry_at=next_call
        )

    def _request(self, identifier):
        base = str(setting("PYPISTATS_URL", "https://pypistats.org")).rstrip("/")
        return f"{base}/api/packages/{normalize_package(identifier)}/recent", {}, {}

    def _parse(self, identifier, response):
        data = _mapping(response.data)
        recent = _mapping(data.get("data"), "data")
        return Collected(
            Outcome.OK,
            identifier,
            self.label,
            self.reader_url(identifier),
            values={PYPI_DOWNLOADS_LAST_MONTH: Decimal(_count(recent, "last_month"))},
            etag=response.etag,
            status=response.status,
        )


# --- Stack Exchange -----------------------------------------------------------------


class StackExchange(Source):
    name = "stackexchange"
    label = "Stack Overflow"
    metrics = (STACKOVERFLOW_QUESTIONS,)
    identifier_field = "stackoverflow_tag"
    identifier_description = "Stack Overflow tag"
    # error_id values: https://api.stackexchange.com/docs/error-handling
    THROTTLED = 502
    UNAVAILABLE = frozenset({500, 503})

    def validate_identifier(self, identifier):
        identifiers.validate_stackoverflow_tag(identifier)

    def reader_url(self, identifier):
        return f"https://stackoverflow.com/questions/tagged/{_segment(identifier)}"

    def _not_found_message(self, identifier):
        return f"Stack Overflow has no tag {identifier!r}."

    def _request(self, identifier):
        base = str(setting("STACKEXCHANGE_API_URL", "https://api.stackexchange.com")).rstrip("/")
        params = {"site": "stackoverflow", "key": setting("STACKEXCHANGE_KEY", None)}
        return f"{base}/2.3/tags/{_segment(identifier)}/info", {}, params

    def _after_fetch(self, response, budget):
        """``backoff``: no call before it has passed; ``quota_remaining`` 0: none before UTC midnight."""
        data = response.data if isinstance(response.data, dict) else {}
        backoff = data.get("backoff")
        if _is_count(backoff):
            budget.exhaust(self.name, now() + timedelta(seconds=min(backoff, 86400)))
        if data.get("quota_remaining") == 0:
            budget.exhaust(self.name, next_utc_midnight())
        if data.get("error_id") == self.THROTTLED:
            budget.exhaust(self.name, self._throttled_until(data))

    def _throttled_until(self, data) -> datetime:
        message = data.get("error_message") if isinstance(data.get("error_message"), str) else ""
        seconds = re.search(r"available in (\d{1,6}) seconds", message)
        if seconds:
            return now() + timedelta(seconds=int(seconds.group(1)))
        return next_utc_midnight()

    def _interpret(self, identifier, response, budget):
        data = response.data if isinstance(response.data, dict) else {}
        error_id = data.get("error_id")
        if response.outcome is not Outcome.OK and isinstance(error_id, int):
            # Stack Exchange reports its errors in the body (HTTP 400 or so) with an error_id.
            result = self._result(identifier, response)
            said = f"{data.get('error_name', 'error')} ({error_id}): {data.get('error_message', '')}".strip()
            if error_id == self.THROTTLED:
                until = budget.exhausted_until(self.name) or self._throttled_until(data)
                return result(
                    Outcome.RATE_LIMITED,
                    f"Stack Exchange throttles us; not called before {_utc(until)}. ({said})",
                    retry_at=until,
                )
            if error_id in self.UNAVAILABLE:
                return result(Outcome.TRANSIENT, f"Stack Exchange is unavailable; tried again next run. ({said})")
            return result(Outcome.REJECTED, f"Stack Exchange refused the request: {said}")
        result = super()._interpret(identifier, response, budget)
        if result.outcome is Outcome.RATE_LIMITED:
            return _with(result, retry_at=budget.exhausted_until(self.name) or result.retry_at)
        return result

    def _parse(self, identifier, response):
        data = _mapping(response.data)
        items = data.get("items")
        if not isinstance(items, list):
            raise _Unusable("no items")
        tags = [item for item in items if isinstance(item, dict)]
        if not tags:
            return Collected(
                Outcome.NOT_FOUND,
                identifier,
                self.label,
                self.reader_url(identifier),
                error=self._not_found_message(identifier),
                status=response.status,
            )
        tag = next((item for item in tags if item.get("name") == identifier), tags[0])
        name = tag.get("name")
        moved_to = name if isinstance(name, str) and name != identifier and _valid_tag(name) else None
        return Collected(
            Outcome.OK,
            identifier,
            self.label,
            self.reader_url(moved_to or identifier),
            values={STACKOVERFLOW_QUESTIONS: Decimal(_count(tag, "count"))},
            etag=response.etag,
            moved_to=moved_to,
            error=f"Stack Overflow answered for the tag {moved_to!r}." if moved_to else "",
            status=response.status,
        )


# --- The sources, by name ---------------------------------------------------------------

SOURCES: dict[str, Source] = {source.name: source for source in (GitHub(), PyPI(), PyPIStats(), StackExchange())}


def get_source(name: str) -> Source:
    """The source called ``name``; KeyError for an unknown name."""
    return SOURCES[name]


# --- Helpers ------------------------------------------------------------------------------


def normalize_package(name: str) -> str:
    """PEP 503: lowercase, runs of '-', '_' and '.' as one '-' (``Flask_Login`` → ``flask-login``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def next_utc_midnight(at: datetime | None = None) -> datetime:
    at = (at or now()).astimezone(UTC)
    return datetime.combine(at.date() + timedelta(days=1), time(0), tzinfo=UTC)


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _utc(moment: datetime) -> str:
    return f"{_aware(moment).astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _with(result: Collected, **changes) -> Collected:
    return replace(result, **changes)


def _mapping(value: Any, where: str = "the answer") -> dict:
    if not isinstance(value, dict):
        raise _Unusable(f"{where} is not a JSON object")
    return value


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count(data: dict, key: str) -> int:
    value = data.get(key)
    if not _is_count(value):
        raise _Unusable(f"no count in {key!r} (got {str(value)[:40]!r})")
    return value


def _valid_tag(value: str) -> bool:
    try:
        identifiers.validate_stackoverflow_tag(value)
    except ValidationError:
        return False
    return True


def _files(value: Any) -> list:
    return value if isinstance(value, list) else []


def _upload_time(file: Any) -> datetime | None:
    if not isinstance(file, dict):
        return None
    for key in ("upload_time_iso_8601", "upload_time"):
        value = file.get(key)
        if isinstance(value, str):
            try:
                return _aware(datetime.fromisoformat(value))
            except ValueError:
                continue
    return None


def _earliest_upload(files) -> datetime | None:
    times = [moment for moment in map(_upload_time, files) if moment is not None]
    return min(times) if times else None


def _license(info: dict) -> str | None:
    """The SPDX expression if there is one, else a one-line license field, else the license classifier."""
    for key in ("license_expression", "license"):
        value = info.get(key)
        if isinstance(value, str):
            value = value.strip()
            if value and "\n" not in value and len(value) <= LICENSE_MAX_LENGTH and value.upper() != "UNKNOWN":
                return value
    classifiers = info.get("classifiers")
    if isinstance(classifiers, list):
        for classifier in classifiers:
            if isinstance(classifier, str) and classifier.startswith("License ::"):
                name = classifier.rsplit("::", 1)[-1].strip()
                if name and len(name) <= LICENSE_MAX_LENGTH:
                    return name
    return None


def _public_url(value: Any) -> str | None:
    """An http(s) URL fit to link from a reader page, or None (``javascript:``, spaces, too long…)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > URL_MAX_LENGTH or re.search(r"[\x00-\x20\x7f]", value):
        return None
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


__all__ = [
    "GITHUB_FORKS",
    "GITHUB_OPEN_ISSUES",
    "GITHUB_STARS",
    "GITHUB_WATCHERS",
    "PYPISTATS_INTERVAL",
    "PYPI_DOWNLOADS_LAST_MONTH",
    "PYPI_FACTS",
    "SOURCES",
    "STACKOVERFLOW_QUESTIONS",
    "Collected",
    "GitHub",
    "Outcome",
    "PyPI",
    "PyPIStats",
    "Source",
    "SourceBudget",
    "StackExchange",
    "get_source",
    "next_utc_midnight",
    "normalize_package",
]
