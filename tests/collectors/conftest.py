"""The fake API server, and settings that point every collector source at it."""

import os

import pytest

from frameworks.collectors import http

from .fakeapi import FakeAPI


@pytest.fixture
def fake_api(settings, monkeypatch):
    """A running FakeAPI; each source's base URL is a prefix on it (``/github``, ``/pypi`` …)."""
    api = FakeAPI().start()
    settings.GITHUB_API_URL = f"{api.url}/github"
    settings.PYPI_URL = f"{api.url}/pypi-org"
    settings.PYPISTATS_URL = f"{api.url}/pypistats"
    settings.STACKEXCHANGE_API_URL = f"{api.url}/stackexchange"
    settings.GITHUB_TOKEN = None
    settings.STACKEXCHANGE_KEY = None
    settings.COLLECTOR_TIMEOUT = 5
    settings.COLLECTOR_RETRIES = 2
    settings.COLLECTOR_BACKOFF = 0
    # A proxy from the environment must not see requests to 127.0.0.1.
    proxies = [name for name in os.environ if name.lower() in ("http_proxy", "https_proxy", "all_proxy")]
    for name in proxies:
        monkeypatch.delenv(name)
    if proxies:
        http._opener.cache_clear()  # the opener reads proxies when it is built
    sleeps = []
    monkeypatch.setattr(http, "sleep", sleeps.append)
    api.sleeps = sleeps
    yield api
    api.stop()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the database worker until the queue is empty, as ``make worker`` would, inside the test.

    Between tasks the worker closes stale connections, as a long-running worker should. Inside a
    test's transaction that would close the test's own connection on PostgreSQL, so here it keeps it.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
