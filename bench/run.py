"""`make bench`: every reader page at 100 and at 10,000 frameworks, then under load, in a few minutes.

1. A throwaway SQLite database in a temporary directory gets the seed, then
   the synthetic catalogue of tests/synthetic.py (the one the query-count
   tests use; 20 dated figures a framework), grown to 100 and then to 10,000
   frameworks. At each size every reader page is rendered in-process with
   the page cache off: median wall time of several renders, bytes and
   queries, reported side by side with the ratio 10,000 / 100.
2. The production server runs as `make serve` runs it (gunicorn with
   compare_site/gunicorn.conf.py, DEBUG off, whitenoise) on that database at
   10,000 frameworks; nginx serves the seed guide's exact bytes from disk.
3. wrk (keep-alive, c=64) loads each page and the two references in
   interleaved rounds. Then, for each page, an editor's save (a model save,
   which starts a new page-cache generation) and at once a wrk run on that
   page: the first readers after a save render uncached, and none may get an
   error.

It prints the render table, requests/s, p50, p99 and errors per target, and
checks the acceptance limits. A URL that answers 404 in this tree (such as
/search/ before that branch is merged) is skipped with a notice. Everything
listens on 127.0.0.1 only.
"""

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST = "synthetic-0000"  # the first synthetic framework: the longest adopter and guide lists
FOUR = ["synthetic-0000", "synthetic-0001", "synthetic-0002", "synthetic-0003"]
TYPICAL = ["synthetic-0050", "synthetic-0051"]  # one adopter and one guide or so each, as most frameworks have
# What is measured: (name, path). The static reference's path is read from the seed guide.
PAGES = [
    ("home", "/"),
    ("guide", "/guides/flask-vs-django/"),
    ("guide, every section", "/guides/every-section-synthetic-guide/"),
    ("category", "/categories/synthetic-guides/"),
    ("directory", "/frameworks/"),
    ("directory sorted", "/frameworks/?sort=github-stars"),
    ("directory filtered", "/frameworks/?license=MIT&guide=no&year_from=2001&sort=github-stars"),
    ("framework", f"/frameworks/{FIRST}/"),
    ("framework, typical", f"/frameworks/{TYPICAL[0]}/"),
    ("adopters", f"/frameworks/{FIRST}/adopters/"),
    ("compare-2", f"/compare/{'-vs-'.join(FOUR[:2])}/"),
    ("compare-4", f"/compare/{'-vs-'.join(FOUR)}/"),
    ("compare-2, typical", f"/compare/{'-vs-'.join(TYPICAL)}/"),
    ("guides feed", "/feeds/guides.rss"),
    ("figures feed", "/feeds/figures.rss"),
    ("framework feed", f"/feeds/figures/{FIRST}.rss"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap frameworks", "/sitemap-frameworks.xml"),
    ("search", "/search/?q=flask"),
    ("guides index", "/guides/"),
    ("social card, compare-2", f"/cards/compare/{'-vs-'.join(FOUR[:2])}.png"),
    ("embed chart, 4", f"/embed/github-stars/{'-vs-'.join(FOUR)}.svg"),
    ("badge", f"/badge/{FIRST}/github-stars.svg"),
    ("api frameworks", "/api/v1/frameworks?sort=github-stars"),
    ("api framework", f"/api/v1/frameworks/{FIRST}"),
    ("api measurements", "/api/v1/measurements?limit=500"),
    ("api guide", "/api/v1/guides/every-section-synthetic-guide"),
    ("api compare-4", f"/api/v1/compare/{'-vs-'.join(FOUR)}"),
    ("download csv, compare-2", f"/compare/{'-vs-'.join(FOUR[:2])}/figures.csv"),
]
# Pages left out of the load runs, e.g. BENCH_NOT_LOADED="directory,directory sorted" in a tree where a
# page still renders every framework: at c=64 its seconds-long uncached renders starve every other target.
NOT_LOADED = {n.strip() for n in os.environ.get("BENCH_NOT_LOADED", "").split(",") if n.strip()}
GROWS_IN_SIZE = {"sitemap frameworks"}  # lists every framework: the one page allowed to grow with the catalogue
APP_PORT = int(os.environ.get("BENCH_APP_PORT", 8400))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", 8401))
CONCURRENCY = tuple(int(c) for c in os.environ.get("BENCH_CONCURRENCY", "64").split(","))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 2))
DURATION = int(os.environ.get("BENCH_DURATION", 3))  # seconds per wrk run
AFTER_SAVE = int(os.environ.get("BENCH_AFTER_SAVE", 3))  # seconds of wrk right after each save
WARMUP = 2  # seconds of wrk per target before measuring: fills every worker's cache
RENDER_RUNS = int(os.environ.get("BENCH_RENDER_RUNS", 7))
# BENCH_RENDER_ONLY=1: build and render, print that table, skip the server and wrk.
SIZES = (100, 10_000)  # frameworks in all: the seed's two, then synthetic ones (tests/synthetic.py)
ACCEPT = {"Accept-Encoding": "gzip"}  # as every browser sends; wrk sends it to every target

