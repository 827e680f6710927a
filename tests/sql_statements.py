"""Counting the SQL a test runs, on the test's own connection: how pages and services keep their queries flat."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_run(connection) -> Iterator[list[str]]:
    """The SQL statements run on the test's connection while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def page_queries(connection, client, url: str) -> int:
    """How many statements one GET of ``url`` runs; the page must answer 200."""
    with statements_run(connection) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)
