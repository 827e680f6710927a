"""Importing collectivities from a spreadsheet's CSV: decode, read, check every row, then apply all or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from hub.core import tables
from participants import service
from participants.rules import check_collectivity

# The documented columns, in the order of the example file, and the field each fills.
COLUMNS = {
    "nom": "name",
    "type": "kind",
    "type_epci": "epci_subkind",
    "departement": "departement_code",
    "siren": "siren",
    "population": "population",
    "contact_nom": "contact_name",
    "contact_email": "contact_email",
}
REQUIRED_COLUMNS = ("nom", "type", "departement")
EXAMPLE = (
    "nom;type;type_epci;departement;siren;population;contact_nom;contact_email\n"
    "Commune exemple;commune;;71;;1200;Secrétariat de mairie;mairie@exemple.fr\n"
    "Communauté exemple;EPCI;CC;58;;15000;Service numérique;numerique@exemple.fr\n"
    "Syndicat exemple;syndicat mixte;;89;;;Direction;direction@exemple.fr\n"
)
MAX_ROWS = 5000


@dataclass
class ImportRow:
    """One line of the file and what the import would do with it."""

    line: int
    raw: dict
    status: str  # new | known | error
    values: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    existing_id: int | None = None


def read_rows(data: bytes | str) -> list[tables.TableRow]:
    """The file's rows keyed by documented column, whatever the spreadsheet's encoding and separator."""
    return tables.read_table(data, required=REQUIRED_COLUMNS, optional=COLUMNS, max_rows=MAX_ROWS)


def preview(session: Session, data: bytes) -> list[ImportRow]:
    """Each row as new, already known or in error, with its reasons; nothing is written."""
    rows = []
    seen: dict[tuple, int] = {}
    for table_row in read_rows(data):
        line, raw = table_row.line, table_row.values
        checked = check_collectivity({field_name: raw.get(column, "") for column, field_name in COLUMNS.items()})
        row = ImportRow(line=line, raw=raw, status="new", values=checked.values)
        if not checked.valid:
            row.status, row.reasons = "error", [str(message) for message in checked.errors.values()]
        else:
            duplicate = service.find_duplicate(session, checked.values)
            keys = [("siren", checked.values["siren"])] if checked.values["siren"] else []
            keys.append(("name", checked.values["name"].lower(), checked.values["departement_code"]))
            earlier = next((seen[key] for key in keys if key in seen), None)
            if duplicate is not None:
                row.status, row.existing_id = "known", duplicate[0].id
                row.reasons = [str(_l("Déjà enregistrée : %(name)s (%(dep)s).", name=duplicate[0].name,
                                      dep=duplicate[0].departement_code))]
            elif earlier is not None:
                row.status = "error"
                row.reasons = [str(_l("Même collectivité qu'à la ligne %(line)s du fichier.", line=earlier))]
            else:
                seen.update({key: line for key in keys})
        rows.append(row)
    return rows


def apply(session: Session, rows: list[ImportRow]) -> int:
    """Register every new row (the caller commits once, so all land or none)."""
    created = 0
    for row in rows:
        if row.status == "new":
            service.register_collectivity(session, values=row.values)
            created += 1
    return created
