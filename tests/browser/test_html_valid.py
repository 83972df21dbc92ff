"""Every public page is valid HTML5: zero errors from the Nu Html Checker (vnu-jar from npm, run with Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from frameworks.models import Framework, Metric
from frameworks.services import record_measurements

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGES = {
    "home": "/",
    "guide": "/guides/flask-vs-django/",
    "directory": "/frameworks/",
    "directory-sorted": "/frameworks/?sort=github-stars",
    "framework-flask": "/frameworks/flask/",
    "framework-django": "/frameworks/django/",
    "compare": "/compare/django-vs-flask/",
    "category": "/categories/web/",
    "adopters": "/frameworks/django/adopters/",
    "adopters-out-of-range": "/frameworks/django/adopters/?page=9",
    "picker-error": "/compare/?fw=flask",
    "not-found": "/no-such-page/",
}


def test_every_public_page_passes_the_nu_html_checker(client, seeded, tmp_path):
    assert VNU.exists(), "vnu-jar is missing: run `npm ci` at the repository root."
    assert shutil.which("java"), "Java is needed to run the Nu Html Checker."
    # A second date, so the pages also render history lines.
    record_measurements(
        framework=Framework.objects.get(slug="flask"),
        values={Metric.objects.get(slug="github-stars"): 46120},
        as_of="2019-09-15",
        source_name="GitHub",
        source_url="https://github.com/pallets/flask",
    )
    files = []
    for name, path in PAGES.items():
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html"), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    # One JVM start for all pages keeps this to a few seconds.
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
