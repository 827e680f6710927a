"""The audit log as the admin reads it: who did what, when, filtered by person, collectivity, table and dates.

Filtering by collectivity. An entry is « about » a collectivity when the row it records is owned by it, by the same
rule the scoping applies (``hub.core.scoping.scoped_models``: the collectivity's own row, and every table with a
``collectivity_id``), plus the accounts of its référents. Two conditions find those entries:

1. the row still exists and is owned now: ``row_id IN (SELECT id FROM <table> WHERE collectivity_id = :c)``, an
   indexed look-up in each owned table (``collectivity_id`` is indexed on each);
2. the row was deleted since: its insert or delete entry names its owner (the listener writes every column of the
   row on insert and delete), so the (table, row) pairs whose insert or delete entry says ``collectivity_id = c``
   bring in every entry of those rows, updates included.

The second reads the JSON of insert and delete entries (``changes ->> 'collectivity_id'``): a scan of those entries
on a large log, but one query whatever the number of tables, and the only way to still show a deleted irritant's
history under its collectivity. A row whose owner changed later is found under its current owner and its first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.models import AuditEntry, User
from hub.core.pagination import Page, paginate
from hub.core.scoping import scoped_models

ACTIONS = {
    "insert": _l("créé"), "update": _l("modifié"), "delete": _l("supprimé"), "login": _l("connexion"),
    "login_fail": _l("connexion refusée"), "lockout": _l("connexions bloquées après des échecs"),
    "import": _l("importé d'une archive"),
}
TABLES = {
    "audit_entry": _l("Journal"), "background_job": _l("Travail de fond"), "collectivity": _l("Collectivité"),
    "comment": _l("Commentaire"), "decision": _l("Décision"), "follow": _l("Suivi d'un irritant"),
    "notification_preference": _l("Choix de notification"), "programme_service": _l("Service du programme"),
    "decision_irritant": _l("Irritant d'une décision"), "enrolment": _l("Inscription à un programme"),
    "enrolment_event": _l("Étape d'une inscription"), "hypothesis": _l("Hypothèse"),
    "hypothesis_test": _l("Hypothèse testée en atelier"), "impact_measure": _l("Mesure d'impact"),
    "impact_value": _l("Valeur d'une mesure d'impact"), "invitation": _l("Lien de mot de passe"),
    "irritant": _l("Irritant"), "irritant_event": _l("Étape d'un irritant"),
    "login_throttle": _l("Limitation des connexions"), "milestone": _l("Jalon du programme"),
    "mutual_group": _l("Groupe de mutualisation"), "mutual_group_member": _l("Membre d'un groupe de mutualisation"),
    "programme": _l("Programme"), "programme_theme": _l("Thématique du programme"),
    "registry_entry": _l("Répertoire officiel des collectivités"), "remedy_option": _l("Option de remédiation"),
    "report_version": _l("Version du rapport"), "scoring_parameters": _l("Paramètres de la méthode"),
    "survey_result": _l("Résultat d'enquête"), "survey_wave": _l("Vague d'enquête"),
    "tool_seat": _l("Licences de l'outil"), "usage_month": _l("Usage mensuel de l'outil"),
    "user_account": _l("Compte"), "workshop": _l("Atelier"), "workshop_facilitator": _l("Animateur d'atelier"),
}
# A change's value is cut here on the page (the CSV keeps it whole): a workshop's notes can be pages long.
SHOWN_VALUE_LENGTH = 120
# The CSV holds at most this many entries, newest first: the filters narrow a larger log.
MAX_CSV_ROWS = 100_000
LOCAL_TIME = ZoneInfo("Europe/Paris")  # the agency's days: « du 3 au 5 juin » in French time


@dataclass(frozen=True)
class JournalFilters:
    """What the admin narrowed the log to; None means any."""

    person: str | None = None  # part of an e-mail address or a name
    collectivity_id: int | None = None
    table: str | None = None
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class JournalLine:
    """One entry as read: when, who, what action on which row, the fields it changed."""

    at: datetime
    email: str | None
    full_name: str | None
    action: str
    table: str
    row_id: int | None
    changes: list[tuple[str, str]]

    @property
    def action_label(self) -> str:
        """The action in words (« modifié »)."""
        return str(ACTIONS.get(self.action, self.action))

    @property
    def table_label(self) -> str:
        """The table in words (« Irritant »)."""
        return str(TABLES.get(self.table, self.table))


def _start_of(day: date) -> datetime:
    # Stored times are UTC: the local midnight is converted (SQLite compares the text, so UTC it must be).
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def _owned_by(session: Session, collectivity_id: int):
    owned = []
    for model in scoped_models():
        owner = getattr(model, model.__scope_column__)
        owned.append(sa.and_(AuditEntry.table_name == model.__tablename__,
                             AuditEntry.row_id.in_(select(model.id).where(owner == collectivity_id))))
    owned.append(sa.and_(AuditEntry.table_name == User.__tablename__,
                         AuditEntry.row_id.in_(select(User.id).where(User.scope_collectivity_id == collectivity_id))))
    # Deleted rows: their insert or delete entry names the owner (see the module's docstring).
    named = sa.or_(*(sa.and_(AuditEntry.table_name == model.__tablename__,
                             _json_names(session, model.__scope_column__, collectivity_id))
                     for model in scoped_models()))
    earlier = (select(AuditEntry.table_name, AuditEntry.row_id)
               .where(AuditEntry.action.in_(("insert", "delete")), named))
    owned.append(sa.tuple_(AuditEntry.table_name, AuditEntry.row_id).in_(earlier))
    return sa.or_(*owned)


def _json_names(session: Session, key: str, collectivity_id: int):
    value = AuditEntry.changes[key]
    if session.get_bind().dialect.name == "postgresql":
        # Compared as text: an update's [old, new] pair under the same key is no integer, and a cast would fail.
        return value.as_string() == str(collectivity_id)
    return value.as_integer() == collectivity_id


def _statement(session: Session, filters: JournalFilters):
    statement = (select(AuditEntry, User.email, User.full_name).outerjoin(User, User.id == AuditEntry.user_id)
                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if filters.person:
        typed = filters.person.strip().lower()
        # Escaped: a « % » or « _ » typed is looked for as such, not as a wildcard.
        people = select(User.id).where(sa.or_(sa.func.lower(User.email).contains(typed, autoescape=True),
                                              sa.func.lower(User.full_name).contains(typed, autoescape=True)))
        statement = statement.where(AuditEntry.user_id.in_(people))
    if filters.collectivity_id is not None:
        statement = statement.where(_owned_by(session, filters.collectivity_id))
    if filters.table:
        statement = statement.where(AuditEntry.table_name == filters.table)
    if filters.first_day is not None:
        statement = statement.where(AuditEntry.at >= _start_of(filters.first_day))
    if filters.last_day is not None:
        statement = statement.where(AuditEntry.at < _start_of(date.fromordinal(filters.last_day.toordinal() + 1)))
    return statement


def _value(value, limit: int | None) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def _changes(entry: AuditEntry, limit: int | None) -> list[tuple[str, str]]:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    shown = []
    for field, value in changes.items():
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            shown.append((field, f"{_value(value[0], limit)} → {_value(value[1], limit)}"))
        else:
            shown.append((field, _value(value, limit)))
    return shown


def _line(row, limit: int | None) -> JournalLine:
    entry, email, full_name = row
    return JournalLine(at=entry.at, email=email, full_name=full_name, action=entry.action, table=entry.table_name,
                       row_id=entry.row_id, changes=_changes(entry, limit))


def journal_page(session: Session, filters: JournalFilters, *, number: int, size: int) -> Page:
    """A page of the log, newest first."""
    page = paginate(session, _statement(session, filters), number, size)
    return Page(items=[_line(row, SHOWN_VALUE_LENGTH) for row in page.items], number=page.number, size=page.size,
                total=page.total)


def journal_lines(session: Session, filters: JournalFilters) -> Iterator[JournalLine]:
    """Every entry the filters keep (up to ``MAX_CSV_ROWS``), newest first, values whole: the CSV's lines."""
    statement = _statement(session, filters).limit(MAX_CSV_ROWS).execution_options(yield_per=1000)
    for row in session.execute(statement):
        yield _line(row, None)


def csv_rows(lines: Iterable[JournalLine]) -> Iterator[list]:
    """The CSV's cells for these lines (header: ``CSV_HEADER``)."""
    for line in lines:
        yield [line.at.replace(tzinfo=line.at.tzinfo or timezone.utc).isoformat(), line.email or "",
               line.full_name or "", line.action_label, line.table_label, line.table, line.row_id,
               " ; ".join(f"{field} : {value}" for field, value in line.changes)]


CSV_HEADER = [_l("Date (UTC)"), _l("Adresse électronique"), _l("Nom"), _l("Action"), _l("Table"),
              _l("Table (nom technique)"), _l("Ligne"), _l("Modifications")]


def table_choices() -> list[tuple[str, str]]:
    """The tables the log speaks of, by their words."""
    return sorted(((name, str(label)) for name, label in TABLES.items()), key=lambda pair: pair[1].lower())
