#!/usr/bin/env python3
"""Load with faults: wrk against `make serve` while an editor saves figures in the admin.

    .venv/bin/python scripts/loadtest.py [--port 8350] [--duration 30] [--connections 64] [URL_PATH ...]

Serves a throwaway copy of the database (db.sqlite3 if present, else a fresh
migrated and seeded one) with `make serve` on 127.0.0.1:PORT, as production
does (DEBUG off, HTTPS enforced: wrk and the editor send X-Forwarded-Proto:
https as the TLS proxy would). For each page (default: the seed guide, a
framework page, and the guide feed if the site has one, else the directory)
it runs `wrk -c CONNECTIONS -d DURATION`. Throughout, an editor logged in to
the admin records a new figure every second through the Measurement add form.
Afterwards every figure the admin acknowledged must be in the database, and
wrk must have seen no error. Prints the figures; exits 1 on any error.
Needs wrk (apt-get install wrk). Talks to 127.0.0.1 only.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Browser:
    """A minimal cookie-keeping HTTP client for one host (the editor)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(PROXY_HEADERS)
        headers["Origin"] = f"https://127.0.0.1:{self.port}"
        headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def csrf_from(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def manage(env, *args) -> str:
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def prepare_database(workdir: Path, env: dict) -> None:
    source = ROOT / "db.sqlite3"
    if source.exists():
        src, dst = sqlite3.connect(source), sqlite3.connect(workdir / "db.sqlite3")
        src.backup(dst)
        src.close()
        dst.close()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed", "--if-empty", "-v", "0")


def wait_until_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers=PROXY_HEADERS)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("make serve did not come up")


class Editor(threading.Thread):
    """Logs in to the admin, then records one figure a second until stopped."""

    def __init__(self, port, admin, username, password, framework_id, metric_id):
        super().__init__(daemon=True)
        self.browser = Browser(port)
        self.admin, self.username, self.password = admin, username, password
        self.framework_id, self.metric_id = framework_id, metric_id
        self.stop = threading.Event()
        self.saved: list[tuple[str, str]] = []
        self.failures: list[str] = []
        self.latencies: list[float] = []
        self.attempted = 0

    def login(self) -> None:
        login = f"/{self.admin}login/"
        status, _, html = self.browser.request("GET", login)
        form = {"csrfmiddlewaretoken": self.browser.csrf_from(html), "username": self.username,
                "password": self.password, "next": f"/{self.admin}"}
        status, _, html = self.browser.request("POST", login, form)
        if status != 302:
            raise SystemExit(f"editor login failed: {status}")

    def save_one(self, n: int) -> None:
        add = f"/{self.admin}frameworks/measurement/add/"
        as_of = (date.today() - timedelta(days=n)).isoformat()
        value = str(500000 + n)
        started = time.monotonic()
        try:
            status, _, html = self.browser.request("GET", add)
            form = {"csrfmiddlewaretoken": self.browser.csrf_from(html), "framework": self.framework_id,
                    "metric": self.metric_id, "value": value, "as_of": as_of, "source_name": "Load test",
                    "source_url": "https://example.com/load", "note": ""}
            status, _, html = self.browser.request("POST", add, form)
            if status == 302:
                self.saved.append((as_of, value))
            else:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
                self.failures.append(f"{as_of}: HTTP {status} {errors[:1]}")
        except Exception as exc:  # a failed save is a result to report, not a crash
            self.failures.append(f"{as_of}: {exc!r}")
        self.latencies.append(time.monotonic() - started)

    def run(self) -> None:
        """One save starts every second, whether or not the previous one has finished."""
        savers = []
        n = 0
        while not self.stop.wait(0 if n == 0 else 1.0):
            saver = threading.Thread(target=self.save_one, args=(n,), daemon=True)
            saver.start()
            savers.append(saver)
            n += 1
        for saver in savers:
            saver.join(timeout=60)
        self.attempted = n


