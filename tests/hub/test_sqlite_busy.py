"""SQLite waits for a writer's lock instead of failing with « database is locked »."""

from __future__ import annotations

import sqlite3
import threading
import time

from alembic import command
from sqlmodel import select

from hub import create_app
from hub.core.db import make_engine, new_session
from hub.core.migrate import alembic_config
from hub.core.models import AuditEntry
from hub.core.scoping import Scope
from tests import factories

# Longer than the 5 s that Python's sqlite3 waits by default, shorter than the hub's 15 s (hub.core.db).
HOLD_SECONDS = 6.5


def test_a_request_writes_while_another_connection_holds_the_write_lock_longer_than_five_seconds(tmp_path):
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), "head")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context(), new_session(Scope.all()) as session:
        email = factories.user(session, "admin").email
        session.commit()

    # Another process's writer (a `hub worker`, say) takes the write lock before the request starts.
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(HOLD_SECONDS, holder.rollback)
    released.start()
    try:
        started = time.monotonic()
        response = app.test_client().post("/connexion", data={"email": email, "password": factories.PASSWORD})
        waited = time.monotonic() - started
    finally:
        released.join()
        holder.close()

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]  # logged in: its audit row written
    assert waited > HOLD_SECONDS - 1  # the request did wait for the lock
    with app.app_context(), new_session(Scope.all()) as session:
        assert session.exec(select(AuditEntry.action).where(AuditEntry.action == "login")).all() == ["login"]
    app.extensions["hub.engine"].dispose()


def test_each_sqlite_connection_waits_fifteen_seconds_for_a_lock(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
    engine.dispose()
