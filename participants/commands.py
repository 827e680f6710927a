"""``hub create-user`` (an account for the team, the committee or a référent) and ``hub registry load``."""

from __future__ import annotations

import tarfile
import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import select

from hub.core.auth import create_user
from hub.core.db import system_session
from hub.core.models import ROLES
from participants import registry
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


@click.group("registry")
def registry_group():
    """France's official registry of communes, EPCI and départements."""


@registry_group.command("load")
@click.option("--source", type=click.Path(exists=True, path_type=Path), default=None,
              help="Le paquet npm @etalab/decoupage-administratif (.tgz) ou son dossier ; "
                   f"par défaut la version {registry.SHIPPED_VERSION} livrée avec le hub.")
@click.option("--region", default=None, help="Code INSEE d'une région (ex. 27) : elle seule est chargée ou remplacée.")
@with_appcontext
def registry_load(source: Path | None, region: str | None):
    """Load (or reload) the registry from Etalab's découpage administratif, in one transaction."""
    started = time.perf_counter()
    with system_session() as session:
        try:
            loaded = registry.load(session, source, region)
        except (OSError, KeyError, ValueError, tarfile.TarError) as error:
            raise click.ClickException(f"Source du registre illisible ({source or registry.SHIPPED}) : {error}") \
                from error
        session.commit()
    click.echo(f"Registre chargé en {time.perf_counter() - started:.1f} s : {loaded.communes} communes, "
               f"{loaded.epci} EPCI, {loaded.departements} départements, {loaded.regions} régions.")
