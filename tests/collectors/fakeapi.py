"""A local fake of the public APIs collectors read, on 127.0.0.1.

``FakeAPI`` is an ``http.server.ThreadingHTTPServer`` in a thread. Tests
script replies per path (``api.script(path, Reply(...), Reply(...))``: each
request takes the next reply, the last one repeats) and read back what was
requested (``api.requests``). An unscripted path answers GitHub's 404.

The ``github_repo``, ``pypi_project``, ``pypistats_recent`` and
``stackexchange_tags`` helpers build bodies in each API's documented JSON
shape. Slow replies wait on an event that ``stop()`` sets, so teardown never
waits for a sleeping handler.
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

JSON = "application/json; charset=utf-8"


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # bytes/str sent as is; anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = JSON
    gzip: bool = False
    delay: float = 0.0
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes

    def payload(self) -> bytes:
        if self.body is None:
            data = b""
        elif isinstance(self.body, bytes):
            data = self.body
        elif isinstance(self.body, str):
            data = self.body.encode()
        else:
            data = json.dumps(self.body).encode()
        return gzip.compress(data) if self.gzip else data


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lowercased


class FakeAPI:
    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes slow handlers
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def script(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self.routes[path] = list(replies)

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path == path)

    def next_reply(self, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
            return replies.pop(0) if len(replies) > 1 else replies[0]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        # A client that gave up (a timeout test) is expected; anything else is printed.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler_for(api: FakeAPI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_GET(self):
            parts = urlsplit(self.path)
            api.requests.append(
                Recorded(parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()})
            )
            reply = api.next_reply(parts.path)
            if reply.delay and api.stopping.wait(reply.delay):
                return
            payload = reply.payload()
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            if reply.gzip:
                self.send_header("Content-Encoding", "gzip")
            if reply.content_length:
                self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value.replace("{base}", api.url))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            pass

    return Handler


# --- Bodies in each API's documented shape ------------------------------------------------


def github_repo(full_name="pallets/flask", *, stars=68000, forks=16200, watchers=2100, open_issues=7, archived=False):
    """GET /repos/{owner}/{repo} (abridged)."""
    owner, name = full_name.split("/")
    return {
        "id": 596892,
        "node_id": "MDEwOlJlcG9zaXRvcnk1OTY4OTI=",
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": {"login": owner, "id": 16748505, "type": "Organization"},
        "html_url": f"https://github.com/{full_name}",
        "description": "The Python micro framework for building web applications.",
        "fork": False,
        "url": f"https://api.github.com/repos/{full_name}",
        "homepage": "https://flask.palletsprojects.com",
        "stargazers_count": stars,
        "watchers_count": stars,
        "forks_count": forks,
        "open_issues_count": open_issues,
        "subscribers_count": watchers,
        "network_count": forks,
        "archived": archived,
        "disabled": False,
        "license": {"key": "bsd-3-clause", "spdx_id": "BSD-3-Clause"},
        "default_branch": "main",
        "pushed_at": "2025-01-05T10:00:00Z",
    }


def pypi_project(name="Flask", version="3.1.0", *, releases=None, **info):
    """GET /pypi/{package}/json (abridged)."""
    if releases is None:
        wheel, sdist = f"flask-{version}-py3-none-any.whl", f"flask-{version}.tar.gz"
        releases = {
            "0.1": [{"filename": "Flask-0.1.tar.gz", "upload_time_iso_8601": "2010-04-16T14:12:38.520093Z"}],
            "3.0.0": [{"filename": "flask-3.0.0.tar.gz", "upload_time_iso_8601": "2023-09-30T14:36:12.918085Z"}],
            version: [
                {"filename": wheel, "upload_time_iso_8601": "2024-11-13T18:24:38.127675Z"},
                {"filename": sdist, "upload_time_iso_8601": "2024-11-13T18:24:36.135556Z"},
            ],
        }
    body_info = {
        "name": name,
        "version": version,
        "summary": "A simple framework for building complex web applications.",
        "license": None,
        "license_expression": "BSD-3-Clause",
        "home_page": None,
        "project_urls": {
            "Changes": "https://flask.palletsprojects.com/page/changes/",
            "Documentation": "https://flask.palletsprojects.com/",
            "Donate": "https://palletsprojects.com/donate",
            "Source": "https://github.com/pallets/flask/",
        },
        "classifiers": ["Framework :: Flask", "License :: OSI Approved :: BSD License"],
        "requires_python": ">=3.9",
        "yanked": False,
    }
    body_info.update(info)
    return {
        "info": body_info,
        "last_serial": 26000000,
        "releases": releases,
        "urls": releases.get(version, []),
        "vulnerabilities": [],
    }


def pypistats_recent(package="flask", *, last_day=2_500_000, last_week=18_000_000, last_month=80_000_000):
    """GET /api/packages/{package}/recent."""
    return {
        "data": {"last_day": last_day, "last_week": last_week, "last_month": last_month},
        "package": package,
        "type": "recent_downloads",
    }


def stackexchange_tags(*items, quota_remaining=9_999, quota_max=10_000, **extra):
    """GET /2.3/tags/{tags}/info: a wrapper object around tag items."""
    return {
        "items": list(items),
        "has_more": False,
        "quota_max": quota_max,
        "quota_remaining": quota_remaining,
        **extra,
    }


def stackexchange_tag(name="flask", count=55_000):
    return {
        "has_synonyms": True,
        "is_moderator_only": False,
        "is_required": False,
        "count": count,
        "name": name,
    }
