"""`make bench`: cached public pages against the machine's limit, in one run.

1. A throwaway database in a temporary directory gets the seed, then the
   synthetic catalogue of tests/synthetic.py, the one the query-count tests
   use: the uncached render time of each page is measured in-process at 10
   and at 1,000 frameworks (median of several renders, page cache off).
2. `make serve` starts the production server (gunicorn, DEBUG off,
   whitenoise) on that database; nginx serves the guide's exact bytes from
   disk on its own port.
3. wrk (keep-alive) loads each page and the two references, first a
   warm-up, then interleaved rounds so that drift in the machine touches all
   of them alike: every target once per round, at each concurrency.

It prints requests/s, p50, p99 and errors per target, each page's
throughput as a ratio of whitenoise's static file and of nginx, and checks
the acceptance limits. URLs that answer 404 in this tree are skipped with a
notice. Everything listens on 127.0.0.1 only.
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

# What is measured: (name, path). The static reference's path is read from the guide.
PAGES = [
    ("guide", "/guides/flask-vs-django/"),
    ("framework", "/frameworks/django/"),
    ("compare", "/compare/django-vs-flask/"),
    ("directory", "/frameworks/"),
    ("feed", "/feeds/guides.rss"),
    ("sitemap", "/sitemap.xml"),
]
APP_PORT = int(os.environ.get("BENCH_APP_PORT", 8400))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", 8401))
CONCURRENCY = (16, 64)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 8))
DURATION = int(os.environ.get("BENCH_DURATION", 3))  # seconds per wrk run
WARMUP = 3  # seconds of wrk per target before measuring: fills every worker's cache
RENDER_RUNS = int(os.environ.get("BENCH_RENDER_RUNS", 11))
SIZES = (10, 1000)  # frameworks in all: the seed's two, then synthetic ones (tests/synthetic.py)
ACCEPT = {"Accept-Encoding": "gzip"}  # as every browser sends; wrk sends it to every target

# Acceptance limits (issue 6).
MIN_RATIO_TO_STATIC = 0.70
MAX_P99_MS_AT_16 = 30.0
MAX_GUIDE_RENDER_MS = 50.0


def log(msg: str) -> None:
    print(msg, flush=True)


# --- the catalogue ---------------------------------------------------------


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "compare_site.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def render_times(urls: list[tuple[str, str]]) -> dict[str, tuple[float, float, float] | None]:
    """Milliseconds to render each page in-process with the page cache off.

    (median wall time, fastest wall time, median CPU time of this process):
    on a machine shared with other work the CPU time shows what the render
    itself costs, the wall time what a reader would have waited.
    """
    from django.test import Client, override_settings

    client = Client()
    result = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name, url in urls:
            status = client.get(url).status_code
            if status != 200:
                log(f"  render of {name} skipped: {url} answered {status}")
                result[name] = None
                continue
            wall, cpu = [], []
            for _ in range(RENDER_RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            result[name] = (statistics.median(wall), min(wall), statistics.median(cpu))
    return result


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
    out = open(workdir / "serve.log", "w")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={APP_PORT}"],
        cwd=ROOT,
        env={**os.environ, **env},
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
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": errors,
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
        ratios[ref] = statistics.median(r["rps"] / q["rps"] for r, q in zip(runs, ref_runs, strict=True))
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
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
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
        call_command("seed", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        renders = {}
        for size in SIZES:
            build_catalogue(size)  # grows the same catalogue: 50 dated figures per framework (5 metrics x 10 dates)
            renders[size] = render_times(PAGES)
            log(f"  rendered at {size} frameworks")

        app = start_app(env, workdir)
        base = f"http://127.0.0.1:{APP_PORT}"
        wait_for(base + "/")
        present = []
        for name, path in PAGES:
            status, _ = fetch(base + path)
            if status == 404:
                log(f"  skipped {name}: {path} answers 404 in this tree")
            elif status != 200:
                raise SystemExit(f"{path} answered {status}")
            else:
                present.append((name, base + path))
        _, guide = fetch(base + PAGES[0][1])
        css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', guide).group(1).decode()
        _, guide = fetch(base + PAGES[0][1], **ACCEPT)  # the bytes a browser receives
        nginx = start_nginx(workdir, guide)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/")
        refs = [("whitenoise static", base + css), ("nginx (guide bytes)", f"http://127.0.0.1:{NGINX_PORT}/")]
        log(f"  load: {len(present) + 2} targets x c={CONCURRENCY} x {ROUNDS} rounds of {DURATION}s")
        runs = run_load(present + refs)
        results = {key: summarise(key, runs, refs) for key in runs}
        report(present, refs, results, renders, len(guide), time.monotonic() - started)
        return 0 if check(present, results, renders) else 1
    finally:
        stop(nginx)
        stop(app)
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(present, refs, results, renders, guide_bytes, elapsed) -> None:
    log("")
    log(
        f"Load (wrk, keep-alive, Accept-Encoding: gzip, median of {ROUNDS} interleaved {DURATION}s rounds; "
        f"the guide is {guide_bytes:,} bytes gzipped)"
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
    log(f"Uncached render, in-process, page cache off, {RENDER_RUNS} renders: median wall (fastest; median CPU), ms")
    log("")
    log("| page | " + " | ".join(f"{n:,} frameworks" for n in SIZES) + " |")
    log("|---|" + "---:|" * len(SIZES))
    for name, _ in PAGES:
        cells = ["{:.1f} ({:.1f}; {:.1f})".format(*renders[n][name]) if renders[n][name] else "not rendered" for n in SIZES]
        log(f"| {name} | " + " | ".join(cells) + " |")
    log("")
    log(
        f"bench took {elapsed:.0f}s; load average at the end {os.getloadavg()[0]:.2f} (other processes share the cores)"
    )


def check(present, results, renders) -> bool:
    ok = True
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
        if results[(name, 16)]["p99"] >= MAX_P99_MS_AT_16:
            log(f"FAIL {name}: p99 {results[(name, 16)]['p99']:.1f} ms at c=16 (>= {MAX_P99_MS_AT_16:.0f})")
            ok = False
    for ref in ("whitenoise static", "nginx (guide bytes)"):
        if results[(ref, 16)]["p99"] >= MAX_P99_MS_AT_16:
            log(
                f"note: the {ref} reference itself has p99 {results[(ref, 16)]['p99']:.1f} ms at c=16: "
                "the tail measures the machine's other work as much as the pages"
            )
    guide = renders[max(SIZES)]["guide"]
    if guide is None or guide[0] >= MAX_GUIDE_RENDER_MS:
        log(f"FAIL uncached guide at {max(SIZES):,} frameworks: {guide} ms (median wall >= {MAX_GUIDE_RENDER_MS:.0f})")
        ok = False
    log("PASS: every acceptance limit met" if ok else "Some limits were missed (see FAIL lines).")
    return ok


if __name__ == "__main__":
    sys.exit(main())
