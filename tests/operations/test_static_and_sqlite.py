"""Production static files (hashed, compressed, cached for a year) and SQLite under concurrent writers."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_whitenoise_serves_hashed_compressed_files_with_far_future_caching(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
    client = Client()  # a new handler, so WhiteNoise scans the new STATIC_ROOT
    html = client.get("/frameworks/").content.decode()
    href = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/static/css/site.") and href.count(".") == 2  # site.<hash>.css
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


WRITERS = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from datetime import date, timedelta
    from django.db import connection, transaction
    from frameworks.models import Framework, Measurement, Metric
    fw = Framework.objects.create(name="Busy", slug="busy")
    metric = Metric.objects.create(name="Count", slug="count")
    errors = []
    def write(worker):
        try:
            for i in range(25):
                with transaction.atomic():
                    n = Measurement.objects.filter(framework=fw).count()
                    Measurement.objects.create(framework=fw, metric=metric, value=n,
                        as_of=date(2000, 1, 1) + timedelta(days=worker * 100 + i),
                        source_name="t", source_url="https://example.com/")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print("ROWS", Measurement.objects.count(), "ERRORS", errors)
    """
)


def test_sqlite_concurrent_writers_never_see_database_is_locked(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'busy.sqlite3'}", "DJANGO_SETTINGS_MODULE":
           "compare_site.settings"}
    env.pop("CACHE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=BASE_DIR, env=env, check=True,
                   timeout=120)
    result = subprocess.run([sys.executable, "-c", WRITERS], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert "ROWS 200 ERRORS []" in result.stdout, result.stdout + result.stderr[-2000:]
