"""``hub programme export|import``: a programme's backup archive, restored row for row and file for file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from exports import archive_plan as plan
from exports.archive import import_programme, schema_revision
from hub import create_app
from hub.core import file_store
from hub.core.db import new_session
from hub.core.models import AuditEntry, Programme, ProgrammeTheme, User
from hub.core.scoping import Scope
from irritants import photos
from irritants.models import Irritant, IrritantPhoto, ScoringParameters
from participants.models import Collectivity
from tests import factories
from workshops.service_list import ProgrammeService

DEMO = "experimentation-ia-2024-bfc"
ENV = {"HUB_DEMO_PASSWORD": "mot-de-passe-demo"}


def test_every_table_has_one_place_in_the_backup():
    places = {}
    for name in SQLModel.metadata.tables:
        places[name] = [place for place, holds in (
            ("owned", plan.is_owned(name)), ("shared", name in plan.SHARED), ("audit", name == plan.AUDIT),
            ("left out", name in plan.LEFT_OUT)) if holds]
    assert {name: found for name, found in places.items() if len(found) != 1} == {}
    assert all(plan.is_owned(parent) for _column, parent in plan.THROUGH_PARENT.values())


def _export(runner, tmp_path: Path, slug: str = DEMO) -> Path:
    out = tmp_path / "programme.zip"
    result = runner.invoke(args=["programme", "export", slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _rewritten(archive: Path, change) -> Path:
    """A copy of the archive whose members ``change(name, data)`` may alter."""
    copy = archive.with_name("altered.zip")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return copy


def _counts(db) -> dict:
    return {model.__name__: db.exec(select(sa.func.count()).select_from(model)).one()
            for model in (Programme, Collectivity, User, Irritant, AuditEntry)}


def _comparable(table: sa.Table, row, ids: dict[str, dict[int, int]] | None = None) -> dict:
    """A row's values without its id, those it points to translated by ``ids`` (source → restored) if given."""
    pointing = plan.references(table)
    values = {}
    for column, value in row.items():
        if column == "id" or column in plan.stored_columns(table):
            continue  # a stored file comes back under a key of its own (its bytes are compared instead)
        if column in plan.database_counters(table):
            continue  # moved by the restored rows' own inserts (hub.core.revisions)
        if ids is not None and column in pointing and value is not None:
            value = ids[pointing[column]][value]
        values[column] = bytes(value) if isinstance(value, memoryview) else value
    return values


def test_the_demo_programme_round_trips_row_for_row_and_file_for_file(runner, db, own_database, tmp_path):
    assert runner.invoke(args=["demo"], env=ENV).exit_code == 0
    programme_id = db.exec(select(Programme.id).where(Programme.slug == DEMO)).one()
    # A photo of one of the demo's irritants: its bytes are in the file store, not in the database.
    with runner.app.app_context():
        pictured = db.exec(select(Irritant).where(Irritant.programme_id == programme_id).order_by(Irritant.id)).first()
        photo, _created = photos.add_photo(db, irritant=pictured, data=factories.jpeg((64, 48), "orange"),
                                           client_key="cle-photo-demo", by_user_id=None)
        db.commit()
        photo_bytes = file_store.current().get(photo.storage_key)
    archive = _export(runner, tmp_path)

    # Restored into another database, whose file store is another folder.
    other = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": own_database,
                        "SECRET_KEY": "test-secret", "JOBS_URL": "immediate",
                        "FILE_STORE_PATH": str(tmp_path / "photos-restaurees")})
    with other.app_context(), new_session(Scope.all()) as restored_session:
        restored = import_programme(restored_session, archive)
        restored_session.commit()
        # The database's counters are not the programme's data: the restored one starts its own.
        with zipfile.ZipFile(archive) as members:
            assert "settings_revision" not in members.read("tables/programme.jsonl").decode()
        restored_programme = restored_session.get(Programme, restored.ids["programme"][programme_id])
        assert restored_programme.settings_revision == restored_session.exec(
            select(sa.func.count()).select_from(ProgrammeTheme).where(
                ProgrammeTheme.programme_id == restored_programme.id)).one() + restored_session.exec(
            select(sa.func.count()).select_from(ProgrammeService).where(
                ProgrammeService.programme_id == restored_programme.id)).one() + restored_session.exec(
            select(sa.func.count()).select_from(ScoringParameters).where(
                ScoringParameters.programme_id == restored_programme.id)).one()
        restored_photo = restored_session.get(IrritantPhoto, restored.ids["irritant_photo"][photo.id])
        assert restored_photo.storage_key != photo.storage_key
        assert file_store.current().get(restored_photo.storage_key) == photo_bytes
        compared = {}
        for table in plan.owned_tables():
            source = db.connection().execute(
                sa.select(table).where(plan.owned_rows(table.name, programme_id)).order_by(table.c.id)).mappings()
            for row in source:
                copy = restored_session.execute(
                    sa.select(table).where(table.c.id == restored.ids[table.name][row["id"]])).mappings().one()
                assert _comparable(table, copy) == _comparable(table, row, restored.ids), table.name
                compared[table.name] = compared.get(table.name, 0) + 1
        for name in plan.SHARED:
            table = plan.tables()[name]
            for old, new in restored.ids[name].items():
                row = db.connection().execute(sa.select(table).where(table.c.id == old)).mappings().one()
                copy = restored_session.execute(sa.select(table).where(table.c.id == new)).mappings().one()
                assert _comparable(table, copy) == _comparable(table, row, restored.ids), name
        audit = plan.tables()[plan.AUDIT]
        restored_audit = restored_session.execute(
            sa.select(audit.c.action, audit.c.table_name, audit.c.changes).where(audit.c.action != "import")
            .order_by(audit.c.id)).all()

    # Every kind of row the demo has came back, the published version with its PDF and its frozen open data.
    assert compared["irritant"] >= 40 and compared["report_version"] == 1 and compared["remedy_option"] > 40
    assert {"programme", "enrolment", "workshop", "hypothesis_test", "decision", "decision_irritant", "usage_month",
            "survey_result", "impact_value", "mutual_group_member", "irritant_event"} <= set(compared)
    source_version = db.connection().execute(sa.text(
        "SELECT pdf, opendata_csv, sha256 FROM report_version WHERE programme_id = :p"), {"p": programme_id}).one()
    with zipfile.ZipFile(archive) as opened:
        files = {name: opened.read(name) for name in opened.namelist() if name.startswith("files/")}
    assert sorted(files.values()) == sorted([bytes(source_version.pdf), bytes(source_version.opendata_csv),
                                             photo_bytes])
    assert compared["irritant_photo"] == 1
    # The audit log's story of those rows came with them, in order.
    exported_audit = [json.loads(line) for line in zipfile.ZipFile(archive).read(
        f"tables/{plan.AUDIT}.jsonl").decode().splitlines()]
    assert len(exported_audit) > 500
    assert [(a, t, c) for a, t, c in restored_audit] == [
        (entry["action"], entry["table_name"], entry["changes"]) for entry in exported_audit]


