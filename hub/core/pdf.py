"""PDF rendering with WeasyPrint, fetching nothing but the hub's own static files."""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path
from typing import BinaryIO
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


# A token of qpdf's unparsed syntax: a name, a literal string (qpdf escapes its parentheses), a hex
# string, or an indirect reference "n g R", the only one rewritten. Names and strings are matched
# whole so that digits inside them are never read as a reference.
_TOKENS = re.compile(rb"/[^\s/\[\]<>(){}%]*|\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|(\d+) (\d+) R")


class _Writer:
    """Writes numbered objects straight to a file, then the cross-reference table: nothing is kept but offsets."""

    def __init__(self, out: BinaryIO, version: str):
        self.out = out
        self.offsets = [0]  # by object number; 0 is the free head of the table
        out.write(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode())

    def reserve(self) -> int:
        """A new object number, its object to be written later."""
        self.offsets.append(0)
        return len(self.offsets) - 1

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        """Write object ``number``: a stream when ``stream`` is given, its dictionary being ``body``."""
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n%s\n" % (number, body))
        if stream is not None:
            self.out.write(b"stream\n%s\nendstream\n" % stream)
        self.out.write(b"endobj\n")

    def finish(self, trailer: bytes) -> None:
        """Write the cross-reference table and the trailer (``trailer`` without its /Size)."""
        start = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        self.out.write(b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets[1:]))
        self.out.write(b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.offsets), trailer, start))


class _Copier:
    """Copies the objects of one part that are reached from what is asked for, renumbered for the joined file.

    ``mapped`` sends some of the part's objects (its catalog, page tree, document element) to objects
    of the joined file instead: they are not copied, what pointed at them points at those.
    ``overrides`` replace some keys of a dictionary when it is written.
    """

    def __init__(self, pdf: pikepdf.Pdf, writer: _Writer, mapped: dict[tuple[int, int], int] | None = None):
        self.pdf, self.writer = pdf, writer
        self.numbers = dict(mapped or {})
        self.overrides: dict[tuple[int, int], dict[str, bytes]] = {}
        self.queue: list[tuple[int, int]] = []

    def number(self, obj: pikepdf.Object) -> int:
        """The joined file's number for this indirect object, which will be copied if it is not yet."""
        return self._number(obj.objgen)

    def _number(self, objgen: tuple[int, int]) -> int:
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.writer.reserve()
            self.queue.append(objgen)
        return number

    def text(self, value) -> bytes:
        """This value in PDF syntax, its references renumbered (and their objects queued for copying)."""
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return b"%d 0 R" % self.number(value)
        return self._renumber(pikepdf.Array([value]).unparse(resolved=True)[1:-1].strip())

    def _renumber(self, text: bytes) -> bytes:
        return _TOKENS.sub(lambda m: m[0] if m[1] is None else b"%d 0 R" % self._number((int(m[1]), int(m[2]))), text)

    def drain(self) -> None:
        """Write every queued object, and those they point at, until none is left."""
        while self.queue:
            objgen = self.queue.pop()
            obj, number = self.pdf.get_object(objgen), self.numbers[objgen]
            if objgen in self.overrides:
                extra = self.overrides[objgen]
                items = [key.encode() + b" " + (extra[key] if key in extra else self.text(obj[key]))
                         for key in sorted({*obj.keys(), *extra})]
                self.writer.write(number, b"<< " + b" ".join(items) + b" >>")
            elif isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                obj.stream_dict.Length = len(raw)  # a /Length given as an object would be copied for nothing
                self.writer.write(number, self._renumber(obj.stream_dict.unparse(resolved=True)), raw)
            else:
                self.writer.write(number, self._renumber(obj.unparse(resolved=True)))


