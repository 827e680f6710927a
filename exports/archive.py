"""A programme's backup archive: everything it owns in one ZIP file, restorable into this or another database.

Why this shape: a ZIP of JSON Lines is readable without the hub (any unzip and a text editor show the rows), streams
table by table at national scale, and keeps files (published PDFs, frozen open data, the agency's logo) as files.
The archive holds:

- ``manifest.json``: the format, the schema revision of the database it came from (Alembic), the programme, and for
  every other member its number of rows or bytes and its SHA-256, checked before anything is restored;
- ``tables/<table>.jsonl``: one JSON object per row, ids as they were in the source database;
- ``files/<table>/<id>/<column>``: the binary columns.

A restore inserts every row under a new id (the target may already hold other programmes) and maps every reference,
in one transaction: all of it lands, or nothing. It refuses an archive from another schema revision, an altered
archive, and a programme whose slug the database already uses (``--slug`` restores it under another one).
The archive carries accounts' password hashes, as a database dump does: keep it as you keep the database.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlmodel import Session

from exports import archive_plan as plan
from hub.core import file_store
from hub.core.models import utcnow
from hub.core.refusals import Refused

FORMAT = "hub-programme-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000


class ArchiveRefused(Refused):
    """An archive that cannot be restored here; the message says why, in French."""


@dataclass
class Restored:
    """What a restore did: the new programme, rows per table, and each source id's new id (table → old → new)."""

    programme_id: int
    slug: str
    rows: dict[str, int]
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)


def schema_revision(session: Session) -> str | None:
    """The Alembic revision the database stands at."""
    return MigrationContext.configure(session.connection()).get_current_revision()


class _Writer:
    """Members written one by one into the ZIP, each with its checksum for the manifest."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.members: dict[str, dict] = {}

    def write_bytes(self, name: str, data: bytes, **facts) -> None:
        self.archive.writestr(name, data)
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **facts}

    def write_files(self, session: Session, table: sa.Table, files: list[tuple[int, str]]) -> None:
        """The binary columns listed while the table's rows were written, one member each, read one at a time."""
        stored = plan.stored_columns(table)
        for row_id, column in files:
            data = session.scalar(sa.select(table.c[column]).where(table.c.id == row_id))
            if column in stored:  # the column names the file: its bytes are in the file store
                data = file_store.current().get(data)
            self.write_bytes(_file_name(table.name, row_id, column), bytes(data))

    def write_rows(self, name: str, rows) -> int:
        digest, count, size = hashlib.sha256(), 0, 0
        with self.archive.open(name, "w", force_zip64=True) as member:
            for row in rows:
                line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
                member.write(line)
                digest.update(line)
                count, size = count + 1, size + len(line)
        self.members[name] = {"sha256": digest.hexdigest(), "bytes": size, "rows": count}
        return count


def export_programme(session: Session, slug: str, out: Path) -> dict:
    """Write the programme's archive to ``out``; return its manifest."""
    programme_table = plan.tables()[plan.PROGRAMME]
    programme = session.execute(sa.select(programme_table).where(programme_table.c.slug == slug)).mappings().first()
    if programme is None:
        raise ArchiveRefused(f"Programme inconnu : {slug}")
    exported: dict[str, set[int]] = {}
    referred: dict[str, set[int]] = defaultdict(set)  # shared rows the owned ones point to
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        for table in plan.owned_tables():
            query = sa.select(table).where(plan.owned_rows(table.name, programme["id"])).order_by(table.c.id)
            ids = exported[table.name] = set()
            files: list[tuple[int, str]] = []
            writer.write_rows(f"tables/{table.name}.jsonl", _rows(session, table, query, files, ids, referred))
            writer.write_files(session, table, files)
        audit_users = set()
        writer.write_rows(f"tables/{plan.AUDIT}.jsonl", _audit_rows(session, exported, audit_users))
        referred[plan.ACCOUNT] |= audit_users
        accounts = plan.tables()[plan.ACCOUNT]
        account_ids = referred[plan.ACCOUNT] | set(session.scalars(
            sa.select(accounts.c.id).where(accounts.c.scope_collectivity_id.in_(referred[plan.COLLECTIVITY]))))
        writer.write_rows(f"tables/{plan.ACCOUNT}.jsonl",
                          _rows(session, accounts, _by_ids(accounts, account_ids), [], set(), referred))
        collectivities = plan.tables()[plan.COLLECTIVITY]
        writer.write_rows(f"tables/{plan.COLLECTIVITY}.jsonl",
                          _rows(session, collectivities, _by_ids(collectivities, referred[plan.COLLECTIVITY]),
                                [], set(), referred))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": schema_revision(session),
            "programme": {"id": programme["id"], "slug": slug, "name": programme["name"]},
            "created_at": utcnow().isoformat(),
            "left_out": plan.LEFT_OUT, "members": writer.members,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _by_ids(table: sa.Table, ids: set[int]) -> sa.Select:
    return sa.select(table).where(table.c.id.in_(sorted(ids))).order_by(table.c.id)


