"""fetch_json against the local fake API: outcomes, headers, limits, redirects, retries; SourceBudget."""

import gzip
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import pytest

from frameworks.collectors import http
from frameworks.collectors.http import Outcome, SourceBudget, fetch_json

from .fakeapi import FakeAPI, Reply


def close_to(moment, expected, seconds=5):
    return moment is not None and abs((moment - expected).total_seconds()) <= seconds


def test_ok_parses_json_and_sends_identifying_headers(fake_api, settings):
    settings.COLLECTOR_CONTACT_URL = "https://compare.example.org"
    fake_api.script("/data", Reply(body={"count": 3, "ratio": 0.1}, headers={"ETag": '"abc"'}))

    response = fetch_json(f"{fake_api.url}/data", params={"site": "stackoverflow", "key": None})

    assert response.outcome is Outcome.OK and response.ok
    assert response.status == 200
    assert response.data == {"count": 3, "ratio": Decimal("0.1")}
    assert response.etag == '"abc"'
    assert response.final_url == f"{fake_api.url}/data?site=stackoverflow"
    assert response.moved is False
    assert response.headers["content-type"].startswith("application/json")
    assert response.attempts == 1 and response.retry_at is None
    sent = fake_api.requests[0]
    assert sent.headers["user-agent"] == "compare_site-collector/1.0 (+https://compare.example.org)"
    assert sent.headers["accept"] == "application/json"
    assert "if-none-match" not in sent.headers
    assert sent.query == {"site": ["stackoverflow"]}


def test_user_agent_without_a_contact_url(settings):
    settings.COLLECTOR_CONTACT_URL = None
    settings.CSRF_TRUSTED_ORIGINS = []
    assert http.user_agent() == "compare_site-collector/1.0"
    settings.CSRF_TRUSTED_ORIGINS = ["https://compare.example.org"]
    assert http.user_agent() == "compare_site-collector/1.0 (+https://compare.example.org)"


def test_etag_is_sent_and_304_is_not_modified(fake_api):
    fake_api.script("/data", Reply(304, content_type=None, headers={"ETag": '"abc"'}))

    response = fetch_json(f"{fake_api.url}/data", etag='"abc"')

    assert response.outcome is Outcome.NOT_MODIFIED
    assert response.etag == '"abc"' and response.data is None
    assert fake_api.requests[0].headers["if-none-match"] == '"abc"'


def test_an_etag_that_could_inject_headers_is_not_sent(fake_api):
    fake_api.script("/data", Reply(body={}))
    fetch_json(f"{fake_api.url}/data", etag='"abc"\r\nX-Evil: 1')
    assert "if-none-match" not in fake_api.requests[0].headers
    assert "x-evil" not in fake_api.requests[0].headers


def test_redirect_is_followed_and_reported(fake_api):
    fake_api.script("/old", Reply(301, content_type=None, headers={"Location": "{base}/new"}))
    fake_api.script("/new", Reply(body={"here": True}))

    response = fetch_json(f"{fake_api.url}/old", etag='"abc"')

    assert response.outcome is Outcome.OK
    assert response.moved is True
    assert response.final_url == f"{fake_api.url}/new"
    assert response.data == {"here": True}
    # The old resource's entity tag means nothing at the new location.
    assert fake_api.requests[0].headers["if-none-match"] == '"abc"'
    assert "if-none-match" not in fake_api.requests[1].headers


@pytest.fixture
def other_host():
    api = FakeAPI().start()
    yield api
    api.stop()


def test_authorization_is_not_forwarded_to_another_origin(fake_api, other_host):
    fake_api.script("/same", Reply(307, content_type=None, headers={"Location": "/elsewhere"}))
    fake_api.script("/elsewhere", Reply(302, content_type=None, headers={"Location": f"{other_host.url}/there"}))
    other_host.script("/there", Reply(body={"ok": 1}))

    response = fetch_json(f"{fake_api.url}/same", headers={"Authorization": "Bearer secret"})

    assert response.outcome is Outcome.OK and response.moved
    assert response.final_url == f"{other_host.url}/there"
    assert fake_api.requests[1].headers["authorization"] == "Bearer secret"  # same origin: kept
    assert "authorization" not in other_host.requests[0].headers


def test_redirect_loops_and_unusable_targets_are_invalid(fake_api):
    fake_api.script("/loop", Reply(302, content_type=None, headers={"Location": "/loop"}))
    fake_api.script("/file", Reply(301, content_type=None, headers={"Location": "file:///etc/passwd"}))
    fake_api.script("/nowhere", Reply(301, content_type=None))

    loop = fetch_json(f"{fake_api.url}/loop")
    assert loop.outcome is Outcome.INVALID and "redirects" in loop.error
    assert fake_api.hits("/loop") == http.MAX_REDIRECTS + 1
    unusable = fetch_json(f"{fake_api.url}/file")
    assert unusable.outcome is Outcome.INVALID and "unusable URL" in unusable.error
    assert fetch_json(f"{fake_api.url}/nowhere").outcome is Outcome.INVALID