# Acceptance limits (issues 6 and 12).
MIN_RATIO_TO_STATIC = 0.70
MAX_P99_MS_AT_16 = 30.0
MAX_GUIDE_RENDER_MS = 50.0
MAX_GROWTH = 2.0  # render time and bytes, 10,000 against 100 frameworks
MAX_RENDER_MS = {"directory": 100.0, "directory sorted": 100.0, "directory filtered": 100.0, "search": 50.0}  # p50 at 10,000


def log(msg: str) -> None:
    print(msg, flush=True)


# --- the catalogue ---------------------------------------------------------


def setup_django(env: dict) -> None:
    os.environ.update(env)
    # The bench is one client asking thousands of times: the API's per-address limit would answer 429.
    os.environ.setdefault("API_RATE_LIMIT", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "compare_site.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def render_stats(urls: list[tuple[str, str]]) -> dict[str, dict | None]:
    """Each page rendered in-process with the page cache off: median and fastest wall time (ms) of
    RENDER_RUNS renders, median CPU time of this process (ms), bytes (uncompressed) and queries.

    On a machine shared with other work the CPU time shows what the render
    itself costs, the wall time what a reader would have waited. None for a
    page that does not answer 200 (reported).
    """
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    result = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name, url in urls:
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
                response = client.get(url)
            if response.status_code != 200:
                log(f"  render of {name} skipped: {url} answered {response.status_code}")
                result[name] = None
                continue
            wall, cpu = [], []
            for _ in range(RENDER_RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            result[name] = {
                "p50": statistics.median(wall),
                "min": min(wall),
                "cpu": statistics.median(cpu),
                "bytes": len(response.content),
                "queries": len(queries),
            }
    return result


def editor_save() -> None:
    """What an editor's save does to the readers' side: a model save, whose signal starts a new page-cache
    generation (shared with the server through PAGE_CACHE_STAMP)."""
    from frameworks.models import Framework

    framework = Framework.objects.get(slug="flask")
    framework.save()


# --- servers -----------------------------------------------------------------


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def fetch(url: str, **headers) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


def start_app(env: dict, workdir: Path) -> subprocess.Popen:
    """gunicorn as `make serve` runs it (same config file, DEBUG off); migrate and collectstatic are done."""
    out = open(workdir / "serve.log", "w")  # noqa: SIM115 - lives as long as the server
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [str(gunicorn), "-c", "compare_site/gunicorn.conf.py"],
        cwd=ROOT,
        env={**os.environ, **env, "PORT": str(APP_PORT)},
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


NGINX_CONF = """\
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
daemon off;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        default_type "text/html; charset=utf-8";
        add_header Content-Encoding gzip;
        location / {{ try_files /guide.html =404; }}
    }}
}}
"""


def start_nginx(workdir: Path, guide: bytes) -> subprocess.Popen:
    ngx = workdir / "nginx"
    (ngx / "www").mkdir(parents=True)
    (ngx / "www" / "guide.html").write_bytes(guide)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = ngx / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=os.cpu_count() or 1, dir=ngx, port=NGINX_PORT, user=user))
    return subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(ngx), "-e", str(ngx / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- wrk ---------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk_output(url: str, connections: int, seconds: int) -> str:
    return subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = wrk_output(url, connections, seconds)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in percentiles:
        raise SystemExit(f"wrk gave no latency for {url}:\n{out}")
    kinds = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", out)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    kinds["non-2xx/3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    errors = sum(kinds.values())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": errors,
        "error_kinds": ", ".join(f"{kind} {n}" for kind, n in kinds.items() if n),  # wrk times out at 2 s
    }


def run_load(targets: list[tuple[str, str]]) -> dict[tuple[str, int], list[dict]]:
    results: dict[tuple[str, int], list[dict]] = {}
    for _, url in targets:
        wrk_output(url, max(CONCURRENCY), WARMUP)
    for r in range(ROUNDS):
        order = targets[r % len(targets) :] + targets[: r % len(targets)]  # rotate so no target always goes first
        for c in CONCURRENCY:
            for name, url in order:
                results.setdefault((name, c), []).append(wrk(url, c, DURATION))
        log(f"  round {r + 1}/{ROUNDS} done")
    return results


