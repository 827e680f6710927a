"""What a programme owns, for its backup archive: which rows of which table, and how their values travel.

Every table of the schema has one place here, so that a table added later cannot be forgotten by the backup
(tests/exports/test_archive.py fails until it is placed):

- **owned**: the programme row itself, every table with a ``programme_id``, and the tables reached from those
  through one parent column (an irritant's comments, a workshop's hypothesis tests…);
- **shared**: collectivities and accounts, which several programmes use: the archive carries those the programme
  refers to, and a restore reuses the ones the database already has (same SIREN, name and département, e-mail);
- **audit**: the audit log's entries about the rows exported;
- **left out**, with the reason.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

from hub.core import revisions

PROGRAMME = "programme"
COLLECTIVITY = "collectivity"
ACCOUNT = "user_account"
AUDIT = "audit_entry"
SHARED = (COLLECTIVITY, ACCOUNT)

# Tables without a programme_id, found through the parent row that has one (column, parent table).
THROUGH_PARENT = {
    "enrolment_event": ("enrolment_id", "enrolment"),
    "survey_result": ("wave_id", "survey_wave"),
    "workshop_facilitator": ("workshop_id", "workshop"),
    "hypothesis_test": ("workshop_id", "workshop"),
    "irritant_event": ("irritant_id", "irritant"),
    "irritant_photo": ("irritant_id", "irritant"),
    "comment": ("irritant_id", "irritant"),
    "remedy_option": ("irritant_id", "irritant"),
    "mutual_group_member": ("group_id", "mutual_group"),
    "decision_irritant": ("decision_id", "decision"),
    "impact_measure": ("decision_id", "decision"),
    "impact_value": ("measure_id", "impact_measure"),
}

# Columns holding a key of the file store (hub.core.file_store), with the prefix of the keys a restore makes: the
# bytes travel as archive members, and come back under new keys (the target's store may already hold the old ones).
STORED_FILES = {"irritant_photo": ("storage_key", "irritant-photos")}

LEFT_OUT = {
    "background_job": "l'état de travaux en cours (propositions de groupes) : leur résultat est dans les groupes",
    "invitation": "des liens d'invitation à usage unique : un lien ne doit pas survivre à une restauration",
    "registry_entry": "le registre officiel des collectivités, le même pour tous : rechargé par hub registry load",
    "login_throttle": "des compteurs d'échecs de connexion de quinze minutes, sans valeur après restauration",
    "notification": "ce que chaque personne a été prévenue de voir : dérivé des changements sauvegardés, lu ou non",
    "follow": "ce que chaque personne suit : un choix personnel, refait en un clic, qui ne suit pas le programme",
    "notification_preference": "comment chaque personne veut être prévenue : un réglage de son compte",
}


def tables() -> dict[str, sa.Table]:
    """Every table of the schema, by name."""
    return dict(SQLModel.metadata.tables)


def owned_tables() -> list[sa.Table]:
    """The tables a programme owns, parents before children (the order a restore inserts them in)."""
    return [table for table in SQLModel.metadata.sorted_tables if is_owned(table.name)]


def is_owned(name: str) -> bool:
    """Whether the rows of this table belong to one programme."""
    if name in SHARED or name in LEFT_OUT or name == AUDIT:
        return False
    return name == PROGRAMME or "programme_id" in tables()[name].c or name in THROUGH_PARENT


def owned_rows(name: str, programme_id: int) -> sa.ColumnElement[bool]:
    """The condition that picks the programme's rows of an owned table (a subquery through the parent if needed)."""
    table = tables()[name]
    if name == PROGRAMME:
        return table.c.id == programme_id
    if "programme_id" in table.c:
        return table.c.programme_id == programme_id
    column, parent = THROUGH_PARENT[name]
    parent_table = tables()[parent]
    return table.c[column].in_(sa.select(parent_table.c.id).where(owned_rows(parent, programme_id)))


def references(table: sa.Table) -> dict[str, str]:
    """The columns of a table that hold another row's id, and the table each points to."""
    pointing = {}
    for column in table.c:
        for foreign_key in column.foreign_keys:
            pointing[column.name] = foreign_key.column.table.name
    return pointing


def binary_columns(table: sa.Table) -> list[str]:
    """Columns holding files (a PDF, a logo, a CSV): kept as members of the archive, not inside JSON."""
    return [column.name for column in table.c if isinstance(column.type, sa.LargeBinary)]


# Counters the database's triggers move (migrations 0020 to 0022, hub.core.revisions): not the programme's data; a
# restored programme's start again from its own rows' inserts.
DATABASE_COUNTERS = {PROGRAMME: revisions.COUNTERS}


def database_counters(table: sa.Table) -> tuple[str, ...]:
    """Columns neither exported nor restored: the database keeps them itself."""
    return DATABASE_COUNTERS.get(table.name, ())


def stored_columns(table: sa.Table) -> list[str]:
    """Columns naming a file of the file store: its bytes are kept as members of the archive, like binary columns."""
    return [STORED_FILES[table.name][0]] if table.name in STORED_FILES else []


def to_json(value):
    """A column's value as JSON can carry it (dates as ISO 8601; JSON columns and numbers as they are)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def from_json(column: sa.Column, value):
    """The value a column takes back from its JSON form."""
    if value is None:
        return None
    # SQLModel's datetimes are a TypeDecorator over sa.DateTime: look at the type underneath.
    stored_as = getattr(column.type, "impl_instance", column.type)
    if isinstance(stored_as, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(stored_as, sa.Date):
        return date.fromisoformat(value)
    return value
