"""Fixtures the browser tests share. A module that needs another scope (test_reader's module-wide
browser beside its live server) defines its own, which takes precedence."""

import os

import pytest

from tests.browser.chromium import launch


@pytest.fixture
def browser():
    """Debian's chromium for one test, through Playwright; skipped where it is not installed."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