def _rows(session, table, query, files: list[tuple[int, str]], ids: set[int], referred):
    """Each row as JSON, the shared rows it points to noted, its files listed (written once the member is closed)."""
    pointing = {column: target for column, target in plan.references(table).items() if target in plan.SHARED}
    binary = plan.binary_columns(table) + plan.stored_columns(table)
    # Streamed: a national programme's irritants are not held in memory at once.
    for row in session.execute(query.execution_options(yield_per=BATCH)).mappings():
        ids.add(row["id"])
        for column, target in pointing.items():
            if row[column] is not None:
                referred[target].add(row[column])
        record = {key: plan.to_json(value) for key, value in row.items()
                  if key not in binary and key not in plan.database_counters(table)}
        for column in binary:
            record[column] = None if row[column] is None else _file_name(table.name, row["id"], column)
            if row[column] is not None:
                files.append((row["id"], column))
        yield record


def _file_name(table: str, row_id: int, column: str) -> str:
    return f"files/{table}/{row_id}/{column}"


def _audit_rows(session, exported: dict[str, set[int]], users: set[int]):
    """The audit log's entries about the exported rows, in order."""
    audit = plan.tables()[plan.AUDIT]
    query = (sa.select(audit).where(audit.c.table_name.in_(list(exported))).order_by(audit.c.id)
             .execution_options(yield_per=BATCH))
    for row in session.execute(query).mappings():
        if row["row_id"] in exported[row["table_name"]]:
            if row["user_id"] is not None:
                users.add(row["user_id"])
            yield {key: plan.to_json(value) for key, value in row.items()}


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The archive's manifest, once every member is checked against its checksum."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise ArchiveRefused("Ce fichier n'est pas une archive de programme du hub (manifeste absent ou illisible).") \
            from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused("Ce fichier n'est pas une archive de programme du hub dans un format connu.")
    for name, facts in manifest["members"].items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                for chunk in iter(lambda: member.read(1 << 20), b""):
                    digest.update(chunk)
        except (KeyError, zipfile.BadZipFile) as error:
            raise ArchiveRefused(f"Archive incomplète ou abîmée : {name} est illisible.") from error
        if digest.hexdigest() != facts["sha256"]:
            raise ArchiveRefused(f"Archive altérée : la somme de contrôle de {name} ne correspond pas au manifeste.")
    return manifest


