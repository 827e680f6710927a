"""``hub db …``: the schema's migrations (Alembic), registered by the accounts blueprint."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

db_group = AppGroup("db", help="Migrations (Alembic).")


def _alembic():
    from hub.core.migrate import alembic_config

    return alembic_config(current_app.config["DATABASE_URL"])


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str):
    """Bring the schema up to REVISION (head by default)."""
    from alembic import command

    command.upgrade(_alembic(), revision)


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str):
    """Take the schema down to REVISION."""
    from alembic import command

    command.downgrade(_alembic(), revision)


@db_group.command("check")
def db_check():
    """Fail if the models hold changes that no migration describes."""
    from alembic import command

    command.check(_alembic())


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str):
    """Write a new migration from the difference between models and schema."""
    from alembic import command

    command.revision(_alembic(), message=message, autogenerate=True)


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs run at once (threads of this process).")
def worker_command(workers: int):
    """Run the hub's long work (report renderings, group proposals) until stopped: start it beside the web server."""
    import logging

    from hub.core.jobs import queue_url, run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = queue_url(current_app.config, current_app.instance_path)
    where = url.rsplit("@", 1)[-1]  # never print the password of a PostgreSQL URL
    click.echo(f"Travaux de fond : file {where}, {workers} à la fois.")
    run_worker(workers=workers)
