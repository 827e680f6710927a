"""The one table reader of every CSV import: encodings, separators, headers, required columns, limits, refusals."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from hub.core.tables import TableRefused, TableRow, normalise, read_table

REQUIRED = ("nom", "departement")


def _read(data, **options):
    return read_table(data, required=options.pop("required", REQUIRED), **options)


def _refusal(data, **options) -> TableRefused:
    with pytest.raises(TableRefused) as refused:
        _read(data, **options)
    return refused.value


def test_utf8_with_a_bom_reads_the_header_and_the_accents():
    rows = _read("\ufeffnom;departement\nHéry;89\n".encode("utf-8"))
    assert rows == [TableRow(2, {"nom": "Héry", "departement": "89"})]


def test_utf8_without_a_bom():
    assert _read("nom;departement\nChâtillon;21\n".encode("utf-8"))[0].values["nom"] == "Châtillon"


def test_latin1_and_windows_1252_as_french_spreadsheets_write_them():
    assert _read("nom;departement\nSainte-Hélène;71\n".encode("latin-1"))[0].values["nom"] == "Sainte-Hélène"
    assert _read("nom;departement\nŒuvre – test;71\n".encode("cp1252"))[0].values["nom"] == "Œuvre – test"


def test_utf16_with_its_bom_as_excel_s_unicode_text():
    assert _read("nom\tdepartement\nHéry\t89\n".encode("utf-16"))[0].values == {"nom": "Héry", "departement": "89"}


def test_bytes_no_encoding_can_read_are_refused():
    refused = _refusal(b"nom;departement\nCommune \x81\x8d;71\n")
    assert "Encodage non reconnu" in refused.message


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_each_delimiter_is_sniffed(delimiter):
    content = delimiter.join(["nom", "departement", "population"]) + "\n" + delimiter.join(
        ['"Saint-Léger, sur; Dheune"', "71", "1 600"]) + "\n"
    rows = _read(content.encode("utf-8"), optional=("population",))
    assert rows[0].values == {"nom": "Saint-Léger, sur; Dheune", "departement": "71", "population": "1 600"}


def test_a_delimiter_inside_quoted_headers_does_not_mislead_the_sniffing():
    rows = _read('nom,departement,"commentaire; libre"\nA,71,x\n'.encode())
    assert rows[0].values == {"nom": "A", "departement": "71"}


def test_headers_are_normalised_whatever_their_case_accents_spaces_and_dashes():
    assert normalise("  Département ") == "departement"
    assert normalise("Contact-Nom") == normalise("contact nom") == normalise("CONTACT_NOM") == "contact_nom"
    assert normalise("Type d'EPCI") == "type_d_epci" and normalise("Œuvre") == "oeuvre"
    rows = _read(" NOM ;Département;Contact-E-mail;Type EPCI\nA;71;a@b.fr;CC\n".encode(),
                 optional=("contact_e_mail", "type_epci"))
    assert rows[0].values == {"nom": "A", "departement": "71", "contact_e_mail": "a@b.fr", "type_epci": "CC"}


def test_rows_keep_their_source_line_skip_blank_ones_and_read_missing_optional_columns_as_empty():
    content = '\n\nnom;departement;autre\nA;71;x\n;;\n\n"B\nbis";58\n C ;89;y\n'.encode()
    rows = _read(content, optional=("population",))
    assert [(row.line, row.values["nom"]) for row in rows] == [(4, "A"), (7, "B\nbis"), (9, "C")]
    assert rows[0].values == {"nom": "A", "departement": "71", "population": ""}  # "autre" is not asked for


def test_old_mac_line_endings_are_read():
    assert [row.values["nom"] for row in _read(b"nom;departement\rA;71\rB;58\r")] == ["A", "B"]


def test_a_missing_required_column_is_named_in_french_with_the_columns_read():
    refused = _refusal(b"Nom;Dept\nA;71\n", required=("nom", "departement", "type"))
    assert refused.message == "Colonnes obligatoires absentes : departement, type. Colonnes lues : nom, dept."
    assert str(refused) == refused.message and isinstance(refused, ValueError)


def test_an_oversize_cell_is_refused_with_its_line_and_no_csv_error_leaks():
    refused = _refusal(("nom;departement\nA;71\nB;" + "9" * 10_001 + "\n").encode())
    assert refused.line == 3
    assert refused.message.startswith("Ligne 3 : une cellule dépasse 10") and "caractères" in refused.message
    # Beyond what Python's csv module accepts by default (131,072 characters), an unclosed quote swallowing the
    # file: the same refusal, whether the csv module's own limit stops it first or, when another library has
    # raised that process-wide limit (frictionless does), the reader's.
    refused = _refusal(('nom;departement\nA;71\n"B;' + "x" * 200_000 + "\n").encode())
    assert refused.line == 3 and "une cellule dépasse" in refused.message
    assert _read(b"nom;departement\nA;71\n", max_cell=len("departement"))[0].values["departement"] == "71"  # at most


def test_too_many_rows_are_refused():
    content = ("nom;departement\n" + "A;71\n" * 4).encode()
    assert len(_read(content, max_rows=4)) == 4
    refused = _refusal(content + b"B;58\n", max_rows=4)
    assert refused.message == "Le fichier dépasse 4 lignes : découpez-le." and refused.line == 6


def test_a_file_over_the_size_limit_is_refused_before_being_read():
    refused = _refusal(b"nom;departement\n" + b"A;71\n" * 300_000, max_bytes=1024 * 1024)
    assert refused.message == "Le fichier dépasse 1 Mo : découpez-le ou allégez-le."
    storage = FileStorage(io.BytesIO(b"nom;departement\n" + b"A;71\n" * 10), filename="c.csv")
    assert len(_read(storage)) == 10
    big = FileStorage(io.BytesIO(b"x" * 3_000_000), filename="c.csv")
    assert "dépasse 2 Mo" in _refusal(big, max_bytes=2 * 1024 * 1024).message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n", b" ; ;\n;\n", "\n".encode("utf-16")])
def test_an_empty_file_is_refused(content):
    refused = _refusal(content)
    assert refused.message == "Le fichier est vide." and refused.line is None


def test_a_header_without_rows_gives_no_rows():
    assert _read(b"nom;departement\n") == []


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",  # an .xlsx workbook
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02",
])
def test_a_file_that_is_not_text_is_refused(content):
    assert _refusal(content).message.startswith("Ce fichier n'est pas un fichier texte")


def test_refusals_are_in_the_reader_s_language(app):
    with app.test_request_context(), force_locale("en"):
        refused = _refusal(("nom;departement\n" + "x" * 10_001 + ";71\n").encode())
    assert refused.message == "Line 2: a cell is longer than 10,000 characters (an unclosed quotation mark?)."
