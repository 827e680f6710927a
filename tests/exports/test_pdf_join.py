"""The report's parts joined one at a time, and its main part without the annexes' empty pages."""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfReader

from exports.assembly import assemble_report
from exports.rendering import _render_main_part, render_report_pdf
from hub.core.pdf import write_tagged


def _structure(content: bytes) -> dict:
    """What the join must keep: pages, outline, the tag tree's elements, parents, pages and parent tree."""
    pdf = pikepdf.open(io.BytesIO(content))
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    tree = pdf.Root.StructTreeRoot
    document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
    elements, stack = [], [document]
    while stack:
        element = stack.pop()
        elements.append((str(element.S), pages[element.Pg.objgen] if "/Pg" in element else None))
        kids = element.get("/K")
        for kid in reversed(list(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                assert kid.P.objgen == element.objgen, "an element whose /P is not its parent"
                stack.append(kid)
    numbers = tree.ParentTree.Nums
    entries = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    for number, page in enumerate(pdf.pages):
        # From any page, the parent tree gives the elements of its content, and they are on that page.
        for element in entries[int(page.obj.StructParents)]:
            if isinstance(element, pikepdf.Dictionary) and "/Pg" in element:
                assert pages[element.Pg.objgen] == number
    assert int(tree.ParentTreeNextKey) == max(entries) + 1
    with pdf.open_outline() as outline:
        def walk(items, depth=0):
            return [entry for item in items for entry in
                    [(depth, item.title, pages[item.destination[0].objgen])] + walk(item.children, depth + 1)]
        bookmarks = walk(outline.root)
    return {"pages": len(pdf.pages), "count": int(pdf.Root.Pages.Count), "elements": elements,
            "outline": bookmarks, "lang": str(pdf.Root.Lang), "title": pdf.open_metadata().get("dc:title")}


def test_joining_one_annex_at_a_time_gives_the_same_document_as_one_annex_part(app, db, world):
    with app.test_request_context("/"):
        data = assemble_report(db, world.programme)
        in_one = _structure(render_report_pdf(data))
        one_by_one = _structure(render_report_pdf(data, annexes_per_part=1))
    assert one_by_one == in_one
    assert one_by_one["count"] == one_by_one["pages"]
    # Every annex has its bookmark, on its own page, after the main part's.
    annexes = [(title, page) for depth, title, page in one_by_one["outline"] if depth == 1][-len(data["annexes"]):]
    assert [title for title, _page in annexes] == [annex["name"] for annex in data["annexes"]]
    assert [page for _title, page in annexes] == list(range(one_by_one["pages"] - len(annexes), one_by_one["pages"]))


def test_the_annexes_are_numbered_on_from_the_main_part(app, db, world):
    with app.test_request_context("/"):
        reader = PdfReader(io.BytesIO(render_report_pdf(assemble_report(db, world.programme), annexes_per_part=1)))
    total = len(reader.pages)
    assert f"{total} / {total}" in reader.pages[-1].extract_text()
    assert f"2 / {total}" in reader.pages[1].extract_text()


_HTML = """<!doctype html><html lang="fr"><head><title>Essai</title><style>
@page {{ @bottom-right {{ content: "Page " counter(page) " / " counter(pages); }} }}
.annex-placeholder {{ page-break-before: always; }}</style></head>
<body><h1>Essai</h1><p><span data-target="#annexe-{pointed}">Annexes</span></p>{placeholders}</body></html>"""


def _main_part(app, pointed: str, annexes: int = 4) -> tuple[list[str], int]:
    placeholders = "".join(f'<div class="annex-placeholder" id="annexe-{n}"></div>' for n in range(annexes))
    main, own_pages = _render_main_part(_HTML.format(pointed=pointed, placeholders=placeholders), annexes,
                                        app.static_folder)
    written = io.BytesIO()
    write_tagged(main, written)
    return [page.extract_text() for page in PdfReader(written).pages], own_pages


def test_the_main_part_keeps_only_the_annex_pages_the_contents_point_at(app):
    # The contents point at the first annex: its page is kept, the three after it are left out,
    # and the main part's footer still counts every annex page.
    texts, own_pages = _main_part(app, pointed="0")
    assert own_pages == 1 and len(texts) == 2
    assert "Page 1 / 5" in texts[0]
    # Pointing at the last one, every empty page is kept and counted by the layout itself, as before.
    texts, own_pages = _main_part(app, pointed="3")
    assert own_pages == 1 and len(texts) == 5
    assert "Page 1 / 5" in texts[0]
