"""The token of a one-time link never reaches gunicorn's access log (request line or Referer)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "jeton-secret-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5).read()
    except urllib.error.HTTPError:
        pass  # an unknown token answers 404: what matters is what was logged


def test_invitation_tokens_are_masked_in_the_access_log(tmp_path):
    port, log = _free_port(), tmp_path / "access.log"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "SECRET_KEY": "test", "PATH": "/usr/bin:/bin"}
    subprocess.run([str(Path(sys.executable).parent / "hub"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                               "--access-logfile", str(log), "hub:create_app()"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/connexion", timeout=1).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        _get(f"{base}/invitation/{TOKEN}")
        _get(f"{base}/static/hub.css", Referer=f"{base}/invitation/{TOKEN}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    logged = log.read_text()
    assert "/invitation/[masqué]" in logged and "/static/hub.css" in logged
    assert TOKEN not in logged