def run_wrk(port, path, connections, duration, threads) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", "-H",
           "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    def find(pattern, default="0"):
        m = re.search(pattern, out)
        return m.group(1) if m else default
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "path": path,
        "requests": int(find(r"(\d+) requests in")),
        "rps": float(find(r"Requests/sec:\s+([\d.]+)")),
        "p50": find(r"50%\s+(\S+)"),
        "p99": find(r"99%\s+(\S+)"),
        "non_2xx_3xx": int(find(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
        "raw": out,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--port", type=int, default=8350)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="compare_site-load-"))
    admin = f"editors-{secrets.token_hex(4)}/"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "ADMIN_URL": admin,
        "SECURE_SSL_REDIRECT": "true",
        "PORT": str(args.port),
        "LOG_LEVEL": "WARNING",
    }
    prepare_database(workdir, env)
    password = secrets.token_urlsafe(16)
    username = "loadtest-editor"
    ids = manage(env, "shell", "-c", (
        "from django.contrib.auth import get_user_model as g\n"
        f"g().objects.create_superuser({username!r}, '', {password!r})\n"
        "from frameworks.models import Framework, Metric\n"
        "print('IDS', Framework.objects.get(slug='django').pk, Metric.objects.get(slug='github-stars').pk)\n"
    ))
    ids = re.search(r"^IDS (\d+) (\d+)$", ids, re.M).groups()
    feed = subprocess.run([str(PYTHON), "manage.py", "shell", "-v", "0", "-c",
                           "from django.urls import reverse\ntry:\n print(reverse('feeds:guides-rss'))\n"
                           "except Exception:\n print('')"], cwd=ROOT, env=env, capture_output=True,
                          text=True).stdout.strip()
    paths = args.paths or ["/guides/flask-vs-django/", "/frameworks/django/", feed or "/frameworks/"]

    server = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=ROOT, env=env,
                              stdout=open(workdir / "serve.log", "w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    results, editor = [], None
    try:
        wait_until_up(args.port, time.time() + 120)
        editor = Editor(args.port, admin, username, password, *ids)
        editor.login()
        editor.start()
        for path in paths:
            results.append(run_wrk(args.port, path, args.connections, args.duration, args.threads))
        editor.stop.set()
        editor.join(timeout=90)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    db = sqlite3.connect(workdir / "db.sqlite3")
    stored = {(a, str(int(v))) for a, v in db.execute(
        "SELECT as_of, value FROM frameworks_measurement WHERE framework_id = ? AND metric_id = ? "
        "AND source_name = 'Load test'", ids)}
    db.close()
    missing = [s for s in editor.saved if s not in stored]

    cores = os.cpu_count()
    print(f"make serve on 127.0.0.1:{args.port} ({cores} cores), wrk -c{args.connections} -d{args.duration}s "
          f"-t{args.threads}, editor saving a figure every second in the admin\n")
    print(f"{'page':38} {'requests':>9} {'req/s':>8} {'p50':>9} {'p99':>9} {'errors':>7}")
    for r in results:
        errors = r["non_2xx_3xx"] + r["socket_errors"]
        print(f"{r['path']:38} {r['requests']:>9} {r['rps']:>8.1f} {r['p50']:>9} {r['p99']:>9} {errors:>7}")
        if errors:
            print("    " + "\n    ".join(line for line in r["raw"].splitlines() if "rror" in line or "Non-2xx" in line))
    lat = sorted(editor.latencies)
    print(f"\neditor: {editor.attempted} saves started (one a second), {len(editor.saved)} saved, "
          f"{len(editor.failures)} failed, "
          f"{len(missing)} missing afterwards; save round trip p50 {lat[len(lat) // 2] * 1000:.0f} ms, "
          f"max {lat[-1] * 1000:.0f} ms")
    for failure in editor.failures[:10]:
        print("  failed:", failure)
    ok = not editor.failures and not missing and all(r["non_2xx_3xx"] + r["socket_errors"] == 0 for r in results)
    print("\nRESULT:", "zero errors, every saved figure present" if ok else "ERRORS (see above)")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