def test_only_http_urls_are_fetched():
    assert fetch_json("file:///etc/passwd").outcome is Outcome.INVALID
    assert fetch_json("ftp://example.org/x").outcome is Outcome.INVALID


@pytest.mark.parametrize("status", [404, 410])
def test_not_found(fake_api, status):
    fake_api.script("/gone", Reply(status, {"message": "Not Found"}))

    response = fetch_json(f"{fake_api.url}/gone")

    assert response.outcome is Outcome.NOT_FOUND
    assert response.status == status
    assert "Not Found" in response.error
    assert response.attempts == 1  # never retried


def test_403_with_no_remaining_quota_is_rate_limited_until_the_reset(fake_api):
    reset = int(time.time()) + 900
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset), "x-ratelimit-limit": "60"}
    fake_api.script("/limited", Reply(403, {"message": "API rate limit exceeded for 127.0.0.1."}, headers=headers))

    response = fetch_json(f"{fake_api.url}/limited")

    assert response.outcome is Outcome.RATE_LIMITED
    assert response.retry_at == datetime.fromtimestamp(reset, UTC)
    assert "rate limit exceeded" in response.error
    assert response.attempts == 1


def test_a_200_that_uses_the_last_of_the_quota_is_ok_with_retry_at(fake_api):
    reset = int(time.time()) + 600
    fake_api.script(
        "/last", Reply(body={"n": 1}, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})
    )
    response = fetch_json(f"{fake_api.url}/last")
    assert response.outcome is Outcome.OK
    assert response.retry_at == datetime.fromtimestamp(reset, UTC)


def test_429_with_retry_after_seconds_and_dates(fake_api):
    fake_api.script("/seconds", Reply(429, {"message": "slow down"}, headers={"Retry-After": "120"}))
    later = datetime.now(UTC) + timedelta(hours=2)
    fake_api.script("/date", Reply(429, {}, headers={"Retry-After": format_datetime(later, usegmt=True)}))
    fake_api.script("/forever", Reply(429, {}, headers={"Retry-After": "999999999"}))
    fake_api.script("/bare", Reply(429, {}))

    seconds = fetch_json(f"{fake_api.url}/seconds")
    assert seconds.outcome is Outcome.RATE_LIMITED
    assert close_to(seconds.retry_at, datetime.now(UTC) + timedelta(seconds=120))
    assert close_to(fetch_json(f"{fake_api.url}/date").retry_at, later)
    # A server cannot shut a source out for more than a day, and "rate limited" alone means a minute.
    assert close_to(fetch_json(f"{fake_api.url}/forever").retry_at, datetime.now(UTC) + http.MAX_WAIT)
    assert close_to(fetch_json(f"{fake_api.url}/bare").retry_at, datetime.now(UTC) + timedelta(minutes=1))


def test_a_secondary_rate_limit_403_and_a_plain_403(fake_api):
    fake_api.script("/secondary", Reply(403, {"message": "You have exceeded a secondary rate limit."}))
    fake_api.script("/forbidden", Reply(403, {"message": "Resource not accessible by integration"}))
    assert fetch_json(f"{fake_api.url}/secondary").outcome is Outcome.RATE_LIMITED
    forbidden = fetch_json(f"{fake_api.url}/forbidden")
    assert forbidden.outcome is Outcome.REJECTED
    assert "not accessible" in forbidden.error and forbidden.retry_at is None


def test_5xx_then_success_is_retried(fake_api, settings):
    settings.COLLECTOR_BACKOFF = 0.5
    fake_api.script("/flaky", Reply(502, "<html>Bad gateway</html>", content_type="text/html"), Reply(500, {}),
                    Reply(body={"fine": True}))

    response = fetch_json(f"{fake_api.url}/flaky")

    assert response.outcome is Outcome.OK and response.data == {"fine": True}
    assert response.attempts == 3
    # The backoff doubles, with jitter in its upper half (sleep is replaced in tests).
    first, second = fake_api.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0


def test_5xx_every_time_gives_up_after_the_retries(fake_api, settings):
    settings.COLLECTOR_RETRIES = 1
    fake_api.script("/down", Reply(503, {"message": "down"}))

    response = fetch_json(f"{fake_api.url}/down")

    assert response.outcome is Outcome.TRANSIENT
    assert response.attempts == 2 and fake_api.hits("/down") == 2
    assert "503" in response.error


def test_503_with_retry_after_is_not_retried_now(fake_api):
    fake_api.script("/maintenance", Reply(503, {}, headers={"Retry-After": "3600"}))
    response = fetch_json(f"{fake_api.url}/maintenance")
    assert response.outcome is Outcome.TRANSIENT
    assert close_to(response.retry_at, datetime.now(UTC) + timedelta(hours=1))
    assert fake_api.hits("/maintenance") == 1


