"""The four downloadable lists (irritants, workshops, decisions, monthly usage) as French columns and plain rows.

Each dataset reads the very statement its list page reads, through the page's own filter object, so that an export
holds exactly the rows the list shows under the same filters, and only those the session's scope lets it see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.labels import label
from hub.core.models import ProgrammeTheme
from irritants import decisions as decision_service
from irritants import service as irritant_service
from participants import usage as usage_service
from workshops import service as workshop_service

IRRITANT_COLUMNS = (
    _l("Identifiant"), _l("Intitulé"), _l("Type"), _l("Collectivité"), _l("Service"), _l("Thématique"),
    _l("Statut"), _l("Description"), _l("Souhait"), _l("Remonté par"), _l("Niveau de preuve"),
    _l("Actionnabilité"), _l("Occurrences par mois"), _l("Minutes par occurrence"), _l("Agents concernés"),
    _l("Heures par an"), _l("Priorité (€/an)"), _l("Famille recommandée"), _l("Créé le"),
)
WORKSHOP_COLUMNS = (
    _l("Identifiant"), _l("Date"), _l("Collectivité"), _l("Lieu"), _l("Statut"), _l("Services"),
    _l("Thématiques"), _l("Agents rencontrés"),
)
# The same first columns as the decision log's former CSV, which committee members already open.
DECISION_COLUMNS = (
    _l("Date du comité"), _l("Décision"), _l("Collectivité"), _l("Irritant"), _l("Justification"),
    _l("Responsable"), _l("Version des paramètres"),
)
USAGE_COLUMNS = (
    _l("Collectivité"), _l("Mois"), _l("Utilisateurs actifs"), _l("Requêtes"), _l("Cas d'usage"), _l("Origine"),
    _l("Validé"),
)
USAGE_SOURCES = {"entered": _l("Saisie"), "imported": _l("Import")}


@dataclass(frozen=True)
class Table:
    """A dataset ready to write: its column titles and its rows of plain values."""

    header: list[str]
    rows: list[tuple]


def _header(columns) -> list[str]:
    return [str(title) for title in columns]


def _day(value: datetime | None):
    return value.date() if value is not None else None


def _theme_labels(session: Session, programme_ids: set[int]) -> dict[tuple[int, str], str]:
    # One query for every programme in the rows (a référent's workshops may span several).
    if not programme_ids:
        return {}
    rows = session.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id.in_(programme_ids)))
    return {(row.programme_id, row.code): row.label for row in rows}


def irritants(session: Session, *, filters: irritant_service.IrritantFilters) -> Table:
    """The irritant list under its filters, with the figures the team qualifies them by."""
    found = irritant_service.irritant_rows(session, filters=filters)
    themes = _theme_labels(session, {irritant.programme_id for irritant, _name in found})
    rows = [(i.id, i.title, label("irritant_kind", i.kind), name, i.service,
             themes.get((i.programme_id, i.theme), i.theme), label("irritant", i.status), i.description, i.wish,
             i.raised_by, i.evidence_level, i.actionability, i.occurrences_per_month, i.minutes_per_occurrence,
             i.agents_affected, round(i.hours_per_year, 1),
             round(i.priority_value) if i.priority_value is not None else None,
             label("family", i.recommended_family) if i.recommended_family else None, _day(i.created_at))
            for i, name in found]
    return Table(_header(IRRITANT_COLUMNS), rows)


def workshops(session: Session, *, programme_id: int | None) -> Table:
    """The workshop list of a programme (or of every programme a référent took part in), by date."""
    found = workshop_service.workshop_rows(session, programme_id=programme_id)
    themes = _theme_labels(session, {workshop.programme_id for workshop, _c in found})
    rows = [(w.id, w.held_on, c.name, w.place, label("workshop", w.status), ", ".join(w.services),
             ", ".join(themes.get((w.programme_id, code), code) for code in w.themes), w.agents_met)
            for w, c in found]
    return Table(_header(WORKSHOP_COLUMNS), rows)


def decisions(session: Session, *, filters: decision_service.DecisionFilters) -> Table:
    """The decision log under its filters: one row per decision and irritant it covers, latest first."""
    rows = [(d.decided_on, label("decision", d.kind), name, irritant.title, d.rationale, d.owner,
             d.parameters_version)
            for d, irritant, name in decision_service.decision_rows(session, filters=filters)]
    return Table(_header(DECISION_COLUMNS), rows)


def usage(session: Session, *, programme_id: int) -> Table:
    """The months of use recorded for a programme, by collectivity then month."""
    rows = [(name, row.month.strftime("%Y-%m"), row.active_users, row.requests,
             # The notation of the tool's own export and of the usage import, which the team already reads.
             "|".join(f"{case}:{count}" for case, count in sorted(row.use_cases.items())),
             str(USAGE_SOURCES.get(row.source, row.source)), row.validated)
            for row, name in usage_service.usage_rows(session, programme_id=programme_id)]
    return Table(_header(USAGE_COLUMNS), rows)
