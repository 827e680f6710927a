"""The engine, and one database session per request carrying the visitor's scope."""

from __future__ import annotations

import select
import time
from typing import Callable

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session

import hub.core.audit  # noqa: F401  (registers the audit listener on every session)
import hub.core.revisions  # noqa: F401  (registers the listeners that know when a session has written)
from hub.core.scoping import Scope, set_scope

SQLITE_BUSY_SECONDS = 15
OWN_TRANSACTION = "db.own_transaction"  # session.info: the session began its transaction (tests' sessions join one)
LAST_USED = "db.last_used"  # a pooled connection's record: when it was last given back (or made)
TRUSTED_IDLE_SECONDS = 10.0  # a connection given back more recently is lent without asking the database first
WROTE_ON_CONNECTION = "db.wrote"  # connection.info: a statement other than a SELECT ran in the open transaction


def make_engine(url: str) -> Engine:
    """An engine for SQLite or PostgreSQL with the settings each needs."""
    if url.startswith("sqlite"):
        # A second writer (a worker, another request) waits for the lock up to 15 s instead of failing at once
        # with "database is locked".
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
            cursor.close()

        return engine
    engine = create_engine(url)
    _ping_when_in_doubt(engine)

    # What lets a request's transaction end with COMMIT (end_read_with_commit): every statement the hub sends goes
    # through here (it never uses the driver's connection itself), and any but a SELECT counts as a write.
    @event.listens_for(engine, "begin")
    def _nothing_written_yet(connection):
        connection.info.pop(WROTE_ON_CONNECTION, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[WROTE_ON_CONNECTION] = True

    return engine


def _ping_when_in_doubt(engine: Engine) -> None:
    """Before a pooled connection is lent, ask the database whether it still answers only when there is doubt: the
    connection sat unused for more than ``TRUSTED_IDLE_SECONDS``, or the server sent it something while it sat (a
    restart or ``pg_terminate_backend`` sends its notice and closes the socket). A dead one is replaced at once, as
    SQLAlchemy's ``pool_pre_ping`` does, which asks every time: a round trip on every request, for a connection used
    a few milliseconds earlier.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _last_used(_dbapi_connection, record):
        record.info[LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_in_doubt(dbapi_connection, record, _proxy):
        idle = time.monotonic() - record.info.get(LAST_USED, 0.0)
        if idle < TRUSTED_IDLE_SECONDS and not _heard_from_server(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # whatever the driver raises, the pool replaces the connection and tries again
            raise DisconnectionError(f"the database did not answer: {error}") from error


def _heard_from_server(dbapi_connection) -> bool:
    """Whether the server sent this idle connection anything (its socket is readable): between requests it has
    nothing to say but a farewell."""
    if dbapi_connection.closed:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def init_app(app: Flask) -> None:
    """Create the engine and close each request's session at its end."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["hub.engine"] = engine
    app.extensions.setdefault("hub.session_factory", lambda: Session(
        engine, expire_on_commit=False, info={OWN_TRANSACTION: True}))
    # Who is asking is the accounts' business (hub.core.auth installs it): until then, a request sees nothing.
    app.extensions.setdefault("hub.request_scope", lambda: (Scope.nothing(), None))
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["hub.engine"]


def new_session(scope: Scope | None = None, user_id: int | None = None) -> Session:
    """A session from the app's factory (tests swap it to join their transaction)."""
    factory: Callable[[], Session] = current_app.extensions["hub.session_factory"]
    session = factory()
    session.info["user_id"] = user_id
    if scope is not None:
        set_scope(session, scope)
    return session


def db() -> Session:
    """This request's session, scoped to what the logged-in person may see."""
    session = request_session()
    if "scope" not in session.info:
        # Asking who is logged in may load their account on this same session, still without a scope: accounts are
        # not collectivity-owned, so that read is allowed.
        scope, user_id = current_app.extensions["hub.request_scope"]()
        set_scope(session, scope)
        session.info["user_id"] = user_id
    return session


def request_session() -> Session:
    """This request's session, perhaps not scoped yet: for loading the account the scope is made from (hub.core.auth),
    and nothing else (an unscoped session refuses every collectivity-owned table)."""
    if "db_session" not in g:
        g.db_session = new_session()
    return g.db_session


def _close_session(exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        if exc is None and session.info.get(OWN_TRANSACTION) and session.in_transaction():
            end_read_with_commit(session)
        session.close()


def end_read_with_commit(session: Session) -> None:
    """On PostgreSQL, end a transaction that wrote nothing with COMMIT instead of ROLLBACK: the two are the same for
    it, but psycopg forgets every prepared statement of the connection at a ROLLBACK.

    Forgotten at the end of each request, a page's statements never reached their fifth run on a connection, after
    which psycopg has PostgreSQL keep them parsed and planned (a board's union of columns: 1.2 ms of planning in
    2 ms). Whether the transaction wrote is the connection's record of what it sent (make_engine), not the
    session's: a write sent on ``session.connection()`` counts too. One that wrote is left to the ROLLBACK of
    ``session.close()``, as before. (Asking the database, ``txid_current_if_assigned()``, cost a round trip more.)
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql" and not connection.info.get(WROTE_ON_CONNECTION):
        # Sent as a statement: the driver sees the transaction end, and the ROLLBACK of close() finds nothing to do.
        connection.exec_driver_sql("COMMIT")


def system_session():
    """A session for the command line: sees everything, audited as the system."""
    return new_session(scope=Scope.all(), user_id=None)
