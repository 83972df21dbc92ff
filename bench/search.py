"""Uncached render time of the search page at 100 and 10,000 frameworks: `python bench/search.py`.

A throwaway SQLite database in a temporary directory (or the database in
BENCH_DATABASE_URL, e.g. a scratch PostgreSQL: it is flushed first) gets the
seed, then tests/synthetic.py's catalogue, and the search index is rebuilt
(synthetic builds are bulk inserts, which send no signals). Each query is
rendered in-process by the test Client with the page cache off, RUNS times;
p50 and p95 of the wall time are printed. The target is p50 < 50 ms at 10,000.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["flask", "djan", "synthetic 0042", "framework", "synthetic", "djangoo"]
SIZES = (100, 10_000)
RUNS = int(os.environ.get("BENCH_RENDER_RUNS", 21))
TARGET_P50_MS = 50.0


def setup() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="compare-search-bench-"))
    os.environ.update(
        {
            "SECRET_KEY": "bench-only-not-secret",
            "DEBUG": "false",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "PAGE_CACHE_ENABLED": "false",
            "PAGE_CACHE_STAMP": str(workdir / "content-generation"),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DJANGO_SETTINGS_MODULE": "compare_site.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure(client, url: str) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, status) of RUNS renders of `url`, after one warm-up."""
    status = client.get(url).status_code
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], status


def main() -> int:
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils.http import urlencode

    from search import indexing
    from tests.synthetic import build_catalogue

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    client = Client()
    slow = []
    print(f"search render times on {connection.vendor}, {RUNS} runs each, page cache off")
    for size in SIZES:
        build_catalogue(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would soon after the bulk inserts
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        entries = indexing.rebuild()
        print(f"\n{size:,} frameworks ({entries:,} entries, index rebuilt in {time.perf_counter() - started:.1f} s)")
        print(f"  {'query':<18} {'p50 ms':>8} {'p95 ms':>8}  status")
        for q in QUERIES:
            p50, p95, status = measure(client, "/search/?" + urlencode({"q": q}))
            print(f"  {q:<18} {p50:8.1f} {p95:8.1f}  {status}")
            if size == SIZES[-1] and p50 >= TARGET_P50_MS:
                slow.append(q)
        for q in ("dj", "synthetic 00"):
            p50, p95, status = measure(client, "/search/suggest.json?" + urlencode({"q": q, "with": "flask"}))
            print(f"  suggest {q:<10} {p50:8.1f} {p95:8.1f}  {status}")
    if slow:
        print(f"\nOver the {TARGET_P50_MS:.0f} ms p50 target at {SIZES[-1]:,}: {', '.join(slow)}")
        return 1
    print(f"\nEvery query under the {TARGET_P50_MS:.0f} ms p50 target at {SIZES[-1]:,} frameworks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
