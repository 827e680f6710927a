"""PDF rendering with WeasyPrint, fetching nothing but the hub's own static files."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative links in the rendered HTML resolve against this base; the host is reserved
# (.invalid) so that nothing could ever be fetched from it over a network.
BASE_URL = "https://hub.invalid/"


class RefusedResource(ValueError):
    """WeasyPrint asked for something outside the hub's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/…`` from disk and inline ``data:`` images; refuses ``file:`` and every host."""

    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=("https", "data"))
        self.static_folder = Path(static_folder).resolve()

    def fetch(self, url, headers=None):
        """Answer one resource request from WeasyPrint."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith("/static/"):
            raise RefusedResource(f"ressource refusée : {url}")
        path = (self.static_folder / unquote(parts.path.removeprefix("/static/"))).resolve()
        if not path.is_relative_to(self.static_folder) or not path.is_file():
            raise RefusedResource(f"ressource introuvable : {url}")
        content_type = {"css": "text/css", "png": "image/png", "svg": "image/svg+xml"}.get(path.suffix[1:],
                                                                                          "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_document(html: str, *, static_folder: str | Path) -> Document:
    """The laid-out pages of this HTML, fetching nothing but our static files."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_folder)).render()


def write_tagged(document: Document, target: str | Path | io.BytesIO) -> int:
    """Write a tagged PDF (PDF/UA-1) of these pages; the number of pages written."""
    # WeasyPrint gives the language, title, /DisplayDocTitle, /MarkInfo and every figure's /Alt
    # itself; its table tags need completing (see complete_table_tags), so every PDF the hub
    # writes passes through here.
    written = io.BytesIO()
    document.write_pdf(written, pdf_variant="pdf/ua-1")
    with pikepdf.open(written) as pdf:
        complete_table_tags(pdf)
        pdf.save(target)
    return len(document.pages)


def render_pdf(html: str, *, static_folder: str | Path) -> bytes:
    """A tagged PDF (PDF/UA-1) of this HTML."""
    buffer = io.BytesIO()
    write_tagged(render_document(html, static_folder=static_folder), buffer)
    return buffer.getvalue()


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The structure elements directly under ``element``, leaving out marked content and annotations."""
    kids = element.get("/K")
    if kids is None:
        return []
    return [kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _lift_anonymous_tables(table: pikepdf.Dictionary) -> None:
    """Put in the table's place the contents of the /Table elements nested in it.

    A table child that is no row or caption for WeasyPrint's layout (an absolutely positioned,
    visually hidden caption) is wrapped in anonymous row group, row and cell boxes, which it tags
    with the table's own type: /Table in /Table in /Table, that a checker reads as a table
    without rows. Only wrappers holding no content of their own are removed.
    """
    kids = table.get("/K")
    if not isinstance(kids, pikepdf.Array):
        return
    lifted, changed = [], False
    for kid in kids:
        wrapped = kid.get("/K") if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Table" else None
        if isinstance(wrapped, pikepdf.Array) and len(_kids(kid)) == len(wrapped):
            _lift_anonymous_tables(kid)
            for grandchild in kid.K:
                grandchild.P = table
                lifted.append(grandchild)
            changed = True
        else:
            lifted.append(kid)
    if changed:
        table.K = pikepdf.Array(lifted)


def _table_attributes(cell: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    """The cell's attribute object of owner /Table, if it has one (/A is one object or an array)."""
    attributes = cell.get("/A")
    for owned in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(owned, pikepdf.Dictionary) and owned.get("/O") == "/Table":
            return owned
    return None


def _set_scope(cell: pikepdf.Dictionary, scope: pikepdf.Name) -> None:
    """Give the header cell this /Scope, unless it says already what it heads."""
    attributes = _table_attributes(cell)
    if attributes is None:
        attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        existing = cell.get("/A")
        cell.A = attributes if existing is None else pikepdf.Array(
            [*(existing if isinstance(existing, pikepdf.Array) else [existing]), attributes])
    if "/Scope" not in attributes and "/Headers" not in attributes:
        attributes.Scope = scope


