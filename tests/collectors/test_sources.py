"""The four sources against the local fake API (parsed values and facts, reader URLs, each outcome),
and the identifier validators model forms use."""

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from frameworks.collectors.http import Outcome, SourceBudget
from frameworks.collectors.identifiers import (
    github_repo_from_url,
    validate_github_repo,
    validate_pypi_package,
    validate_stackoverflow_tag,
)
from frameworks.collectors.sources import (
    SOURCES,
    Collected,
    GitHub,
    PyPI,
    PyPIStats,
    StackExchange,
    get_source,
    next_utc_midnight,
)

from .fakeapi import (
    Reply,
    github_repo,
    pypi_project,
    pypistats_recent,
    stackexchange_tag,
    stackexchange_tags,
)

GITHUB_FLASK = "/github/repos/pallets/flask"
PYPI_FLASK = "/pypi-org/pypi/flask/json"
PYPISTATS_FLASK = "/pypistats/api/packages/flask/recent"
SE_FLASK = "/stackexchange/2.3/tags/flask/info"


@pytest.fixture
def budget():
    return SourceBudget()


def close_to(moment, expected, seconds=5):
    return moment is not None and abs((moment - expected).total_seconds()) <= seconds


def test_the_sources_describe_themselves():
    assert list(SOURCES) == ["github", "pypi", "pypistats", "stackexchange"]
    assert [source.label for source in SOURCES.values()] == ["GitHub", "PyPI", "pypistats.org", "Stack Overflow"]
    assert GitHub.metrics == ("github-stars", "github-forks", "github-watchers", "github-open-issues")
    assert PyPI.metrics == () and "first_release_year" in PyPI.fact_names
    assert PyPIStats.metrics == ("pypi-downloads-last-month",)
    assert StackExchange.metrics == ("stack-overflow-questions",)
    assert [source.identifier_field for source in SOURCES.values()] == [
        "github_repo",
        "pypi_package",
        "pypi_package",
        "stackoverflow_tag",
    ]
    assert get_source("pypi") is SOURCES["pypi"]


# --- GitHub ---------------------------------------------------------------------------------


def test_github_ok(fake_api, budget):
    fake_api.script(GITHUB_FLASK, Reply(body=github_repo(), headers={"ETag": 'W/"v1"'}))

    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert isinstance(result, Collected) and result.ok
    assert result.values == {
        "github-stars": Decimal(68000),
        "github-forks": Decimal(16200),
        "github-watchers": Decimal(2100),
        "github-open-issues": Decimal(7),
    }
    assert result.source_name == "GitHub"
    assert result.source_url == "https://github.com/pallets/flask"
    assert result.etag == 'W/"v1"'
    assert result.moved_to is None and result.archived is False and result.error == ""
    sent = fake_api.requests[0].headers
    assert sent["accept"] == "application/vnd.github+json"
    assert sent["x-github-api-version"] == "2022-11-28"
    assert "authorization" not in sent
    assert sent["user-agent"].startswith("compare_site-collector/1.0")


def test_github_sends_the_token_and_reports_archived(fake_api, budget, settings):
    settings.GITHUB_TOKEN = "ghp_test"
    fake_api.script(GITHUB_FLASK, Reply(body=github_repo(archived=True)))

    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert result.ok and result.archived is True
    assert fake_api.requests[0].headers["authorization"] == "Bearer ghp_test"


def test_github_not_modified(fake_api, budget):
    fake_api.script(GITHUB_FLASK, Reply(304, content_type=None, headers={"ETag": '"v1"'}))

    result = SOURCES["github"].collect("pallets/flask", etag='"v1"', budget=budget)

    assert result.outcome is Outcome.NOT_MODIFIED
    assert result.values == {} and result.etag == '"v1"'
    assert result.source_url == "https://github.com/pallets/flask"
    assert fake_api.requests[0].headers["if-none-match"] == '"v1"'


