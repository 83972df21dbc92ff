"""The page cache on Redis, as several app servers share it (skipped without redis-server)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pagecache import generation
from tests.factories import make_framework

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def _free_port() -> int:
    for port in range(8450, 8500):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 8450-8499")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def on_redis(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    generation.page_cache().clear()


def _queries(client, url) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, len(queries)


def test_two_app_servers_share_pages_and_invalidation(seeded, on_redis):
    first_server, second_server = Client(), Client()
    for server in (first_server, second_server):
        server.get(reverse("articles:home"))  # a server starting begins a new generation
    directory = reverse("frameworks:list")
    page, queries = _queries(first_server, directory)
    assert queries > 0
    assert _queries(second_server, directory) == (page, 0)  # rendered once, served to both
    make_framework(name="Saved through the first server")
    assert generation.page_cache().get(generation.CACHE_KEY)
    assert b"Saved through the first server" in _queries(second_server, directory)[0]
