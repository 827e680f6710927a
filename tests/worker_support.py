"""A hub on a database of its own with committed data, and `hub worker` processes over it, for the job tests.

A worker is a second process: it cannot see the rolled-back transaction the other tests run in. These tests use
a SQLite file, or a PostgreSQL database created beside the test one when the suite runs on PostgreSQL (whose queue
is then kept in PostgreSQL too, as in production).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url

from hub import create_app
from hub.core.db import new_session
from hub.core.migrate import alembic_config
from hub.core.scoping import Scope
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
STALE_SECONDS = 4
T = TypeVar("T")


@pytest.fixture
def own_database(tmp_path):
    """A database of the test's own, migrated: a file on SQLite, a fresh database on PostgreSQL."""
    shared = os.environ.get("HUB_TEST_DATABASE_URL")
    if not shared:
        url = f"sqlite:///{tmp_path / 'hub.db'}"
        command.upgrade(alembic_config(url), "head")
        yield url
        return
    base = make_url(shared)
    name = f"{base.database}_worker"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    _drop_database(admin, name)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    command.upgrade(alembic_config(url), "head")
    yield url
    _drop_database(admin, name)
    admin.dispose()


def _drop_database(admin, name: str, attempts: int = 20) -> None:
    """Drop a test database, ending our own sessions on it first.

    Not ``WITH (FORCE)``: that also signals autovacuum, which a role without ``pg_signal_backend`` may not do
    (CI's test role). A plain ``DROP DATABASE`` asks autovacuum to stop by itself; it is retried while it does.
    """
    for _ in range(attempts):
        with admin.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %(name)s AND usename = current_user AND pid <> pg_backend_pid()", {"name": name})
            try:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except sa.exc.OperationalError as error:
                if getattr(error.orig, "sqlstate", None) != "55006":  # object_in_use: someone is still on it
                    raise
        time.sleep(0.5)
    raise RuntimeError(f"La base de test {name} est encore utilisée après {attempts} essais.")


@pytest.fixture
def worker_hub(own_database, tmp_path):
    """The app on that database, with the test world committed; its queue is the production one (not immediate)."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": own_database,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "RENDERING_STALE_SECONDS": STALE_SECONDS})
    with app.app_context(), new_session(Scope.all()) as session:
        world = factories.world(session)
        session.commit()
        app.config["test.slug"], app.config["test.admin"] = world.programme.slug, world.users["admin"].id
    yield app
    with app.app_context():
        app.extensions["hub.engine"].dispose()


class Worker:
    """A `hub worker` process on the app's database, as `make run` starts one.

    As a context manager it is stopped at the block's end (``SIGTERM``, or ``stop_with``: ``SIGKILL`` as a machine
    or an OOM killer would) and keeps what it printed in ``output``; an error in the block carries that output.
    """

    def __init__(self, app, *, stop_with=signal.SIGTERM):
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test-secret",
               "HUB_RENDERING_STALE_SECONDS": str(STALE_SECONDS), "PYTHONUNBUFFERED": "1"}
        self.stop_with, self.output = stop_with, ""
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "hub"), "worker"], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, _type, error, _traceback) -> None:
        self.output = self.stop(self.stop_with)
        if error is not None:
            error.add_note(f"hub worker :\n{self.output}")

    def stop(self, sig=signal.SIGTERM) -> str:
        """Stop the process (SIGKILL: as a machine or an OOM killer would) and return what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            output, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def admin_of(app):
    """A test client logged in as the world's admin."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(app.config["test.admin"])
        flask_session["_epoch"] = 0  # a new account's first session (hub.core.auth)
    return client


def wait_for(read: Callable[[], T], until: Callable[[T], bool], *, timeout: float, interval: float = 0.1
             ) -> tuple[T, list[T]]:
    """Read until ``until`` holds of what was read: the last value and every value seen; AssertionError after
    ``timeout`` seconds."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        value = read()
        seen.append(value)
        if until(value):
            return value, seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"still {value!r} after {timeout} s")
        time.sleep(interval)

