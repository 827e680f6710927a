"""The ``hub`` command: Flask's CLI with the app's own commands (demo, create-user, report, db)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from hub.scoping import Scope


def system_session():
    """A session for the command line: sees everything, audited as the system."""
    from hub.db import new_session

    return new_session(scope=Scope.all(), user_id=None)


db_group = AppGroup("db", help="Migrations (Alembic).")


def _alembic():
    from hub.migrate import alembic_config

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


MIN_PASSWORD_LENGTH = 12


def _long_enough(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    return password


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "facilitator", "participant", "steering"]), required=True)
@click.option("--collectivity", "collectivity_slug", help="Slug de la collectivité (référents seulement).")
@click.option("--name", "full_name", default="")
@with_appcontext
def create_user_command(email: str, role: str, collectivity_slug: str | None, full_name: str):
    """Create an account; the password is asked twice (hidden), never passed on the command line."""
    from sqlmodel import select

    from hub.auth import create_user
    from participants.models import Collectivity

    password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez",
                            value_proc=_long_enough)
    with system_session() as session:
        collectivity_id = None
        if collectivity_slug:
            found = session.exec(select(Collectivity).where(Collectivity.slug == collectivity_slug)).first()
            if found is None:
                raise click.ClickException(f"Collectivité inconnue : {collectivity_slug}")
            collectivity_id = found.id
        try:
            create_user(session, email=email, password=password, role=role, full_name=full_name,
                        collectivity_id=collectivity_id)
        except ValueError as refused:
            raise click.ClickException(str(refused)) from refused
        session.commit()
    click.echo(f"Compte créé : {email} ({role})")


@click.command("report")
@click.option("--programme", "programme_slug", required=True, help="Slug du programme.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--collectivity", "collectivity_slug", default=None, help="Slug d'une collectivité : sa fiche seule.")
@with_appcontext
def report_command(programme_slug: str, out_path: Path, collectivity_slug: str | None):
    """Write the programme report's PDF, or one collectivity's sheet, with a progress bar."""
    from datetime import date

    from sqlmodel import select

    from exports.annexes import collectivity_sheet
    from exports.assembly import assemble_report, programme_header
    from exports.rendering import render_report_pdf, render_sheet_pdf
    from hub.models import Programme
    from participants.models import Collectivity

    with system_session() as session, current_app.test_request_context("/"):
        programme = session.exec(select(Programme).where(Programme.slug == programme_slug)).first()
        if programme is None:
            raise click.ClickException(f"Programme inconnu : {programme_slug}")
        if collectivity_slug:
            collectivity = session.exec(select(Collectivity).where(Collectivity.slug == collectivity_slug)).first()
            annex = collectivity_sheet(session, programme, collectivity) if collectivity else None
            if annex is None:
                raise click.ClickException(f"Collectivité inconnue dans ce programme : {collectivity_slug}")
            with click.progressbar(length=1, label="Fiche") as bar:
                pdf = render_sheet_pdf({"programme": programme_header(programme),
                                        "as_of": date.today().isoformat()}, annex)
                bar.update(1)
        else:
            with click.progressbar(length=100, label="Rapport") as bar:
                data = assemble_report(session, programme)
                bar.update(5)
                shown = [5]

                def progress(done: int, total: int, _step: str) -> None:
                    target = 5 + round(95 * done / total)
                    bar.update(target - shown[0])
                    shown[0] = target

                pdf = render_report_pdf(data, progress=progress)
    out_path.write_bytes(pdf)
    click.echo(f"{out_path} écrit ({len(pdf) // 1024} Ko).")


def register_commands(app: Flask) -> None:
    """Attach the hub's commands to the app's CLI."""
    from hub.demo.commands import demo_command

    for command in (db_group, create_user_command, report_command, demo_command):
        app.cli.add_command(command)


def main() -> None:
    """Entry point of the ``hub`` console script."""
    from hub import create_app

    FlaskGroup(create_app=create_app, help="Hub d'expérimentation IA.")()
