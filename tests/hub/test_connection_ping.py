"""A pooled PostgreSQL connection is checked before it is lent only when there is doubt (hub.core.db): a dead one is
replaced before a request sees it, and a connection given back a moment ago costs no round trip."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from hub.core import db as hub_db


@pytest.fixture
def pooled(database_url):
    """An engine made as the app makes it, on the tests' PostgreSQL database."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a SQLite file has no server that could drop a connection: its engine is not pinged")
    engine = hub_db.make_engine(database_url)
    yield engine
    engine.dispose()


def _backend_of(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(database_url: str, pid: int) -> None:
    killer = sa.create_engine(database_url, poolclass=sa.NullPool)
    with killer.connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        for _ in range(100):  # the backend ends a moment after the signal
            if not connection.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                      {"pid": pid}).scalar_one():
                break
            time.sleep(0.02)
    killer.dispose()


def test_a_connection_whose_server_process_was_ended_is_replaced_before_use(pooled, database_url):
    first = _backend_of(pooled)
    _terminate(database_url, first)  # as a database restart does to every connection
    assert _backend_of(pooled) != first  # no error: the pool saw the farewell and connected again


def test_a_connection_idle_past_the_trusted_time_is_asked_first(pooled, database_url, monkeypatch):
    first = _backend_of(pooled)
    # A connection cut without a word (a firewall forgetting it): the socket says nothing; only asking tells.
    monkeypatch.setattr(hub_db, "_heard_from_server", lambda _connection: False)
    monkeypatch.setattr(hub_db, "TRUSTED_IDLE_SECONDS", 0.0)
    _terminate(database_url, first)
    assert _backend_of(pooled) != first


def test_a_connection_given_back_a_moment_ago_is_lent_without_a_round_trip(pooled, monkeypatch):
    pings = []
    asked = pooled.dialect.do_ping
    monkeypatch.setattr(pooled.dialect, "do_ping", lambda connection: pings.append(1) or asked(connection))
    for _ in range(5):
        _backend_of(pooled)
    assert pings == []
    monkeypatch.setattr(hub_db, "TRUSTED_IDLE_SECONDS", 0.0)  # as if it had sat unused for a while
    _backend_of(pooled)
    assert pings == [1]
