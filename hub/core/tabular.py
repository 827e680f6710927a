"""Tables for spreadsheets and programs: Excel-friendly CSV, real XLSX and JSON, formula-looking cells neutralised.

Every export of the hub goes through these three writers, so that the neutralisation of cells a spreadsheet would
run as formulas (DESIGN §5) is done in one place. Rows hold plain values: text, numbers, booleans, dates, None.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime, timezone

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _csv_cell(value, *, decimal: str, booleans: tuple[str, str]) -> str:
    # A real number is never a formula, even negative: it keeps its sign instead of an apostrophe,
    # and its decimal mark follows the separator (',' under French Excel's ';').
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if _is_number(value):
        return str(value).replace(".", decimal)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return safe_cell(value)


def to_csv(header: list[str], rows: Iterable[Iterable], *, delimiter: str = ";", bom: bool = True,
           booleans: tuple[str, str] = ("oui", "non")) -> str:
    """UTF-8 CSV with a BOM, so that Excel opens accents right; ';' by default, as French Excel expects."""
    decimal = "," if delimiter == ";" else "."
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell, decimal=decimal, booleans=booleans) for cell in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def _xlsx_value(value):
    # openpyxl stores any text starting with '=' as a formula: text is neutralised like the CSV's,
    # and characters XML forbids are dropped rather than failing the whole export.
    if value is None or isinstance(value, bool) or _is_number(value):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: an aware time is written as the UTC wall-clock time.
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))


def to_xlsx(header: list[str], rows: Iterable[Iterable], *, sheet: str = "Export") -> bytes:
    """A real Excel workbook: a bold, frozen header row; numbers stay numbers and dates stay dates."""
    # Write-only mode streams rows to the file: a national programme's 100,000 rows stay in bounded memory.
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(worksheet, value=_xlsx_value(title))
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    for row in rows:
        worksheet.append([_xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)  # lazy translations and the like


def to_json(header: list[str], rows: Iterable[Iterable]) -> str:
    """A list of objects keyed by the header, accents kept as they are, dates in ISO 8601."""
    keys = [str(title) for title in header]
    return json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, default=_json_default, indent=1)