def import_programme(session: Session, path: Path, slug: str | None = None) -> Restored:
    """Restore the archive at ``path`` into this database (in the caller's transaction); refuse what cannot be."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveRefused(f"Ce fichier n'est pas une archive lisible : {error}") from error
    with archive:
        manifest = read_manifest(archive)
        here = schema_revision(session)
        if manifest["schema_revision"] != here:
            raise ArchiveRefused(
                f"Cette archive vient d'une base au schéma {manifest['schema_revision']}, celle-ci est au schéma "
                f"{here}. Restaurez-la dans une base au même schéma (hub db upgrade {manifest['schema_revision']} "
                "sur une base vide), puis mettez celle-ci à jour avec hub db upgrade.")
        slug = slug or manifest["programme"]["slug"]
        programmes = plan.tables()[plan.PROGRAMME]
        if session.scalar(sa.select(programmes.c.id).where(programmes.c.slug == slug)) is not None:
            raise ArchiveRefused(f"Un programme « {slug} » existe déjà dans cette base : restaurez l'archive sous "
                                 "un autre identifiant (--slug).")
        return _Restore(session, archive, slug).run(manifest)


class _Restore:
    """One restore: rows inserted table by table under new ids, every reference mapped."""

    def __init__(self, session: Session, archive: zipfile.ZipFile, slug: str):
        self.session, self.archive, self.slug = session, archive, slug
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)
        self.rows: dict[str, int] = {}
        self.reused: dict[str, int] = {}

    def records(self, name: str):
        with self.archive.open(f"tables/{name}.jsonl") as member:
            for line in member:
                yield json.loads(line)

    def run(self, manifest: dict) -> Restored:
        self.match_shared(plan.COLLECTIVITY, self.find_collectivity)
        self.match_shared(plan.ACCOUNT, self.find_account)
        for table in plan.owned_tables():
            self.insert(table, self.records(table.name))
        self.restore_audit()
        programme_id = self.ids[plan.PROGRAMME][manifest["programme"]["id"]]
        self.session.execute(sa.insert(plan.tables()[plan.AUDIT]).values(
            at=utcnow(), user_id=None, action="import", table_name=plan.PROGRAMME, row_id=programme_id,
            changes={"archive": manifest["programme"], "schema_revision": manifest["schema_revision"],
                     "rows": self.rows, "reused": self.reused}))
        return Restored(programme_id, self.slug, self.rows, dict(self.ids), self.reused)

    def match_shared(self, name: str, find) -> None:
        """Shared rows the database already has are reused as they are; the others are inserted."""
        table, missing = plan.tables()[name], []
        for record in self.records(name):
            existing = find(table, record)
            if existing is None:
                missing.append(record)
            else:
                self.ids[name][record["id"]] = existing
        self.reused[name] = len(self.ids[name])
        self.insert(table, missing)

    def find_collectivity(self, table: sa.Table, record: dict) -> int | None:
        conditions = [sa.and_(table.c.name == record["name"], table.c.departement_code == record["departement_code"]),
                      table.c.slug == record["slug"]]
        if record.get("siren"):
            conditions.insert(0, table.c.siren == record["siren"])
        for condition in conditions:
            found = self.session.scalar(sa.select(table.c.id).where(condition))
            if found is not None:
                return found
        return None

    def find_account(self, table: sa.Table, record: dict) -> int | None:
        return self.session.scalar(sa.select(table.c.id).where(sa.func.lower(table.c.email) == record["email"].lower()))

    def insert(self, table: sa.Table, records) -> None:
        """Insert the records under new ids, by batches, noting each old id's new one."""
        pointing, binary = plan.references(table), set(plan.binary_columns(table))
        # A stored file's column keeps its member's name until the row has its new id (store_files below).
        batch: list[tuple[int, dict]] = []
        count = 0
        for record in records:
            batch.append((record["id"], self.prepared(table, record, pointing, binary)))
            if len(batch) == BATCH:
                count += self.flush(table, batch)
                batch = []
        count += self.flush(table, batch)
        self.rows[table.name] = self.rows.get(table.name, 0) + count

    def prepared(self, table: sa.Table, record: dict, pointing: dict[str, str], binary: set[str]) -> dict:
        values = {}
        for column in table.c:
            if column.name == "id" or column.name not in record or column.name in plan.database_counters(table):
                continue
            value = record[column.name]
            if column.name in binary:
                value = None if value is None else self.archive.read(value)
            elif column.name in pointing and value is not None:
                value = self.new_id(pointing[column.name], value, f"{table.name}.{column.name}")
            else:
                value = plan.from_json(column, value)
            values[column.name] = value
        if table.name == plan.PROGRAMME:
            values["slug"] = self.slug
        if table.name == "irritant" and values.get("client_key") and self.session.scalar(
                sa.select(table.c.id).where(table.c.client_key == values["client_key"])) is not None:
            values["client_key"] = None  # the capture's idempotence key is already used here: it is not needed
        return values

    def new_id(self, target: str, old: int, where: str) -> int:
        try:
            return self.ids[target][old]
        except KeyError:
            raise ArchiveRefused(f"Archive incohérente : {where} renvoie à la ligne {old} de {target}, "
                                 "absente de l'archive.") from None

    def flush(self, table: sa.Table, batch: list[tuple[int, dict]]) -> int:
        if not batch:
            return 0
        statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        new_ids = self.session.scalars(statement, [values for _old, values in batch]).all()
        for (old, _values), new in zip(batch, new_ids, strict=True):
            self.ids[table.name][old] = new
        if table.name in plan.STORED_FILES:
            self.store_files(table, [values for _old, values in batch], new_ids)
        return len(batch)

    def store_files(self, table: sa.Table, rows: list[dict], new_ids: list[int]) -> None:
        """Each stored file's bytes into this database's file store, under a new key made from its new id."""
        column, prefix = plan.STORED_FILES[table.name]
        store = file_store.current()
        for values, new in zip(rows, new_ids, strict=True):
            key = file_store.new_key(prefix, new)
            store.put(key, self.archive.read(values[column]), values.get("content_type") or "application/octet-stream")
            self.session.execute(sa.update(table).where(table.c.id == new).values({column: key}))

    def restore_audit(self) -> None:
        """The audit log's entries, about the new rows and under the new ids of the people who wrote them."""
        audit, entries, count = plan.tables()[plan.AUDIT], [], 0
        for count, record in enumerate(self.records(plan.AUDIT), start=1):
            record = {key: plan.from_json(audit.c[key], value) for key, value in record.items() if key != "id"}
            record["row_id"] = self.ids[record["table_name"]].get(record["row_id"])
            if record["user_id"] is not None:
                record["user_id"] = self.ids[plan.ACCOUNT].get(record["user_id"])
            entries.append(record)
            if len(entries) == BATCH:
                self.session.execute(sa.insert(audit), entries)
                entries = []
        if entries:
            self.session.execute(sa.insert(audit), entries)
        self.rows[plan.AUDIT] = count