def test_github_moved_repository(fake_api, budget):
    # GitHub answers a renamed repository with a redirect to its numeric id.
    fake_api.script(GITHUB_FLASK, Reply(301, {"message": "Moved Permanently"},
                                        headers={"Location": "{base}/github/repositories/596892"}))
    fake_api.script("/github/repositories/596892", Reply(body=github_repo("pallets/flask2", stars=70000)))

    result = SOURCES["github"].collect("pallets/flask", etag='"old"', budget=budget)

    assert result.ok
    assert result.moved_to == "pallets/flask2"
    assert result.values["github-stars"] == Decimal(70000)
    assert result.source_url == "https://github.com/pallets/flask2"
    assert "moved to pallets/flask2" in result.error


def test_github_same_name_in_other_case_is_not_a_move(fake_api, budget):
    fake_api.script("/github/repos/Pallets/Flask", Reply(body=github_repo("pallets/flask")))
    assert SOURCES["github"].collect("Pallets/Flask", budget=budget).moved_to is None


def test_github_not_found(fake_api, budget):
    result = SOURCES["github"].collect("pallets/nope", budget=budget)  # unscripted: GitHub's 404

    assert result.outcome is Outcome.NOT_FOUND
    assert "GitHub has no repository 'pallets/nope'" in result.error
    assert result.status == 404 and result.values == {}
    assert result.source_url == "https://github.com/pallets/nope"


def test_github_rate_limit_stops_github_but_not_stack_exchange(fake_api, budget):
    reset = int(time.time()) + 1800
    fake_api.script(
        GITHUB_FLASK,
        Reply(403, {"message": "API rate limit exceeded"},
              headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset), "x-ratelimit-limit": "60"}),
    )
    fake_api.script(SE_FLASK, Reply(body=stackexchange_tags(stackexchange_tag()), gzip=True))
    reset_at = datetime.fromtimestamp(reset, UTC)

    limited = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert limited.outcome is Outcome.RATE_LIMITED
    assert limited.retry_at == reset_at
    assert "rate limit" in limited.error
    assert budget.exhausted_until("github") == reset_at

    again = SOURCES["github"].collect("django/django", budget=budget)
    assert again.outcome is Outcome.RATE_LIMITED and again.retry_at == reset_at
    assert len([r for r in fake_api.requests if r.path.startswith("/github/")]) == 1  # not called again

    other = SOURCES["stackexchange"].collect("flask", budget=budget)
    assert other.ok and fake_api.hits(SE_FLASK) == 1
    assert budget.snapshot() == {"github": reset_at}


def test_github_200_with_the_last_of_the_quota_exhausts_the_budget(fake_api, budget):
    reset = int(time.time()) + 600
    fake_api.script(
        GITHUB_FLASK,
        Reply(body=github_repo(), headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}),
    )
    assert SOURCES["github"].collect("pallets/flask", budget=budget).ok
    assert budget.exhausted_until("github") == datetime.fromtimestamp(reset, UTC)


def test_github_429_with_retry_after(fake_api, budget):
    fake_api.script(GITHUB_FLASK, Reply(429, {"message": "secondary rate limit"}, headers={"Retry-After": "60"}))

    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert result.outcome is Outcome.RATE_LIMITED
    assert close_to(result.retry_at, datetime.now(UTC) + timedelta(seconds=60))
    assert not budget.available("github")
    assert fake_api.hits(GITHUB_FLASK) == 1


def test_github_5xx_then_success(fake_api, budget):
    fake_api.script(GITHUB_FLASK, Reply(502, "bad gateway", content_type="text/plain"), Reply(body=github_repo()))

    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert result.ok and result.values["github-stars"] == Decimal(68000)
    assert fake_api.hits(GITHUB_FLASK) == 2


def test_github_keeps_failing(fake_api, budget, settings):
    settings.COLLECTOR_RETRIES = 1
    fake_api.script(GITHUB_FLASK, Reply(500, {"message": "Server Error"}))

    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert result.outcome is Outcome.TRANSIENT
    assert "after 2 attempt(s)" in result.error and "500" in result.error
    assert budget.available("github")  # a failure is not a rate limit


