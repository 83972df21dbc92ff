"""The API's per-client limit: 60 requests a minute per address, shared by every app server through the cache."""

import shutil
import urllib.error
import urllib.request

import pytest
from django.core.cache.backends.locmem import LocMemCache

from api.rate_limit import RateLimiter, client_key
from tests.operations.test_pagecache_redis import redis_url  # noqa: F401 (a fixture)

from .conftest import AppServer


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def cache():
    store = LocMemCache("rate-limit-test", {})
    store.clear()
    return store


def test_the_61st_request_in_a_minute_is_refused_with_when_to_retry(cache):
    clock = Clock(1_000_000.0)  # at the start of a 5-second step
    limiter = RateLimiter(cache, limit=60, clock=clock)
    decisions = []
    for _ in range(60):
        decisions.append(limiter.hit("192.0.2.1"))
        clock.now += 0.5  # 60 requests over 30 seconds
    assert all(d.allowed for d in decisions)
    assert [d.remaining for d in decisions[:3]] == [59, 58, 57] and decisions[-1].remaining == 0
    refused = limiter.hit("192.0.2.1")
    assert not refused.allowed and refused.remaining == 0
    # The first second's two requests leave the window when they are a minute old: 30 seconds from now.
    assert refused.retry_after == 30
    assert limiter.hit("192.0.2.2").allowed  # another address has its own count
    clock.now += refused.retry_after
    assert limiter.hit("192.0.2.1").allowed


def test_the_window_slides_and_refusals_are_not_counted(cache):
    clock = Clock(2_000_000.0)
    limiter = RateLimiter(cache, limit=3, clock=clock)
    assert [limiter.hit("a").allowed for _ in range(3)] == [True, True, True]
    for _ in range(20):  # knocking while refused does not extend the wait
        assert not limiter.hit("a").allowed
    clock.now += 59
    assert not limiter.hit("a").allowed  # still inside the minute
    clock.now += 6
    assert limiter.hit("a").allowed


def test_a_minute_boundary_gives_no_burst(cache):
    """A fixed per-minute counter would allow 120 requests across the turn of a minute; this allows 60."""
    clock = Clock(3_000_000.0 + 55)
    limiter = RateLimiter(cache, limit=60, clock=clock)
    allowed = 0
    for _ in range(120):
        allowed += limiter.hit("a").allowed
        clock.now += 0.1  # 12 seconds across the turn of a minute
    assert allowed == 60


def test_one_request_a_second_is_never_refused(cache):
    clock = Clock(4_000_000.3)
    limiter = RateLimiter(cache, limit=60, clock=clock)
    for n in range(200):
        assert limiter.hit("steady").allowed, n
        clock.now += 1


def test_a_failing_cache_lets_requests_through():
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("down")

    assert RateLimiter(Broken(), limit=1).hit("a").allowed


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::"),
        ("not an address", "unknown"),
        (None, "unknown"),
    ],
)
def test_clients_are_addresses_and_ipv6_networks(address, key):
    assert client_key(address) == key


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_over_the_limit(client, settings):
    settings.API_RATE_LIMIT = 60
    for n in range(60):
        response = client.get("/api/v1/metrics")
        assert response.status_code == 200, n
    assert response["RateLimit-Limit"] == "60" and response["RateLimit-Remaining"] == "0"
    refused = client.get("/api/v1/metrics")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["message"].startswith("Too many requests: this API answers 60 requests every 60 seconds")
    assert refused["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/metrics", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200
    assert client.get("/frameworks/").status_code == 200  # pages are not counted


@pytest.mark.django_db
def test_cached_answers_count_too(client, settings):
    settings.API_RATE_LIMIT = 5
    settings.PAGE_CACHE_ENABLED = True
    statuses = [client.get("/api/v1/metrics").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


# --- Two real app servers sharing one Redis ------------------------------------------------------


def _status(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_a_second_app_server_sharing_redis_refuses_the_61st(redis_url, site_database):  # noqa: F811
    redis = redis_url.rsplit("/", 1)[0] + "/3"
    servers = []
    try:
        for _ in range(2):
            servers.append(AppServer(site_database, CACHE_URL=redis, API_RATE_LIMIT="60"))
        first, second = (f"{server.url}/api/v1/metrics" for server in servers)
        assert [_status(first)[0] for _ in range(60)] == [200] * 60
        status, headers = _status(second)
        assert status == 429
        assert 1 <= int(headers["Retry-After"]) <= 60
        assert _status(first)[0] == 429
    finally:
        for server in servers:
            server.stop()
