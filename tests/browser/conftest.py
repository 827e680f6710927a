"""Browser tests: a real gunicorn server over a demo SQLite database, driven by Debian's Chromium.

Self-contained on purpose: nothing here relies on ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "browser-demo-pass"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT = 90.0  # a loaded machine boots gunicorn and its two workers in up to half a minute


@dataclass(frozen=True)
class LiveServer:
    url: str
    database: Path
    gunicorn: subprocess.Popen | None = None

    def __str__(self) -> str:  # lets tests write f"{live_server}/irritants"
        return self.url

    def restart_web_workers(self) -> None:
        """Have gunicorn replace its web workers (SIGHUP), as a deployment does, and wait for the new ones."""
        self.gunicorn.send_signal(signal.SIGHUP)
        time.sleep(1)  # the old workers finish their requests and leave; new ones import the app
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/connexion", timeout=5):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        pytest.fail("gunicorn ne répond plus après le remplacement de ses workers", pytrace=False)

    def collectivity_ids(self) -> dict[str, int]:
        """Collectivity ids by slug, read straight from the demo database."""
        with sqlite3.connect(self.database) as connection:
            return dict(connection.execute("SELECT slug, id FROM collectivity"))

    def query(self, sql: str, *args) -> list[tuple]:
        """Rows read straight from the demo database, to check what the browser did."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, args).fetchall()

    def planned_workshop_id(self) -> int:
        """The first workshop still planned, whose capture page is open."""
        return self.query("SELECT id FROM workshop WHERE status = 'planned' ORDER BY id")[0][0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"`{' '.join(command)}` a échoué (code {done.returncode}) :\n"
                    f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}", pytrace=False)


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last_error: object = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn s'est arrêté (code {process.returncode}) :\n{log_path.read_text()}",
                        pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as error:
            last_error = error
        time.sleep(0.2)
    pytest.fail(f"{url} ne répond pas 200 après {STARTUP_TIMEOUT:.0f} s ({last_error}) :\n{log_path.read_text()}",
                pytrace=False)


@pytest.fixture(scope="session")
def live_server():
    """A gunicorn server over a fresh demo database; yields its base URL (``LiveServer``)."""
    bin_dir = Path(sys.executable).parent
    repo = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="hub-browser-") as tmp:
        tmp_path = Path(tmp)
        database = tmp_path / "browser.db"
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": f"sqlite:///{database}",
            "HUB_DEMO_PASSWORD": DEMO_PASSWORD,
            "SECRET_KEY": secrets.token_hex(32),
            "HUB_LOGIN_RATE_LIMIT": "1000 per minute",
            "HUB_ENV": "development",
            "PYTHONUNBUFFERED": "1",
        })
        _run([str(bin_dir / "hub"), "db", "upgrade"], env, repo)
        _run([str(bin_dir / "hub"), "registry", "load", "--region", "27"], env, repo)  # as `make run` does
        _run([str(bin_dir / "hub"), "demo"], env, repo)

        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = tmp_path / "gunicorn.log"
        with log_path.open("w") as log, (tmp_path / "worker.log").open("w") as worker_log:
            # As `make run` serves it: two web workers, and the job worker that renders the published reports.
            process = subprocess.Popen(
                [str(bin_dir / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "hub:create_app()"],
                env=env, cwd=repo, stdout=log, stderr=subprocess.STDOUT,
            )
            worker = subprocess.Popen([str(bin_dir / "hub"), "worker"], env=env, cwd=repo, stdout=worker_log,
                                      stderr=subprocess.STDOUT)
            try:
                _wait_until_up(f"{base_url}/connexion", process, log_path)
                yield LiveServer(url=base_url, database=database, gunicorn=process)
            finally:
                for running in (process, worker):
                    running.terminate()
                    try:
                        running.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        running.kill()
                        running.wait(timeout=10)


def _unavailable(message: str):
    if os.environ.get("HUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (HUB_REQUIRE_BROWSER=1 exige les tests navigateur)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright; skipped (or failed under HUB_REQUIRE_BROWSER=1) when absent."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright absent ({error}) : tests navigateur ignorés")
    if not CHROMIUM.exists():
        _unavailable("Chromium de Debian absent (apt-get install chromium) : tests navigateur ignorés")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()