def test_github_bad_token_is_rejected_with_a_hint(fake_api, budget, settings):
    settings.GITHUB_TOKEN = "expired"
    fake_api.script(GITHUB_FLASK, Reply(401, {"message": "Bad credentials"}))
    result = SOURCES["github"].collect("pallets/flask", budget=budget)
    assert result.outcome is Outcome.REJECTED
    assert "Bad credentials" in result.error and "GITHUB_TOKEN" in result.error


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"full_name": "pallets/flask", "archived": False}, "stargazers_count"),
        ({**github_repo(), "forks_count": "many"}, "forks_count"),
        ({**github_repo(), "open_issues_count": -1}, "open_issues_count"),
        ({**github_repo(), "subscribers_count": True}, "subscribers_count"),
        ({**github_repo(), "full_name": "../../etc"}, "full_name"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_github_unusable_answers_are_invalid(fake_api, budget, body, says):
    fake_api.script(GITHUB_FLASK, Reply(body=body))
    result = SOURCES["github"].collect("pallets/flask", budget=budget)
    assert result.outcome is Outcome.INVALID
    assert says in result.error and result.values == {}


def test_github_wrong_content_type_and_malformed_json(fake_api, budget):
    fake_api.script(GITHUB_FLASK, Reply(body="<html>Unicorn!</html>", content_type="text/html"))
    fake_api.script("/github/repos/django/django", Reply(body='{"stargazers_count": 1'))

    html = SOURCES["github"].collect("pallets/flask", budget=budget)
    broken = SOURCES["github"].collect("django/django", budget=budget)

    assert html.outcome is Outcome.INVALID and "not JSON" in html.error
    assert broken.outcome is Outcome.INVALID and "malformed JSON" in broken.error


def test_github_body_over_the_cap(fake_api, budget, settings):
    settings.COLLECTOR_MAX_BYTES = 2000
    fake_api.script(GITHUB_FLASK, Reply(body={**github_repo(), "description": "x" * 5000}))
    result = SOURCES["github"].collect("pallets/flask", budget=budget)
    assert result.outcome is Outcome.INVALID and "COLLECTOR_MAX_BYTES" in result.error


def test_github_slow_answer_times_out(fake_api, budget, settings):
    settings.COLLECTOR_TIMEOUT = 0.5
    settings.COLLECTOR_RETRIES = 0
    fake_api.script(GITHUB_FLASK, Reply(body=github_repo(), delay=1.5))

    started = time.monotonic()
    result = SOURCES["github"].collect("pallets/flask", budget=budget)

    assert result.outcome is Outcome.TRANSIENT and "0.5 s" in result.error
    assert time.monotonic() - started < 1.2


def test_an_invalid_identifier_is_never_sent(fake_api, budget):
    result = SOURCES["github"].collect("../../admin", budget=budget)
    assert result.outcome is Outcome.INVALID
    assert result.error.startswith("Not a valid GitHub repository")
    assert fake_api.requests == []


# --- PyPI -----------------------------------------------------------------------------------


def test_pypi_facts(fake_api, budget):
    fake_api.script(PYPI_FLASK, Reply(body=pypi_project()))

    result = SOURCES["pypi"].collect("Flask", budget=budget)

    assert result.ok and result.values == {}
    assert result.facts == {
        "name": "Flask",
        "latest_version": "3.1.0",
        "latest_release_date": date(2024, 11, 13),
        "first_release_year": 2010,
        "license": "BSD-3-Clause",
        "summary": "A simple framework for building complex web applications.",
        "repository_url": "https://github.com/pallets/flask/",
        "documentation_url": "https://flask.palletsprojects.com/",
    }
    assert result.source_name == "PyPI"
    assert result.source_url == "https://pypi.org/project/flask/"
    assert fake_api.requests[0].path == PYPI_FLASK  # asked by the normalised name


def test_pypi_urls_by_any_label_case_and_old_license_fields(fake_api, budget):
    body = pypi_project(
        "Django",
        "5.1.4",
        releases={"5.1.4": [{"upload_time": "2024-12-04T16:09:39"}], "1.0": [{"upload_time": "2008-09-03T19:20:00"}]},
        license="BSD-3-Clause\n\nCopyright (c) Django Software Foundation and individual contributors.\n...",
        license_expression=None,
        home_page="https://www.djangoproject.com/",
        project_urls={
            "HOMEPAGE": "https://djangoproject.com/",
            "source code": "https://github.com/django/django",
            "Docs": "javascript:alert(1)",
            "documentation": "https://docs.djangoproject.com/",
        },
        classifiers=["License :: OSI Approved :: BSD License"],
    )
    fake_api.script("/pypi-org/pypi/django/json", Reply(body=body))

    facts = SOURCES["pypi"].collect("Django", budget=budget).facts

    assert facts["home_url"] == "https://djangoproject.com/"
    assert facts["repository_url"] == "https://github.com/django/django"
    assert facts["documentation_url"] == "https://docs.djangoproject.com/"  # the javascript: URL is dropped
    assert facts["license"] == "BSD License"  # a whole license text is not a license name
    assert facts["latest_release_date"] == date(2024, 12, 4)
    assert facts["first_release_year"] == 2008


def test_pypi_home_page_when_project_urls_have_none(fake_api, budget):
    body = pypi_project(project_urls=None, home_page="https://palletsprojects.com/p/flask/", license="BSD")
    body["info"].pop("license_expression")
    fake_api.script(PYPI_FLASK, Reply(body=body))
    facts = SOURCES["pypi"].collect("flask", budget=budget).facts
    assert facts["home_url"] == "https://palletsprojects.com/p/flask/"
    assert facts["license"] == "BSD"
    assert "repository_url" not in facts


def test_pypi_not_found_and_missing_version(fake_api, budget):
    fake_api.script("/pypi-org/pypi/no-such-package/json", Reply(404, {"message": "Not Found"}))
    fake_api.script(PYPI_FLASK, Reply(body={"info": {"name": "flask"}, "releases": {}}))

    missing = SOURCES["pypi"].collect("no_such.package", budget=budget)
    assert missing.outcome is Outcome.NOT_FOUND
    assert missing.error.startswith("PyPI has no package 'no_such.package'.")
    assert SOURCES["pypi"].collect("flask", budget=budget).outcome is Outcome.INVALID


# --- pypistats ------------------------------------------------------------------------------


def test_pypistats_ok(fake_api, budget):
    fake_api.script(PYPISTATS_FLASK, Reply(body=pypistats_recent()))

    result = SOURCES["pypistats"].collect("Flask", budget=budget)

    assert result.ok
    assert result.values == {"pypi-downloads-last-month": Decimal(80_000_000)}
    assert result.source_name == "pypistats.org"
    assert result.source_url == "https://pypistats.org/packages/flask"


def test_pypistats_is_called_at_most_once_a_day(fake_api, budget):
    fake_api.script(PYPISTATS_FLASK, Reply(body=pypistats_recent()))
    checked = datetime.now(UTC) - timedelta(hours=23)

    skipped = SOURCES["pypistats"].collect("flask", budget=budget, last_checked=checked)

    assert skipped.outcome is Outcome.SKIPPED
    assert skipped.retry_at == checked + timedelta(hours=24)
    assert skipped.values == {} and fake_api.requests == []

    day_old = SOURCES["pypistats"].collect("flask", budget=budget, last_checked=checked - timedelta(hours=1))
    assert day_old.ok and fake_api.hits(PYPISTATS_FLASK) == 1


def test_pypistats_unknown_package(fake_api, budget):
    fake_api.script("/pypistats/api/packages/nope/recent", Reply(404, "Not Found", content_type="text/html"))
    result = SOURCES["pypistats"].collect("nope", budget=budget)
    assert result.outcome is Outcome.NOT_FOUND and result.status == 404


# --- Stack Exchange ---------------------------------------------------------------------------


def test_stackexchange_ok_from_a_gzip_body(fake_api, budget, settings):
    settings.STACKEXCHANGE_KEY = "se-key"
    fake_api.script(SE_FLASK, Reply(body=stackexchange_tags(stackexchange_tag("flask", 55_123)), gzip=True))

    result = SOURCES["stackexchange"].collect("flask", budget=budget)

    assert result.ok
    assert result.values == {"stack-overflow-questions": Decimal(55_123)}
    assert result.source_name == "Stack Overflow"
    assert result.source_url == "https://stackoverflow.com/questions/tagged/flask"
    assert fake_api.requests[0].query == {"site": ["stackoverflow"], "key": ["se-key"]}
    assert budget.available("stackexchange")


def test_stackexchange_tags_with_symbols_are_quoted(fake_api, budget):
    fake_api.script("/stackexchange/2.3/tags/c%23/info", Reply(body=stackexchange_tags(stackexchange_tag("c#", 10))))
    result = SOURCES["stackexchange"].collect("c#", budget=budget)
    assert result.ok and result.source_url == "https://stackoverflow.com/questions/tagged/c%23"
    assert "key" not in fake_api.requests[0].query


def test_stackexchange_empty_items_is_not_found(fake_api, budget):
    fake_api.script("/stackexchange/2.3/tags/no-such-tag/info", Reply(body=stackexchange_tags(), gzip=True))
    result = SOURCES["stackexchange"].collect("no-such-tag", budget=budget)
    assert result.outcome is Outcome.NOT_FOUND
    assert "no tag 'no-such-tag'" in result.error


def test_stackexchange_backoff_holds_off_the_next_call(fake_api, budget):
    fake_api.script(SE_FLASK, Reply(body=stackexchange_tags(stackexchange_tag(), backoff=30), gzip=True))

    first = SOURCES["stackexchange"].collect("flask", budget=budget)
    second = SOURCES["stackexchange"].collect("flask", budget=budget)

    assert first.ok  # the answer itself is good
    assert second.outcome is Outcome.RATE_LIMITED
    assert close_to(second.retry_at, datetime.now(UTC) + timedelta(seconds=30))
    assert fake_api.hits(SE_FLASK) == 1
    assert SOURCES["github"].collect("pallets/nope", budget=budget).status == 404  # GitHub still called


def test_stackexchange_quota_used_up_until_utc_midnight(fake_api, budget):
    fake_api.script(SE_FLASK, Reply(body=stackexchange_tags(stackexchange_tag(), quota_remaining=0), gzip=True))

    assert SOURCES["stackexchange"].collect("flask", budget=budget).ok
    midnight = budget.exhausted_until("stackexchange")

    assert midnight == next_utc_midnight()
    assert midnight.hour == midnight.minute == 0 and midnight > datetime.now(UTC)


def test_stackexchange_throttle_violation(fake_api, budget):
    error = {
        "error_id": 502,
        "error_message": "too many requests from this IP, more requests available in 3600 seconds",
        "error_name": "throttle_violation",
    }
    fake_api.script(SE_FLASK, Reply(400, error, gzip=True))

    result = SOURCES["stackexchange"].collect("flask", budget=budget)

    assert result.outcome is Outcome.RATE_LIMITED
    assert close_to(result.retry_at, datetime.now(UTC) + timedelta(hours=1))
    assert budget.exhausted_until("stackexchange") == result.retry_at
    assert "throttle_violation" in result.error


def test_stackexchange_bad_key_is_rejected(fake_api, budget, settings):
    settings.STACKEXCHANGE_KEY = "wrong"
    error = {"error_id": 400, "error_message": "key", "error_name": "bad_parameter"}
    fake_api.script(SE_FLASK, Reply(400, error, gzip=True))

    result = SOURCES["stackexchange"].collect("flask", budget=budget)

    assert result.outcome is Outcome.REJECTED and "bad_parameter" in result.error
    assert "wrong" not in result.error
    assert budget.available("stackexchange")


def test_next_utc_midnight():
    assert next_utc_midnight(datetime(2025, 3, 1, 23, 59, tzinfo=UTC)) == datetime(2025, 3, 2, tzinfo=UTC)
    assert next_utc_midnight(datetime(2025, 3, 1, 0, 0, tzinfo=UTC)) == datetime(2025, 3, 2, tzinfo=UTC)


def test_pypi_odd_shapes_leave_facts_out_rather_than_fail(fake_api, budget):
    body = pypi_project(releases={"3.1.0": 5, "1.0": "x", "0.9": [{"upload_time_iso_8601": "not a date"}, 7]})
    body["urls"] = None
    body["info"].update(project_urls=["not", "a", "dict"], summary="  ", license_expression=None, classifiers=None)
    fake_api.script(PYPI_FLASK, Reply(body=body))

    result = SOURCES["pypi"].collect("flask", budget=budget)

    assert result.ok
    assert result.facts == {"name": "Flask", "latest_version": "3.1.0"}


# --- Identifier validators: good values pass, bad ones say what is allowed ------------------


def message(validator, value) -> str:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return " ".join(raised.value.messages)


@pytest.mark.parametrize(
    "value", ["pallets/flask", "django/django", "a/b", "encode/django-rest-framework", "o/.github", "x" * 39 + "/r"]
)
def test_good_github_repos(value):
    validate_github_repo(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("flask", "owner/name"),
        ("pallets/flask/tree", "owner/name"),
        ("", "owner/name"),
        ("/flask", "GitHub owner"),
        ("-pallets/flask", "GitHub owner"),
        ("x" * 40 + "/flask", "1 to 39"),
        ("pal lets/flask", "GitHub owner"),
        ("pallets/", "repository name"),
        ("pallets/fl ask", "repository name"),
        ("pallets/..", "repository name"),
        ("pallets/" + "x" * 101, "1 to 100"),
        ("pallets/flask\n", "repository name"),
        ("pallets/flask.git", "pallets/flask"),
    ],
)
def test_bad_github_repos(value, says):
    assert says in message(validate_github_repo, value)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/pallets/flask",
        "https://github.com/pallets/flask/",
        "https://github.com/pallets/flask.git",
        "http://www.github.com/pallets/flask/tree/main/src?x=1#readme",
        "https://GitHub.com/pallets/flask#readme",
        "git@github.com:pallets/flask.git",
        "  https://github.com/pallets/flask  ",
    ],
)
def test_github_repo_from_url(url):
    assert github_repo_from_url(url) == "pallets/flask"


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/pallets/flask",
        "https://github.com/pallets",
        "https://github.com/",
        "https://github.com.evil.example/pallets/flask",
        "https://user:pass@github.com/pallets/flask",
        "javascript:alert(1)//github.com/pallets/flask",
        "https://github.com/-bad/flask",
        "not a url",
        "",
    ],
)
def test_not_github_repo_urls(url):
    assert github_repo_from_url(url) is None


@pytest.mark.parametrize(
    "value", ["flask", "Flask", "django-rest-framework", "zope.interface", "a", "Flask_Login", "3b"]
)
def test_good_pypi_packages(value):
    validate_pypi_package(value)


@pytest.mark.parametrize("value", ["", "-flask", "flask-", "fla sk", "flask\n", "flask/../x", "flask!", "x" * 201])
def test_bad_pypi_packages(value):
    assert "PyPI package name" in message(validate_pypi_package, value)


@pytest.mark.parametrize("value", ["flask", "c#", "c++", ".net", "ruby-on-rails", "asp.net-core", "x" * 35])
def test_good_stackoverflow_tags(value):
    validate_stackoverflow_tag(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "Enter a Stack Overflow tag"),
        ("Flask", "lowercase: flask"),
        ("ruby on rails", "hyphens for spaces"),
        ("flask/../x", "lowercase letters, digits"),
        ("flask\n", "lowercase letters, digits"),
        ("x" * 36, "at most 35 characters (this one has 36)"),
    ],
)
def test_bad_stackoverflow_tags(value, says):
    assert says in message(validate_stackoverflow_tag, value)