@pytest.mark.parametrize(
    "body",
    [b'{"count": 3', b"<html>oops</html>", b"", b"NaN", b'{"n": ' + b"9" * 5000 + b"}", b"[" * 100_000],
    ids=["truncated", "html", "empty", "nan", "huge-int", "deep"],
)
def test_malformed_json_is_invalid(fake_api, body):
    fake_api.script("/bad", Reply(body=body))
    response = fetch_json(f"{fake_api.url}/bad")
    assert response.outcome is Outcome.INVALID
    assert response.data is None and response.error
    assert response.attempts == 1


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain", None])
def test_wrong_content_type_is_invalid(fake_api, content_type):
    fake_api.script("/html", Reply(body={"looks": "like json"}, content_type=content_type))
    response = fetch_json(f"{fake_api.url}/html")
    assert response.outcome is Outcome.INVALID
    assert "not JSON" in response.error


def test_json_suffix_types_are_json(fake_api):
    fake_api.script("/vnd", Reply(body={"a": 1}, content_type="application/vnd.github+json"))
    assert fetch_json(f"{fake_api.url}/vnd").data == {"a": 1}


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "streamed"])
def test_a_body_over_the_cap_is_invalid(fake_api, settings, content_length):
    settings.COLLECTOR_MAX_BYTES = 1000
    fake_api.script("/big", Reply(body={"padding": "x" * 5000}, content_length=content_length))
    fake_api.script("/fits", Reply(body={"padding": "x" * 900}, content_length=content_length))

    response = fetch_json(f"{fake_api.url}/big")

    assert response.outcome is Outcome.INVALID
    assert "more than 1000 bytes" in response.error
    assert fetch_json(f"{fake_api.url}/fits").outcome is Outcome.OK


def test_gzip_bodies_are_decompressed_within_the_cap(fake_api, settings):
    settings.COLLECTOR_MAX_BYTES = 10_000
    fake_api.script("/gz", Reply(body={"items": [1, 2, 3]}, gzip=True))
    fake_api.script("/bomb", Reply(body={"padding": "0" * 1_000_000}, gzip=True))  # ~1 KB on the wire
    fake_api.script("/corrupt", Reply(body=b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"}))
    truncated = gzip.compress(b'{"a": 1}')[:-6]
    fake_api.script("/truncated", Reply(body=truncated, headers={"Content-Encoding": "gzip"}))

    assert fetch_json(f"{fake_api.url}/gz").data == {"items": [1, 2, 3]}
    assert fake_api.requests[0].headers["accept-encoding"] == "gzip"
    bomb = fetch_json(f"{fake_api.url}/bomb")
    assert bomb.outcome is Outcome.INVALID and "more than 10000 bytes" in bomb.error
    assert fetch_json(f"{fake_api.url}/corrupt").outcome is Outcome.INVALID
    assert fetch_json(f"{fake_api.url}/truncated").outcome is Outcome.INVALID


def test_a_slow_answer_times_out(fake_api, settings):
    settings.COLLECTOR_TIMEOUT = 0.5
    settings.COLLECTOR_RETRIES = 1
    fake_api.script("/slow", Reply(body={"late": True}, delay=1.5))

    started = time.monotonic()
    response = fetch_json(f"{fake_api.url}/slow")
    elapsed = time.monotonic() - started

    assert response.outcome is Outcome.TRANSIENT
    assert "did not answer within 0.5 s" in response.error
    assert response.attempts == 2 and response.status is None
    assert elapsed < 1.4  # two attempts of 0.5 s, not the server's 1.5 s


def test_a_closed_port_is_transient(fake_api, settings):
    settings.COLLECTOR_RETRIES = 0
    closed = FakeAPI()
    url = closed.url
    closed.server.server_close()  # bound then closed: nothing listens there
    response = fetch_json(f"{url}/x")
    assert response.outcome is Outcome.TRANSIENT and "could not reach" in response.error


def test_error_messages_leave_out_the_query_string(fake_api):
    fake_api.script("/gone", Reply(404, {"message": "Not Found"}))
    response = fetch_json(f"{fake_api.url}/gone", params={"key": "not-shown"})
    assert "not-shown" not in response.error


# --- SourceBudget -----------------------------------------------------------------------------


def test_budget_remembers_each_source_separately():
    budget = SourceBudget()
    until = datetime.now(UTC) + timedelta(minutes=10)

    budget.exhaust("github", until)
    budget.exhaust("github", until - timedelta(minutes=5))  # an earlier time does not shorten it

    assert not budget.available("github")
    assert budget.exhausted_until("github") == until
    assert budget.available("stackexchange")
    assert budget.exhausted_until("stackexchange") is None
    assert budget.available("github", at=until + timedelta(seconds=1))


def test_budget_snapshot_persists_only_limits_in_force():
    past = datetime.now(UTC) - timedelta(minutes=1)
    future = datetime(2999, 1, 1, tzinfo=UTC)
    budget = SourceBudget({"github": future, "pypi": past})

    assert budget.snapshot() == {"github": future}
    assert SourceBudget(budget.snapshot()).exhausted_until("github") == future
    budget.clear("github")
    assert budget.available("github")


def test_budget_takes_naive_times_as_utc():
    budget = SourceBudget({"github": datetime(2999, 1, 1)})
    assert budget.exhausted_until("github") == datetime(2999, 1, 1, tzinfo=UTC)
