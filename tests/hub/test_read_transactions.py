"""A request that wrote nothing ends its transaction with COMMIT on PostgreSQL, so that the connection keeps its
prepared statements (hub.core.db.end_read_with_commit); a request that wrote and did not commit is rolled back
as before, however the write was sent."""

from __future__ import annotations

import pytest
from sqlmodel import select

from hub.core.db import db
from hub.core.models import User
from tests.worker_support import admin_of

VIEWS = 7  # psycopg prepares a statement at its sixth run on a connection


def test_a_read_keeps_the_connection_s_prepared_statements_and_leaves_no_transaction_open(worker_hub):
    engine = worker_hub.extensions["hub.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are psycopg's, on PostgreSQL: on SQLite a read ends as it always did")
    client = admin_of(worker_hub)
    for _ in range(VIEWS):
        assert client.get("/notifications").status_code == 200
    with engine.connect() as connection:  # the one connection the requests used, back in the pool
        prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
        assert any("FROM user_account" in statement for statement in prepared), prepared
        # The connection came back idle: neither left in a transaction nor in one that failed.
        assert connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%'").scalar() == 0


def test_a_programme_board_s_cards_are_planned_once_then_kept_planned(worker_hub):
    # A board's union of seven columns took PostgreSQL 1.2 ms to plan. With its columns' LIMIT sent as a parameter,
    # PostgreSQL judged a plan for any LIMIT dearer than planning each view afresh, and never kept one.
    engine = worker_hub.extensions["hub.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("plans kept for prepared statements are PostgreSQL's: SQLite plans each statement as it comes")
    client = admin_of(worker_hub)
    for _ in range(2 * VIEWS):
        assert client.get(f"/programmes/{worker_hub.config['test.slug']}/tableau").status_code == 200
    with engine.connect() as connection:
        plans = connection.exec_driver_sql(
            "SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE 'SELECT board_cards.id%%'").one()
        assert plans.generic_plans > 0


@pytest.mark.parametrize("how", ["a flush", "a statement on the session's connection"])
def test_a_write_left_uncommitted_is_rolled_back_at_the_request_s_end(worker_hub, how):
    with worker_hub.test_request_context("/"):
        session = db()
        admin = session.exec(select(User).where(User.id == worker_hub.config["test.admin"])).one()
        if how == "a flush":
            admin.full_name = "Écrit sans commit"
            session.flush()
        else:
            # Not seen by the session's listeners (hub.core.revisions): only the database knows it was written.
            session.connection().exec_driver_sql(
                "UPDATE user_account SET full_name = 'Écrit sans commit' WHERE id = %s" % admin.id)
    with worker_hub.test_request_context("/"):
        assert db().exec(select(User.full_name).where(User.id == worker_hub.config["test.admin"])).one() \
            != "Écrit sans commit"
