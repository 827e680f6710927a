"""``hub create-user``: an account for the team, the committee or a collectivity's référent."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlmodel import select

from hub.core.auth import create_user
from hub.core.db import system_session
from hub.core.models import ROLES
from participants.models import Collectivity

MIN_PASSWORD_LENGTH = 12


def _long_enough(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    return password


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--collectivity", "collectivity_slug", help="Slug de la collectivité (référents seulement).")
@click.option("--name", "full_name", default="")
@with_appcontext
def create_user_command(email: str, role: str, collectivity_slug: str | None, full_name: str):
    """Create an account; the password is asked twice (hidden), never passed on the command line."""
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
