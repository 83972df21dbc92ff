"""Every public page is valid HTML5: zero errors from the Nu Html Checker (vnu-jar from npm, run with Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from frameworks.models import Framework, Metric
from frameworks.services import record_measurements
from tests.synthetic import build_catalogue

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
    "search": "/search/?q=flask",
    "search-empty": "/search/?q=",
    "not-found": "/no-such-page/",
    "directory-filtered": "/frameworks/?language=Python&capability=orm&level=built_in&sort=github-stars",
    "directory-no-match": "/frameworks/?capability=gis&level=official",
    "directory-bad-page": "/frameworks/?page=9",
    "directory-bad-filter": "/frameworks/?sort=nope",
    "guides": "/guides/",
    "guides-topic": "/guides/?topic=web",
    "guides-framework": "/guides/?framework=flask",
    "api-docs": "/api/v1/docs/",
}
# Pages that need more than the seed: a second page of frameworks (50 a page) and of guides (20 a page).
PAGED = {
    "directory-page-2": "/frameworks/?page=2",
    "directory-page-2-sorted": "/frameworks/?sort=github-stars&page=2",
    "guides-page-2": "/guides/?page=2",
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
    assert nu_errors(client, PAGES, tmp_path) == []


def test_later_pages_of_the_listings_pass_the_nu_html_checker(client, seeded, tmp_path):
    build_catalogue(80)
    assert {path: client.get(path).status_code for path in PAGED.values()} == dict.fromkeys(PAGED.values(), 200)
    assert nu_errors(client, PAGED, tmp_path) == []


def nu_errors(client, pages: dict[str, str], tmp_path) -> list[str]:
    """The checker's errors on each page as fetched by `client`, one JVM start for all of them."""
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html"), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
