"""A collection run over 1,000 frameworks against a local fake of the four APIs: time and invalidations.

    .venv/bin/python bench/collect.py [FRAMEWORKS]

A throwaway SQLite database gets the seed and the synthetic catalogue of
tests/synthetic.py (each framework with dated figures), every framework an
identifier for each source, and the fake API server of tests/collectors
answers every call in the APIs' documented shapes on 127.0.0.1. It prints
the run's wall time, the time per framework and per call, the queries, and
how many times cached pages were invalidated. Nothing leaves the machine.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(size: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="compare-site-collect-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="compare_site.settings",
        SECRET_KEY="bench-only",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        PAGE_CACHE_STAMP=str(tmp / "generation"),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frameworks.collectors import http
    from frameworks.models import CollectionRun, Framework, Measurement
    from pagecache import generation
    from tests.collectors import fakeapi
    from tests.synthetic import build_catalogue

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    build_catalogue(size, dates=3)
    frameworks = list(Framework.objects.order_by("pk"))
    for fw in frameworks:
        fw.github_repo, fw.pypi_package, fw.stackoverflow_tag = f"owner/{fw.slug}", fw.slug, fw.slug[:35]
    Framework.objects.bulk_update(frameworks, ["github_repo", "pypi_package", "stackoverflow_tag"])

    # Each API answers 1 % above the framework's current figure, as a day of growth would: the run
    # records them. A framework with no figure yet gets the fake's defaults (its first figures).
    current = {(m.framework_id, m.metric.slug): m.value
               for m in Measurement.objects.current().select_related("metric")}

    def grown(fw, slug, default):
        value = current.get((fw.pk, slug))
        return int(value * 101 / 100) if value is not None else default

    api = fakeapi.FakeAPI().start()
    for fw in frameworks:
        repo = fakeapi.github_repo(
            f"owner/{fw.slug}", stars=grown(fw, "github-stars", 1000), forks=grown(fw, "github-forks", 100),
            watchers=grown(fw, "github-watchers", 50), open_issues=grown(fw, "github-open-issues", 10),
        )
        api.script(f"/github/repos/owner/{fw.slug}", fakeapi.Reply(body=repo))
        api.script(f"/pypi-org/pypi/{fw.slug}/json", fakeapi.Reply(body=fakeapi.pypi_project(fw.slug)))
        downloads = fakeapi.pypistats_recent(fw.slug, last_month=grown(fw, "pypi-downloads-last-month", 5000))
        api.script(f"/pypistats/api/packages/{fw.slug}/recent", fakeapi.Reply(body=downloads))
        tag = fakeapi.stackexchange_tag(fw.slug[:35], grown(fw, "stack-overflow-questions", 100))
        api.script(f"/stackexchange/2.3/tags/{fw.slug[:35]}/info",
                   fakeapi.Reply(body=fakeapi.stackexchange_tags(tag), gzip=True))
    settings.GITHUB_API_URL = f"{api.url}/github"
    settings.PYPI_URL = f"{api.url}/pypi-org"
    settings.PYPISTATS_URL = f"{api.url}/pypistats"
    settings.STACKEXCHANGE_API_URL = f"{api.url}/stackexchange"
    for name in [n for n in os.environ if n.lower() in ("http_proxy", "https_proxy", "all_proxy")]:
        del os.environ[name]
    http._opener.cache_clear()

    bumps = []
    real_bump = generation.bump
    generation.bump = lambda *a, **k: (bumps.append(1), real_bump(*a, **k))[1]
    before = Measurement.objects.count()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call_command("collect_figures", "--wait", verbosity=0)
        elapsed = time.perf_counter() - started
    api.stop()
    run = CollectionRun.objects.first()
    calls = len(api.requests)
    print(f"frameworks:                {len(frameworks):,}")
    print(f"calls to the fake APIs:    {calls:,}")
    print(f"run status:                {run.status} ({run.checked:,} checked, {run.recorded:,} recorded, "
          f"{run.queued_for_review:,} for review, {run.failed:,} failed)")
    print(f"new measurements:          {Measurement.objects.count() - before:,}")
    print(f"wall time:                 {elapsed:.1f} s")
    print(f"per framework:             {elapsed / len(frameworks) * 1000:.1f} ms")
    print(f"per API call:              {elapsed / max(calls, 1) * 1000:.1f} ms")
    print(f"queries:                   {len(queries):,}")
    print(f"page-cache invalidations:  {len(bumps)} (one per batch of 100 frameworks that recorded figures)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