def _scope_headers(table: pikepdf.Dictionary) -> None:
    """Give each TH of this table the /Scope that PDF/UA-1 (7.5) asks for and WeasyPrint leaves out.

    WeasyPrint drops the HTML ``scope`` but used it to fill the data cells' /Headers: a row
    header is named from its own row, a column header from the rows below. A header no data
    cell names heads its column in the table's head, its row when first in a body row.
    """
    rows = []
    for kid in _kids(table):
        if kid.S == "/TR":
            rows.append(("/TBody", kid))
        elif kid.S in ("/THead", "/TBody", "/TFoot"):
            rows.extend((str(kid.S), row) for row in _kids(kid) if row.S == "/TR")
    cells = [(group, _kids(row)) for group, row in rows]
    naming_rows: dict[bytes, set[int]] = {}  # a header's /ID -> the rows whose data cells name it
    for number, (_group, row_cells) in enumerate(cells):
        for cell in row_cells:
            attributes = _table_attributes(cell) if cell.S == "/TD" else None
            for header in attributes.get("/Headers", ()) if attributes is not None else ():
                naming_rows.setdefault(bytes(header), set()).add(number)
    for number, (group, row_cells) in enumerate(cells):
        for position, cell in enumerate(row_cells):
            if cell.S == "/TH":
                named_from = naming_rows.get(bytes(cell.get("/ID", b"")))
                heads_row = number in named_from if named_from else group != "/THead" and position == 0
                _set_scope(cell, pikepdf.Name.Row if heads_row else pikepdf.Name.Column)


def complete_table_tags(pdf: pikepdf.Pdf) -> None:
    """Complete WeasyPrint's table tags in place: a /Scope on every TH, no /Table nested in a /Table."""
    stack = _kids(pdf.Root.StructTreeRoot) if "/StructTreeRoot" in pdf.Root else []
    while stack:
        element = stack.pop()
        if element.S == "/Table":
            _lift_anonymous_tables(element)
            _scope_headers(element)
        stack.extend(_kids(element))


def _offset_struct_parents(part: pikepdf.Pdf, offset: int) -> int:
    """Shift every page's and annotation's key into the parent tree by ``offset``; the part's largest key + 1."""
    largest = -1
    for page in part.pages:
        for holder, key in [(page.obj, "/StructParents")] + [(a, "/StructParent") for a in page.obj.get("/Annots", [])]:
            if key in holder:
                largest = max(largest, int(holder[key]))
                holder[key] = int(holder[key]) + offset
    return largest + 1


def join_tagged(paths: list[Path], *, outline_title: str, outline: list[tuple[str, int]]) -> bytes:
    """Join tagged PDFs into one whose tag tree covers every page: the first part's metadata, language
    and outline, the others' structure elements appended under its document element.

    Each part's parent-tree keys are shifted past the previous ones, so that a screen reader finds,
    from any page, the structure element its content belongs to.
    """
    joined = pikepdf.open(paths[0])
    parts = [pikepdf.open(path) for path in paths[1:]]
    try:
        tree = joined.Root.StructTreeRoot
        document_element = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        numbers = list(tree.ParentTree.Nums)
        next_key = max((int(numbers[i]) for i in range(0, len(numbers), 2)), default=-1) + 1
        for part in parts:
            span = _offset_struct_parents(part, next_key)
            part_numbers = part.Root.StructTreeRoot.ParentTree.Nums
            joined.pages.extend(part.pages)
            # Copied after the pages, so that the elements' /Pg point at the pages just added.
            copied = joined.copy_foreign(part.Root.StructTreeRoot)
            part_document = copied.K[0] if isinstance(copied.K, pikepdf.Array) else copied.K
            for kid in part_document.K:
                if isinstance(kid, pikepdf.Dictionary):
                    kid.P = document_element
                document_element.K.append(kid)
            copied_numbers = copied.ParentTree.Nums
            for i in range(0, len(part_numbers), 2):
                numbers.extend([int(part_numbers[i]) + next_key, copied_numbers[i + 1]])
            next_key += span
        tree.ParentTree = joined.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        tree.ParentTreeNextKey = next_key
        if outline:
            with joined.open_outline() as tree_outline:
                annexes = pikepdf.OutlineItem(outline_title, outline[0][1])
                annexes.children.extend(pikepdf.OutlineItem(title, page) for title, page in outline)
                tree_outline.root.append(annexes)
        # Written to a file next to the parts rather than to memory: the save streams the
        # parts' page contents, and only the finished PDF is read back.
        target = Path(paths[0]).with_name("joined.pdf")
        joined.save(target)
        return target.read_bytes()
    finally:
        for part in parts:
            part.close()
        joined.close()
