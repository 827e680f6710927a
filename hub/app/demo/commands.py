"""``hub demo``: load the demonstration programme (and, on request, the national scale)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from hub.app.demo.loader import DemoRefused, demo_password, ensure_accounts, ensure_only_demo_data, load_arnia
from hub.core.db import system_session


@click.command("demo")
@click.option("--scale", type=click.Choice(["regional", "national"]), default="regional",
              help="national ajoute un programme synthétique de 100 000 irritants (bancs d'essai).")
@with_appcontext
def demo_command(scale: str):
    """Load ARNia's 2024 programme as demonstration data; running it again changes nothing."""
    password, generated = demo_password(os.environ, Path(current_app.instance_path))
    started = time.perf_counter()
    with system_session() as session:
        try:
            ensure_only_demo_data(session)
        except DemoRefused as refused:
            raise click.ClickException(str(refused)) from refused
        ensure_accounts(session, password, {})
        programme, collectivities, created = load_arnia(session)
        emails = ensure_accounts(session, password, collectivities)
        if scale == "national":
            from hub.app.demo.national import load_national

            with click.progressbar(length=4, label="Programme national synthétique") as bar:
                load_national(session, password=password, progress=lambda step, total: bar.update(step - bar.pos))
        session.commit()
    click.echo(("Programme de démonstration chargé : " if created else "Programme de démonstration déjà présent : ")
               + programme.name)
    if scale == "national":
        click.echo(f"Échelle nationale prête en {time.perf_counter() - started:.1f} s.")
    click.echo(f"Comptes ({len(emails)}) : admin@demo.hub, equipe@demo.hub, comite@demo.hub, "
               "referent.<collectivité>@demo.hub")
    if generated:
        click.echo(f"Mot de passe de démonstration : {password}  (fixez HUB_DEMO_PASSWORD pour le choisir)")
    else:
        click.echo("Mot de passe de démonstration : celui de HUB_DEMO_PASSWORD")