def test_a_restore_into_the_same_database_reuses_its_collectivities_and_accounts(runner, db, tmp_path):
    assert runner.invoke(args=["demo"], env=ENV).exit_code == 0
    archive = _export(runner, tmp_path)
    before = _counts(db)

    refused = runner.invoke(args=["programme", "import", str(archive)])
    assert refused.exit_code == 1
    assert f"Un programme « {DEMO} » existe déjà dans cette base" in refused.output and "--slug" in refused.output

    result = runner.invoke(args=["programme", "import", str(archive), "--slug", "copie-bfc"])
    assert result.exit_code == 0, result.output
    assert "collectivités déjà présentes reprises : 12, comptes repris : 10" in result.output
    after = _counts(db)
    assert after["Collectivity"] == before["Collectivity"] and after["User"] == before["User"]
    assert after["Programme"] == before["Programme"] + 1
    demo = db.exec(select(Programme).where(Programme.slug == DEMO)).one()
    copy = db.exec(select(Programme).where(Programme.slug == "copie-bfc")).one()
    titles = {slug: sorted(db.exec(select(Irritant.title).where(Irritant.programme_id == p.id)).all())
              for slug, p in ((DEMO, demo), ("copie-bfc", copy))}
    assert titles[DEMO] == titles["copie-bfc"]
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.table_name == "programme" and entry.row_id == copy.id
    assert entry.changes["archive"]["slug"] == DEMO and entry.changes["rows"]["irritant"] == len(titles[DEMO])


def test_an_archive_of_another_schema_revision_is_refused_and_nothing_written(runner, db, world, tmp_path):
    archive = _export(runner, tmp_path, world.programme.slug)

    def older(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "0011"
        return json.dumps(manifest).encode()

    before = _counts(db)
    result = runner.invoke(args=["programme", "import", str(_rewritten(archive, older)), "--slug", "autre"])
    assert result.exit_code == 1
    here = schema_revision(db)
    assert f"Cette archive vient d'une base au schéma 0011, celle-ci est au schéma {here}" in result.output
    assert _counts(db) == before


def test_an_altered_archive_is_refused_before_anything_is_written(runner, db, world, tmp_path):
    archive = _export(runner, tmp_path, world.programme.slug)

    def tampered(name, data):
        return data.replace(b"Recherche d'anciens", b"Recherche d'autres") if name == "tables/irritant.jsonl" else data

    before = _counts(db)
    result = runner.invoke(args=["programme", "import", str(_rewritten(archive, tampered)), "--slug", "autre"])
    assert result.exit_code == 1
    assert "Archive altérée : la somme de contrôle de tables/irritant.jsonl ne correspond pas" in result.output
    assert _counts(db) == before


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "Ce fichier n'est pas une archive lisible"),
    (None, "manifeste absent ou illisible"),
])
def test_a_file_that_is_no_archive_is_refused_with_a_clear_message(runner, tmp_path, content, message):
    path = tmp_path / "fichier.zip"
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as empty:
            empty.writestr("autre.txt", "bonjour")
        content = buffer.getvalue()
    path.write_bytes(content)
    result = runner.invoke(args=["programme", "import", str(path)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_exporting_an_unknown_programme_says_so_and_leaves_no_file(runner, tmp_path):
    out = tmp_path / "rien.zip"
    result = runner.invoke(args=["programme", "export", "inconnu", "--out", str(out)])
    assert result.exit_code == 1 and "Programme inconnu : inconnu" in result.output
    assert not out.exists()
