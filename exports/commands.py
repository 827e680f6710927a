"""``hub report`` (the programme report's PDF, or one collectivity's sheet) and ``hub programme export|import``
(a programme's backup archive), from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from exports.annexes import collectivity_sheet
from exports.archive import ArchiveRefused, export_programme, import_programme
from exports.assembly import assemble_report, programme_header
from exports.rendering import render_report_pdf, render_sheet_pdf
from hub.core.db import system_session
from hub.core.models import Programme
from participants.models import Collectivity


@click.command("report")
@click.option("--programme", "programme_slug", required=True, help="Slug du programme.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--collectivity", "collectivity_slug", default=None, help="Slug d'une collectivité : sa fiche seule.")
@with_appcontext
def report_command(programme_slug: str, out_path: Path, collectivity_slug: str | None):
    """Write the programme report's PDF, or one collectivity's sheet, with a progress bar."""
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


@click.group("programme")
def programme_group():
    """Back up a programme into one archive, or restore one."""


@programme_group.command("export")
@click.argument("slug")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Fichier d'archive à écrire (.zip).")
@with_appcontext
def programme_export(slug: str, out_path: Path):
    """Write everything the programme owns, with its published versions and their files, into one archive."""
    with system_session() as session:
        try:
            manifest = export_programme(session, slug, out_path)
        except ArchiveRefused as refusal:
            out_path.unlink(missing_ok=True)
            raise click.ClickException(str(refusal)) from refusal
    rows = sum(member.get("rows", 0) for member in manifest["members"].values())
    files = sum(1 for name in manifest["members"] if name.startswith("files/"))
    click.echo(f"{out_path} écrit : {rows} lignes, {files} fichiers, schéma {manifest['schema_revision']}, "
               f"{out_path.stat().st_size // 1024} Ko.")


@programme_group.command("import")
@click.argument("archive_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="Restaurer sous un autre identifiant (si celui de l'archive est pris).")
@with_appcontext
def programme_import(archive_path: Path, slug: str | None):
    """Restore a programme from its archive, in one transaction: all of it or nothing."""
    with system_session() as session:
        try:
            restored = import_programme(session, archive_path, slug)
        except ArchiveRefused as refusal:
            session.rollback()
            raise click.ClickException(str(refusal)) from refusal
        session.commit()
    rows = sum(restored.rows.values())
    click.echo(f"Programme « {restored.slug} » restauré : {rows} lignes ; collectivités déjà présentes reprises : "
               f"{restored.reused.get('collectivity', 0)}, comptes repris : {restored.reused.get('user_account', 0)}.")
