"""Importing collectivities from a spreadsheet's CSV: decode, read, check every row, then apply all or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlmodel import Session

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


class ImportRefused(ValueError):
    """The file cannot be read at all (encoding, columns, size), with a French reason."""


@dataclass
class ImportRow:
    """One line of the file and what the import would do with it."""

    line: int
    raw: dict
    status: str  # new | known | error
    values: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    existing_id: int | None = None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the two encodings spreadsheets write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportRefused(_l("Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")) \
            from error


def read_rows(text: str) -> list[tuple[int, dict]]:
    """The file's rows keyed by documented column, comma or semicolon separated."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRefused(_l("Le fichier est vide."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [slugify(cell, separator="_") for cell in next(reader)]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportRefused(_l("Colonnes obligatoires absentes : %(columns)s. Colonnes lues : %(read)s.",
                               columns=", ".join(missing), read=", ".join(header)))
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((number, {column: cell.strip() for column, cell in zip(header, cells) if column in COLUMNS}))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(_l("Le fichier dépasse %(n)s lignes : découpez-le.", n=MAX_ROWS))
    return rows


def preview(session: Session, data: bytes) -> list[ImportRow]:
    """Each row as new, already known or in error, with its reasons; nothing is written."""
    rows = []
    seen: dict[tuple, int] = {}
    for line, raw in read_rows(decode(data)):
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
