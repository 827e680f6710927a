"""Shared fixtures: the schema built once by Alembic, each test in a transaction rolled back at its end.

``HUB_TEST_DATABASE_URL`` runs the same suite on PostgreSQL; SQLite in a temporary file otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import event
from sqlmodel import Session

from hub import create_app
from hub.app.models import import_all_models
from hub.core.migrate import alembic_config
from hub.core.scoping import Scope, set_scope
from tests import factories

import_all_models()

# The fixtures of the tests that run `hub worker` processes over a database of their own.
pytest_plugins = ["tests.worker_support"]


def pytest_sessionstart(session):
    """Compile the translation catalogues, so that tests never depend on a stale .mo file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parents[1] / "hub" / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source, po.with_suffix(".mo").open("wb") as target:
            write_mo(target, read_po(source))


def _sqlite_savepoint_fix(engine: sa.Engine) -> None:
    # pysqlite begins transactions lazily and ignores SAVEPOINT semantics unless we take over
    # BEGIN ourselves (SQLAlchemy's documented recipe); without it data leaks between tests.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database: PostgreSQL when asked, else a fresh SQLite file."""
    url = os.environ.get("HUB_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url):
    """An engine on a schema built by ``alembic upgrade head``, once per run."""
    engine = sa.create_engine(database_url)
    if engine.dialect.name == "sqlite":
        _sqlite_savepoint_fix(engine)
    else:
        with engine.begin() as connection:  # a clean schema each run
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    command.upgrade(alembic_config(database_url), "head")
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """A connection in an outer transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


def session_on(connection, scope: Scope | None = Scope.all(), user_id: int | None = None) -> Session:
    """A session joined to the test's transaction; its commits become savepoints."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    session.info["user_id"] = user_id
    if scope is not None:
        set_scope(session, scope)
    return session


@pytest.fixture
def db(connection):
    """A session that sees everything, for arranging and checking data."""
    session = session_on(connection)
    yield session
    session.close()


@pytest.fixture
def make_app(connection, database_url, tmp_path: Path):
    """Build an app whose sessions join the test's transaction; keyword arguments override its config."""

    def make(**overrides):
        app = create_app({
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "JOBS_URL": "immediate",  # sessions share the test connection: jobs run at once, in the request
            **overrides,
        })
        app.extensions["hub.session_factory"] = lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        return app

    return make


@pytest.fixture
def app(make_app):
    """The app with CSRF and throttling off, so tests speak to the views directly."""
    return make_app()


@pytest.fixture(autouse=True)
def nothing_drawn_yet():
    """Each test starts with the per-worker memos empty: a chart, a verdict or a weighing drawn by an earlier test
    with the same inputs must not hide the drawing this test watches (tests/participants/test_chart_locale.py)."""
    from exports import report_charts
    from hub.core import charts, fragments, revisions
    from irritants import answers

    charts._png.cache_clear()
    answers._VERDICTS.clear()
    revisions.forget_all()
    fragments.forget_all()
    for drawing in (report_charts._bars, report_charts._small_bars, report_charts._small_line):
        drawing.cache_clear()


@pytest.fixture
def world(db):
    """A programme with two collectivities and an account of every role."""
    return factories.world(db)


@pytest.fixture
def client_as(app, world):
    """A test client logged in as one of the world's accounts: ``client_as("participant")``."""

    def make(role: str):
        return app.test_client() if role == "anonymous" else logged_in(app, world.users[role])

    return make


def logged_in(app, user):
    """A test client of ``app`` logged in as ``user``."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user.id)
        flask_session["_epoch"] = user.session_epoch  # the session of its current epoch (hub.core.auth)
        flask_session["_fresh"] = True
    return client


def reading_in(client, language: str):
    """The same client, its session now asking for pages in ``language``; for chaining."""
    with client.session_transaction() as flask_session:
        flask_session["lang"] = language
    return client


@pytest.fixture
def runner(app):
    """The app's CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def mail_app(make_app):
    """The app with a mail server (nothing leaves: Flask-Mail records the messages)."""
    return make_app(MAIL_SERVER="smtp.exemple.fr", MAIL_SUPPRESS_SEND=True)
