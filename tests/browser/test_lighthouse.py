"""Lighthouse (mobile preset) on a guide, a framework page and a compare page: 100 in all four categories.

Runs scripts/lighthouse.sh, which serves the site production-like from a
throwaway database, audits each page in its own Chrome and measures a page
once more when only its performance score fell short (performance is
measured on this machine, and a busy moment can cost a point; accessibility,
best practices and SEO do not vary with load). `make lighthouse` runs the
desktop preset too.
"""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

ROOT = Path(settings.BASE_DIR)
PAGES = ["/guides/flask-vs-django/", "/frameworks/flask/", "/compare/django-vs-flask/"]


def test_guide_framework_and_compare_pages_score_100_on_mobile():
    assert (ROOT / "node_modules" / ".bin" / "lighthouse").exists(), "Run `npm ci` at the repository root."
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "STATIC_ROOT", "STATICFILES_BACKEND"}}
    env.update(LIGHTHOUSE_PRESETS="mobile", LIGHTHOUSE_PORT=os.environ.get("LIGHTHOUSE_PORT", "8191"))
    result = subprocess.run(
        [str(ROOT / "scripts" / "lighthouse.sh"), *PAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=360,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for page in PAGES:
        assert f"mobile {page}: performance 100, accessibility 100, best-practices 100, seo 100" in result.stdout