def summarise(key: tuple[str, int], all_runs: dict, refs: list[tuple[str, str]]) -> dict:
    """Medians over the rounds. Ratios are taken round by round, between runs
    made seconds apart, so that a burst of other work on the machine moves
    both sides of a ratio alike."""
    runs = all_runs[key]
    ratios = {}
    for ref, _ in refs:
        ref_runs = all_runs[(ref, key[1])]
        # A reference starved by a page still rendering (0 req/s) gives no ratio for that round.
        per_round = [r["rps"] / q["rps"] for r, q in zip(runs, ref_runs, strict=True) if q["rps"]]
        ratios[ref] = statistics.median(per_round) if per_round else float("nan")
    return {
        "ratio": ratios,
        "rps": statistics.median(x["rps"] for x in runs),
        "p50": statistics.median(x["p50"] for x in runs),
        "p99": statistics.median(x["p99"] for x in runs),
        "p99_worst": max(x["p99"] for x in runs),
        "errors": sum(x["errors"] for x in runs),
    }


# --- main --------------------------------------------------------------------


def main() -> int:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            log(f"{tool} is missing: apt-get install wrk nginx-light")
            return 2
    workdir = Path(tempfile.mkdtemp(prefix="compare-bench-"))
    os.chmod(workdir, 0o755)
    env = {
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "false",
        # BENCH_DATABASE_URL: a scratch database instead (e.g. PostgreSQL), flushed first.
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "PAGE_CACHE_STAMP": str(workdir / "content-generation"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as `make serve`
        "LOG_LEVEL": "WARNING",
    }
    started = time.monotonic()
    app = nginx = None
    try:
        log(f"bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, work dir {workdir}")
        setup_django(env)
        from django.core.management import call_command

        from tests.synthetic import build_catalogue

        call_command("migrate", verbosity=0)
        if os.environ.get("BENCH_DATABASE_URL"):
            call_command("flush", interactive=False, verbosity=0)
        call_command("seed", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        renders = {}
        for size in SIZES:
            built = time.monotonic()
            build_catalogue(size)  # grows the same catalogue: 20 dated figures per framework (5 metrics x 4 dates)
            log(f"  catalogue of {size:,} frameworks built in {time.monotonic() - built:.1f}s")
            renders[size] = render_stats(PAGES)
            log(f"  rendered at {size:,} frameworks")
        report_renders(renders)  # now, so that it is there even if the load runs fail
        if os.environ.get("BENCH_RENDER_ONLY"):  # the table alone, no server: a quick look while working
            return 0

        app = start_app(env, workdir)
        base = f"http://127.0.0.1:{APP_PORT}"
        wait_for(base + "/")
        present = []
        for name, path in PAGES:
            if name in NOT_LOADED:
                log(f"  not loaded: {name} (BENCH_NOT_LOADED)")
                continue
            status, _ = fetch(base + path)
            if status == 404:
                log(f"  skipped {name}: {path} answers 404 in this tree")
            elif status != 200:
                raise SystemExit(f"{path} answered {status}")
            else:
                present.append((name, base + path))
        guide_path = dict(PAGES)["guide"]
        _, guide = fetch(base + guide_path)
        css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', guide).group(1).decode()
        _, guide = fetch(base + guide_path, **ACCEPT)  # the bytes a browser receives
        nginx = start_nginx(workdir, guide)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/")
        refs = [("whitenoise static", base + css), ("nginx (guide bytes)", f"http://127.0.0.1:{NGINX_PORT}/")]
        log(f"  load: {len(present) + 2} targets x c={CONCURRENCY} x {ROUNDS} rounds of {DURATION}s")
        runs = run_load(present + refs)
        results = {key: summarise(key, runs, refs) for key in runs}
        log(f"  after a save: {len(present)} pages x {AFTER_SAVE}s at c={max(CONCURRENCY)}")
        after_save = {}
        for name, url in present:
            editor_save()
            after_save[name] = wrk(url, max(CONCURRENCY), AFTER_SAVE)
        report(present, refs, results, renders, after_save, len(guide), time.monotonic() - started)
        return 0 if check(present, results, renders, after_save) else 1
    finally:
        stop(nginx)
        stop(app)
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _growth(renders, name: str, key: str) -> float | None:
    small, large = renders[SIZES[0]][name], renders[SIZES[-1]][name]
    if not small or not large or not small[key]:
        return None
    return large[key] / small[key]


def report_renders(renders) -> None:
    small, large = SIZES[0], SIZES[-1]
    log("")
    log(f"Uncached render, in-process, page cache off: median wall of {RENDER_RUNS} renders (fastest; median CPU), ms;")
    log("uncompressed bytes; queries. x = 10,000 / 100.")
    log("")
    log(
        f"| page | ms at {small:,} | ms at {large:,} | x | KB at {small:,} | KB at {large:,} | x "
        f"| queries at {small:,} | queries at {large:,} |"
    )
    log("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, _ in PAGES:
        a, b = renders[small][name], renders[large][name]
        if not a or not b:
            log(f"| {name} | not rendered (404 in this tree) | | | | | | | |")
            continue
        log(
            f"| {name} | {a['p50']:.1f} ({a['min']:.1f}; {a['cpu']:.1f}) "
            f"| {b['p50']:.1f} ({b['min']:.1f}; {b['cpu']:.1f}) "
            f"| {_growth(renders, name, 'p50'):.2f} | {a['bytes'] / 1024:,.1f} | {b['bytes'] / 1024:,.1f} "
            f"| {_growth(renders, name, 'bytes'):.2f} | {a['queries']} | {b['queries']} |"
        )


def report(present, refs, results, renders, after_save, guide_bytes, elapsed) -> None:
    large = SIZES[-1]
    log("")
    log(
        f"Load at {large:,} frameworks (gunicorn as `make serve`; wrk, keep-alive, Accept-Encoding: gzip; median of "
        f"{ROUNDS} interleaved {DURATION}s rounds; the seed guide is {guide_bytes:,} bytes gzipped)"
    )
    log("")
    log("| target | c | req/s | p50 ms | p99 ms (worst) | errors | vs whitenoise | vs nginx |")
    log("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in CONCURRENCY:
        for name, _ in present + refs:
            r = results[(name, c)]
            static, limit = (r["ratio"][ref] for ref, _ in refs)
            log(
                f"| {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} ({r['p99_worst']:.2f}) "
                f"| {r['errors']} | {static:.0%} | {limit:.0%} |"
            )
    log("")
    log("Ratios are medians of per-round ratios (page / reference in the same round).")
    log("")
    log(f"Right after an editor's save (a new page-cache generation): {AFTER_SAVE}s of wrk at c={max(CONCURRENCY)}")
    log("")
    log("| page | req/s | p50 ms | p99 ms | errors |")
    log("|---|---:|---:|---:|---:|")
    for name, _ in present:
        r = after_save[name]
        log(f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} {r['error_kinds']} |")
    log("")
    log(
        f"bench took {elapsed:.0f}s; load average at the end {os.getloadavg()[0]:.2f} (other processes share the cores)"
    )


def check(present, results, renders, after_save) -> bool:
    ok = True
    small, large = SIZES[0], SIZES[-1]
    for name, _ in PAGES:
        a, b = renders[small][name], renders[large][name]
        if not a or not b:
            continue
        if a["queries"] != b["queries"]:
            log(f"FAIL {name}: {a['queries']} queries at {small:,} frameworks, {b['queries']} at {large:,}")
            ok = False
        if _growth(renders, name, "p50") > MAX_GROWTH:
            log(f"FAIL {name}: render time grows {_growth(renders, name, 'p50'):.1f}x (> {MAX_GROWTH:.0f}x)")
            ok = False
        if name not in GROWS_IN_SIZE and _growth(renders, name, "bytes") > MAX_GROWTH:
            log(f"FAIL {name}: size grows {_growth(renders, name, 'bytes'):.1f}x (> {MAX_GROWTH:.0f}x)")
            ok = False
        if name in MAX_RENDER_MS and b["p50"] >= MAX_RENDER_MS[name]:
            log(f"FAIL {name}: {b['p50']:.0f} ms at {large:,} frameworks (p50 >= {MAX_RENDER_MS[name]:.0f})")
            ok = False
    for name, _ in present:
        for c in CONCURRENCY:
            r = results[(name, c)]
            ratio = r["ratio"]["whitenoise static"]
            if ratio < MIN_RATIO_TO_STATIC:
                log(f"FAIL {name} c={c}: {ratio:.0%} of whitenoise (< {MIN_RATIO_TO_STATIC:.0%})")
                ok = False
            if r["errors"]:
                log(f"FAIL {name} c={c}: {r['errors']} errors")
                ok = False
        if after_save[name]["errors"]:
            log(f"FAIL {name} right after a save: {after_save[name]['errors']} errors")
            ok = False
        if 16 in CONCURRENCY and results[(name, 16)]["p99"] >= MAX_P99_MS_AT_16:
            log(f"FAIL {name}: p99 {results[(name, 16)]['p99']:.1f} ms at c=16 (>= {MAX_P99_MS_AT_16:.0f})")
            ok = False
    guide = renders[large]["guide"]
    if guide is None or guide["p50"] >= MAX_GUIDE_RENDER_MS:
        log(f"FAIL uncached guide at {large:,} frameworks: {guide} (median wall >= {MAX_GUIDE_RENDER_MS:.0f} ms)")
        ok = False
    log("PASS: every acceptance limit met" if ok else "Some limits were missed (see FAIL lines).")
    return ok


if __name__ == "__main__":
    sys.exit(main())
