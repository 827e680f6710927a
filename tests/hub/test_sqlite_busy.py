"""SQLite waits for a writer's lock instead of failing at once with « database is locked »."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from hub.core.db import make_engine


def test_two_concurrent_writes_on_a_sqlite_file_both_succeed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    errors: list[Exception] = []
    holding = threading.Event()

    def slow_writer():
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO t VALUES (1)")
                holding.set()
                time.sleep(1.5)  # holds the write lock longer than SQLite's default 5 ms retry would wait
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    first = threading.Thread(target=slow_writer)
    first.start()
    assert holding.wait(5)
    with engine.begin() as connection:  # waits for the first writer, then writes
        connection.exec_driver_sql("INSERT INTO t VALUES (2)")
    first.join()
    assert errors == []
    with engine.connect() as connection:
        assert sorted(connection.execute(sa.text("SELECT n FROM t")).scalars()) == [1, 2]
    engine.dispose()


def test_each_sqlite_connection_waits_fifteen_seconds_for_a_lock(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
    engine.dispose()
