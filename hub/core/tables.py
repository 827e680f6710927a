"""One table reader for every CSV import: bytes in, rows keyed by normalised column out, or one French refusal.

What a French spreadsheet writes is read: UTF-8 with or without BOM, Windows-1252 (hence Latin-1's accents),
UTF-16 with its BOM (Excel's « Texte Unicode »); ';', ',' or tab between cells; headers in any case, with or without
accents, spaces, hyphens or underscores. Whatever cannot be read, or is too large, raises ``TableRefused`` with a
French message (and the line where relevant), never a bare ``csv.Error`` that would end as a server error.
``hub.core.tabular`` is its counterpart, for the tables the hub writes.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from hub.core.i18n import gettext, number
from hub.core.refusals import Refused

MAX_BYTES = 5 * 1024 * 1024  # as the app's MAX_CONTENT_LENGTH
MAX_ROWS = 5000
MAX_CELL = 10_000  # characters; Python's csv module itself gives up at 131,072
DELIMITERS = (";", ",", "\t")  # in this order of preference when a header counts as many of each
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
QUOTED = re.compile(r'"[^"]*"')
NOT_A_NAME = re.compile(r"[^a-z0-9]+")
SHOWN_COLUMNS = 20  # of the header, named in a refusal


class TableRefused(Refused):
    """The file cannot be read as a table (encoding, columns, size), with a French reason and maybe the line.

    A ``Refused`` like every refusal of the hub: ``message`` and ``str()`` are the words, on no form field
    (the views show it above the upload).
    """

    def __init__(self, message, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class TableRow:
    """One row of the file: the line it starts on and its cells keyed by normalised column (stripped, "" if absent)."""

    line: int
    values: dict[str, str]


def normalise(name: str) -> str:
    """« Département », « DEPARTEMENT », « contact-nom », « Contact nom » → departement, contact_nom."""
    text = unicodedata.normalize("NFKD", str(name).translate(LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return NOT_A_NAME.sub("_", text).strip("_")


def decode(data: bytes | str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM, else Windows-1252; refused when it is not text."""
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise TableRefused(_unknown_encoding()) from error
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise TableRefused(_unknown_encoding()) from error
    if "\x00" in text:  # a workbook, a PDF, an image: no text file holds NUL characters
        raise TableRefused(gettext("Ce fichier n'est pas un fichier texte : enregistrez-le au format CSV "
                                   "(UTF-8 ou Windows-1252)."))
    return text


def _unknown_encoding() -> str:
    return gettext("Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")


def sniff_delimiter(header_line: str) -> str:
    """The separator the header line uses most, quoted text aside; ';' when it has none (one column)."""
    bare = QUOTED.sub("", header_line)
    return max(DELIMITERS, key=lambda delimiter: (bare.count(delimiter), -DELIMITERS.index(delimiter)))


def _bytes(source, max_bytes: int) -> bytes | str:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, str):
        data = source
    else:  # a file storage or any binary file object: never read more than the limit and one byte
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableRefused(gettext("Le fichier dépasse %(n)s Mo : découpez-le ou allégez-le.",
                                   n=number(max_bytes / 1024 / 1024, 0 if max_bytes % (1024 * 1024) == 0 else 1)))
    return data


def _too_long(line: int, max_cell: int) -> TableRefused:
    return TableRefused(gettext("Ligne %(line)s : une cellule dépasse %(n)s caractères (un guillemet non refermé ?).",
                                line=line, n=number(max_cell)), line=line)


def _records(text: str, delimiter: str, max_cell: int) -> Iterable[tuple[int, list[str]]]:
    """Each record with the physical line it starts on; csv's own errors become refusals."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise _too_long(line, max_cell) from error
            raise TableRefused(gettext("Ligne %(line)s : le fichier n'est pas un CSV lisible.", line=line),
                               line=line) from error
        if any(len(cell) > max_cell for cell in cells):
            raise _too_long(line, max_cell)
        yield line, cells
        line = reader.line_num + 1


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def read_table(source, *, required: Iterable[str], optional: Iterable[str] = (), max_bytes: int = MAX_BYTES,
               max_rows: int = MAX_ROWS, max_cell: int = MAX_CELL) -> list[TableRow]:
    """The file's non-blank rows, keyed by the required and optional columns (normalised names), or a refusal.

    ``source`` is the uploaded bytes, text, or a file storage. Columns the file has beyond those are ignored;
    an optional column the file lacks reads as "". Rows beyond ``max_rows``, a cell beyond ``max_cell``
    characters or a file beyond ``max_bytes`` are refused whole.
    """
    required, optional = tuple(required), tuple(optional)
    text = decode(_bytes(source, max_bytes))
    header_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    records = _records(text, sniff_delimiter(header_line), max_cell)
    header: list[str] = []
    for _line, cells in records:
        if any(cell.strip() for cell in cells):
            header = [normalise(cell) for cell in cells]
            break
    if not header:
        raise TableRefused(gettext("Le fichier est vide."))
    missing = [column for column in required if column not in header]
    if missing:
        shown = ", ".join(header[:SHOWN_COLUMNS]) + (", …" if len(header) > SHOWN_COLUMNS else "")
        raise TableRefused(gettext("Colonnes obligatoires absentes : %(columns)s. Colonnes lues : %(read)s.",
                                   columns=", ".join(missing), read=shown))
    wanted = dict.fromkeys((*required, *optional))
    positions = {column: index for index, column in enumerate(header) if column in wanted}  # the last one wins
    rows = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == max_rows:
            raise TableRefused(gettext("Le fichier dépasse %(n)s lignes : découpez-le.", n=number(max_rows)),
                               line=line)
        rows.append(TableRow(line, {column: _cell(cells, positions.get(column)) for column in wanted}))
    return rows