def _document_element(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The structure tree's top element (WeasyPrint's /Document)."""
    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def join_tagged(paths: list[Path], *, outline_title: str, outline: list[tuple[str, int]]) -> bytes:
    """Join tagged PDFs into one whose tag tree covers every page: the first part's metadata, language
    and outline, the others' structure elements appended under its document element.

    Each part's parent-tree keys are shifted past the previous ones, so that a screen reader finds,
    from any page, the structure element its content belongs to.
    """
    # qpdf keeps every object it has read (about 1.5 KB each, and an annex page has some 120 of
    # them, structure elements mostly): joining in a pikepdf.Pdf grew with the page count. Here
    # the parts are read one at a time and their objects written out at once, renumbered; only
    # the first part stays open, for the catalog, page tree and structure tree that every part joins.
    target = Path(paths[0]).with_name("joined.pdf")
    with pikepdf.open(paths[0]) as main, target.open("wb") as out:
        writer = _Writer(out, main.pdf_version)
        first = _Copier(main, writer)
        tree, document = main.Root.StructTreeRoot, _document_element(main)
        if not tree.ParentTree.is_indirect:  # its /Nums is rewritten when it is written: it needs a number
            tree.ParentTree = main.make_indirect(tree.ParentTree)
        numbers = list(tree.ParentTree.Nums)
        next_key = max((int(numbers[i]) for i in range(0, len(numbers), 2)), default=-1) + 1
        joined = {name: first.number(obj) for name, obj in (("root", main.Root), ("pages", main.Root.Pages),
                                                             ("tree", tree), ("document", document))}
        pages, kids, entries = [], [], []
        for path in paths[1:]:
            with pikepdf.open(path) as part:
                next_key += _copy_part(part, writer, joined, next_key, pages, kids, entries)
            gc.collect()  # the closed part's objects are cyclic through pikepdf's wrappers
        page_count = len(main.pages)
        first.overrides[main.Root.Pages.objgen] = {
            "/Kids": b"[ " + b" ".join([first.text(kid) for kid in main.Root.Pages.Kids] + pages) + b" ]",
            "/Count": b"%d" % (page_count + len(pages))}
        first.overrides[document.objgen] = {"/K": b"[ " + b" ".join([first.text(kid) for kid in document.K] + kids)
                                            + b" ]"}
        first.overrides[tree.ParentTree.objgen] = {"/Nums": b"[ " + b" ".join(
            [first.text(value) for value in numbers] + entries) + b" ]"}
        tree.ParentTreeNextKey = next_key
        if outline:
            _add_outline(main, first, page_count, pages, outline_title, outline)
        first.drain()
        ids = b" /ID %s" % main.trailer.ID.unparse() if "/ID" in main.trailer else b""
        info = b" /Info %s" % first.text(main.trailer.Info) if "/Info" in main.trailer else b""
        first.drain()
        writer.finish(b"/Root %d 0 R%s%s" % (joined["root"], info, ids))
    return target.read_bytes()


def _copy_part(part: pikepdf.Pdf, writer: _Writer, joined: dict[str, int], offset: int,
               pages: list[bytes], kids: list[bytes], entries: list[bytes]) -> int:
    """Write one part's pages and structure elements; add its page and element references and parent-tree
    entries to the lists; the part's span of parent-tree keys."""
    span = _offset_struct_parents(part, offset)
    root, tree, document = part.Root, part.Root.StructTreeRoot, _document_element(part)
    mapped = {root.objgen: joined["root"], root.Pages.objgen: joined["pages"], tree.objgen: joined["tree"]}
    if document.is_indirect:
        mapped[document.objgen] = joined["document"]  # the part's top elements get the joined document as /P
    copier = _Copier(part, writer, mapped)
    for page in part.pages:
        for key in ("/Resources", "/MediaBox", "/CropBox", "/Rotate"):  # inherited from the part's page tree
            if key not in page.obj and key in root.Pages:
                page.obj[key] = root.Pages[key]
        page.obj.Parent = root.Pages
        pages.append(copier.text(page.obj))
    kids.extend(copier.text(kid) for kid in document.K)
    numbers = tree.ParentTree.Nums
    entries.extend(b"%d %s" % (int(numbers[i]) + offset, copier.text(numbers[i + 1]))
                   for i in range(0, len(numbers), 2))
    copier.drain()
    return span


def _add_outline(main: pikepdf.Pdf, first: _Copier, page_count: int, pages: list[bytes], title: str,
                 outline: list[tuple[str, int]]) -> None:
    """Add the annexes' bookmarks to the first part's outline; their pages are in the joined file only."""
    stand_ins: dict[int, pikepdf.Object] = {}

    def page(index: int) -> pikepdf.Object:
        """The page of this index in the joined file: the first part's own, or a stand-in sent to the copy."""
        if index < page_count:
            return main.pages[index].obj
        if index not in stand_ins:
            stand_ins[index] = main.make_indirect(pikepdf.Dictionary())
            first.numbers[stand_ins[index].objgen] = int(pages[index - page_count].split()[0])
        return stand_ins[index]

    with main.open_outline() as tree_outline:
        annexes = pikepdf.OutlineItem(title, pikepdf.Array([page(outline[0][1]), pikepdf.Name.Fit]))
        annexes.children.extend(pikepdf.OutlineItem(name, pikepdf.Array([page(index), pikepdf.Name.Fit]))
                                for name, index in outline)
        tree_outline.root.append(annexes)
