"""The hub's PDFs meet PDF/UA-1: walk their tag trees with pikepdf as a checker would."""

from __future__ import annotations

import io

import pikepdf

from exports import workshop_report as compte_rendu
from exports.assembly import assemble_report
from exports.rendering import render_report_pdf, render_sheet_pdf
from hub.core.pdf import render_pdf


def _kids(element) -> list:
    """The structure elements directly under ``element``, leaving out marked content and annotations."""
    kids = element.get("/K")
    if kids is None:
        return []
    return [kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, list[str]]]:
    """Every structure element in reading order, each with the types of its ancestors."""
    found, stack = [], [(kid, []) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        element, ancestors = stack.pop()
        found.append((element, ancestors))
        stack.extend((kid, ancestors + [str(element.S)]) for kid in reversed(_kids(element)))
    return found


def _table_attributes(cell) -> dict:
    """The cell's attributes of owner /Table, merged (/A may be one dictionary or an array of them)."""
    attributes = cell.get("/A")
    merged = {}
    for owned in (attributes if isinstance(attributes, pikepdf.Array) else [attributes] if attributes else []):
        if isinstance(owned, pikepdf.Dictionary) and owned.get("/O") == "/Table":
            merged.update({str(key): value for key, value in owned.items()})
    return merged


def _open(content: bytes) -> tuple[pikepdf.Pdf, list]:
    pdf = pikepdf.open(io.BytesIO(content))
    return pdf, _elements(pdf)


def _assert_catalog_and_title(pdf: pikepdf.Pdf, title: str) -> None:
    root = pdf.Root
    assert "/StructTreeRoot" in root
    assert root.MarkInfo.Marked is True
    assert str(root.get("/Lang", "")).startswith("fr")
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert title in pdf.open_metadata().get("dc:title", "")


def _assert_header_cells_are_scoped(elements: list) -> dict[str, list[str]]:
    """Every TH says what it heads (PDF/UA-1 7.5); the scopes found, by the header cell's row group."""
    scopes: dict[str, list[str]] = {}
    headers = [(element, ancestors) for element, ancestors in elements if element.S == "/TH"]
    assert headers
    for element, ancestors in headers:
        attributes = _table_attributes(element)
        assert "/Scope" in attributes or "/Headers" in attributes, f"TH without /Scope under {ancestors[-3:]}"
        scopes.setdefault(ancestors[-2], []).append(str(attributes.get("/Scope")))
    return scopes


def _assert_tables_have_rows(elements: list) -> None:
    """A /Table holds row groups, rows and a caption: never another /Table (WeasyPrint's anonymous boxes)."""
    for element, ancestors in elements:
        if element.S == "/Table":
            assert ancestors[-1:] != ["/Table"], "a /Table nested directly in a /Table"
            assert {str(kid.S) for kid in _kids(element)} <= {"/Caption", "/THead", "/TBody", "/TFoot", "/TR"}


def _assert_figures_have_alt(elements: list, count: int) -> None:
    figures = [element for element, _ancestors in elements if element.S == "/Figure"]
    assert len(figures) == count
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def _headings(elements: list) -> list[str]:
    return [str(element.S) for element, _ancestors in elements if str(element.S) in ("/H1", "/H2", "/H3")]


def test_the_report_is_pdf_ua(app, db, world):
    with app.test_request_context("/"):
        pdf, elements = _open(render_report_pdf(assemble_report(db, world.programme), annexes_per_part=1))
    _assert_catalog_and_title(pdf, world.programme.name)
    scopes = _assert_header_cells_are_scoped(elements)
    # Column headers in the tables' heads, row headers (the key figures') in their bodies.
    assert set(scopes["/THead"]) == {"/Column"}
    assert "/Row" in scopes["/TBody"]
    _assert_tables_have_rows(elements)
    _assert_figures_have_alt(elements, count=4)  # the world has no usage month: no adoption chart
    # Reading order: the title first, then the contents and the sections, a level at a time.
    headings = _headings(elements)
    assert headings[0] == "/H1" and headings.count("/H1") == 1 and headings[1] == "/H2"
    first_section = next(element for element, ancestors in elements if element.S == "/Sect")
    assert str(_kids(first_section)[0].S) == "/H1"


def test_the_workshop_report_is_pdf_ua(app, db, world):
    with app.test_request_context("/"):
        pdf, elements = _open(compte_rendu.render_report_pdf(compte_rendu.assemble(db, world.own_workshop)))
    _assert_catalog_and_title(pdf, world.own.name)
    scopes = _assert_header_cells_are_scoped(elements)
    assert set(scopes["/THead"]) == {"/Column"}
    _assert_tables_have_rows(elements)
    _assert_figures_have_alt(elements, count=0)
    assert _headings(elements)[:2] == ["/H1", "/H2"]


def test_a_collectivity_sheet_is_pdf_ua(app, db, world):
    data = assemble_report(db, world.programme)
    with app.test_request_context("/"):
        pdf, elements = _open(render_sheet_pdf(data, data["annexes"][0]))
    _assert_catalog_and_title(pdf, data["annexes"][0]["name"])
    _assert_header_cells_are_scoped(elements)
    _assert_tables_have_rows(elements)


def test_header_cells_without_a_scope_attribute_get_one_from_their_place(app):
    html = """<!doctype html><html lang="fr"><head><title>Essai</title></head><body><h1>Essai</h1>
      <table><thead><tr><th>Ville</th><th>Habitants</th></tr></thead>
      <tbody><tr><th>Dijon</th><td>156 000</td></tr><tr><th scope="row">Mâcon</th><td>33 000</td></tr></tbody>
      </table><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD\
hgGAWjR9awAAAABJRU5ErkJggg==" alt="Un point"></body></html>"""
    pdf, elements = _open(render_pdf(html, static_folder=app.static_folder))
    scopes = _assert_header_cells_are_scoped(elements)
    # Without a scope attribute, a header cell in the head heads its column, one first in a body row its row.
    assert scopes == {"/THead": ["/Column", "/Column"], "/TBody": ["/Row", "/Row"]}
    _assert_figures_have_alt(elements, count=1)
