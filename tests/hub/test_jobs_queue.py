"""Where the worker's queue is kept: beside the database by default, never in the working directory."""

from __future__ import annotations

from hub.core.jobs import queue_url


def test_the_queue_sits_beside_a_sqlite_database():
    assert queue_url({"DATABASE_URL": "sqlite:////srv/hub/instance/hub.db"}) == "sqlite:////srv/hub/instance/jobs.db"


def test_on_postgresql_the_queue_is_kept_in_the_same_database():
    url = queue_url({"DATABASE_URL": "postgresql+psycopg://hub:secret@db:5432/hub"})
    assert url == "postgresql://hub:secret@db:5432/hub"  # psycopg's own DSN, which Huey's storage takes


def test_an_in_memory_database_puts_its_queue_in_the_instance_folder():
    assert queue_url({"DATABASE_URL": "sqlite://"}, "/srv/hub/instance") == "sqlite:////srv/hub/instance/jobs.db"


def test_jobs_url_chooses_the_queue():
    assert queue_url({"DATABASE_URL": "sqlite://", "JOBS_URL": "immediate"}) == "immediate"
