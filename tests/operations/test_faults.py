"""Faults: an unreachable database gives readers a styled 503 and /healthz names what fails."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as it does when the server is stopped or unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def test_healthz_answers_200_when_database_and_cache_answer(reader):
    response = reader.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_database_when_it_is_down(reader, database_down):
    response = reader.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "failing: OperationalError", "cache": "ok"},
    }


def test_healthz_names_the_cache_when_it_is_down(reader, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", broken)
    response = reader.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing: ConnectionError"}


@pytest.mark.parametrize("path", ["/guides/flask-vs-django/", "/", "/frameworks/", "/frameworks/django/"])
def test_readers_get_a_styled_503_without_traceback(seeded, reader, database_down, path):
    response = reader.get(path)
    assert response.status_code == 503
    html = response.content.decode()
    assert "We will be back in a moment" in html
    assert 'rel="stylesheet"' in html
    assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_other_errors_stay_500(reader, monkeypatch, seeded):
    from articles.models import ArticleQuerySet

    def broken(self):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(ArticleQuerySet, "published", broken)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_sqlite_is_configured_for_concurrent_writers(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_postgres_keeps_connections_and_checks_them(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("PostgreSQL only")
    assert db["CONN_MAX_AGE"] > 0
    assert db["CONN_HEALTH_CHECKS"] is True


def test_healthz_is_not_redirected_to_https(reader, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert reader.get("/").status_code == 301
    assert reader.get(reverse("healthz")).status_code == 200
