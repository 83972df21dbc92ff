"""App servers in their own processes, for what only a real server shows: a limit shared across
servers, and schemathesis walking the API over HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "SECRET_KEY": "test-only-not-secret",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site_database(tmp_path_factory) -> Path:
    """A migrated SQLite database holding the seed guide, for servers started by the tests."""
    database = tmp_path_factory.mktemp("served") / "db.sqlite3"
    env = os.environ | BASE_ENV | {"DATABASE_URL": f"sqlite:///{database}"}
    env.pop("CACHE_URL", None)
    for command in (["migrate", "-v0"], ["seed", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return database


class AppServer:
    """gunicorn serving compare_site on a free loopback port; its log goes to a file."""

    def __init__(self, database: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = database.parent / f"server-{self.port}.log"
        environment = (
            os.environ
            | BASE_ENV
            | {
                "DATABASE_URL": f"sqlite:///{database}",
                "PAGE_CACHE_STAMP": str(database.parent / f"stamp-{self.port}"),
            }
            | env
        )
        if "CACHE_URL" not in env:
            environment.pop("CACHE_URL", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "compare_site.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_up()

    def _wait_up(self) -> None:
        for _ in range(300):
            if self.process.poll() is not None:
                pytest.fail(f"app server exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"{self.url} did not come up: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
