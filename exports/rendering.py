"""The report and the collectivity sheet as HTML and tagged PDFs, from the one data assembly.

A national programme has hundreds of annex pages. WeasyPrint keeps every laid-out page of a
document in memory, so the annexes are rendered in parts of ``ANNEXES_PER_PART`` and the PDFs
joined with their tag trees (hub/core/pdf.py): memory stays bounded whatever the report's size.
"""

from __future__ import annotations

import gc
import hashlib
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint.document import Document

from exports.report_charts import report_charts
from hub.core.pdf import join_tagged, render_document, write_tagged

ANNEXES_PER_PART = 50
# An annex's empty page in the main part (report_pdf.html), and the anchor the contents may point at.
_PLACEHOLDER = re.compile(r'<div class="annex-placeholder" id="(annexe-[^"]*)"></div>')
_POINTER = re.compile(r'"#(annexe-[^"]*)"')

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, step: str) -> None:
    """Progress is optional: the command line and the publication job report it, a view need not."""


def report_html(data: dict, charts: dict | None = None, *, pdf: bool = False) -> str:
    """The report's sections as HTML, the body of the screen view and of a published version."""
    return render_template("exports/report_body.html", report=data,
                           charts=report_charts(data) if charts is None else charts, pdf=pdf)


def render_report_pdf(data: dict, *, version: dict | None = None, progress: Progress = _no_progress,
                      annexes_per_part: int = ANNEXES_PER_PART, charts: dict | None = None) -> bytes:
    """The whole report as one tagged PDF, in French: main part, then the annexes in parts, joined."""
    annexes = data["annexes"]
    parts = [annexes[i:i + annexes_per_part] for i in range(0, len(annexes), annexes_per_part)]
    steps = 3 + len(parts)
    static = current_app.static_folder
    with force_locale("fr"), tempfile.TemporaryDirectory(prefix="rapport-") as workdir:
        progress(0, steps, _("Graphiques"))
        charts = report_charts(data) if charts is None else charts  # a publication draws them once for both views
        progress(1, steps, _("Mise en page du rapport"))
        main, main_pages = _render_main_part(render_template(
            "exports/report_pdf.html", report=data, charts=charts, pdf=True, version=version), len(annexes), static)
        total_pages = main_pages + len(annexes)
        paths = [Path(workdir) / "0.pdf"]
        write_tagged(main if len(main.pages) == main_pages else main.copy(main.pages[:main_pages]), paths[0])
        del main
        gc.collect()  # the main part's laid-out pages are the largest thing held: free them before the annexes
        outline = []
        first_page = main_pages + 1
        for index, part in enumerate(parts, start=1):
            progress(1 + index, steps, _("Annexes %(first)s à %(last)s sur %(total)s",
                                         first=(index - 1) * annexes_per_part + 1,
                                         last=(index - 1) * annexes_per_part + len(part), total=len(annexes)))
            html = render_template("exports/annexes_pdf.html", report=data, annexes=part, first_page=first_page,
                                   total_pages=total_pages)
            paths.append(Path(workdir) / f"{index}.pdf")
            pages = write_tagged(render_document(html, static_folder=static), paths[-1])
            outline.extend((annex["name"], first_page - 1 + offset) for offset, annex in enumerate(part))
            first_page += pages
        progress(steps - 1, steps, _("Assemblage du PDF"))
        pdf = join_tagged(paths, outline_title=_("Annexes : une page par collectivité"), outline=outline)
    progress(steps, steps, _("Terminé"))
    return pdf


def _render_main_part(html: str, annexes: int, static: str) -> tuple[Document, int]:
    """The main part laid out (its pages, then the annexes' empty pages it keeps), and its own page count."""
    # report_pdf.html keeps an empty page per annex, so that "page N / total" and the contents
    # count them. Each costs some 25 ms and 100 KB of layout: 200 MB and a minute at 2,000
    # annexes. Only those the contents point at are kept (the first annex's, or a short list's,
    # and those before them); the main part is then laid out once to count its own pages, and
    # again with the report's total written in.
    placeholders = list(_PLACEHOLDER.finditer(html))
    pointed_at = set(_POINTER.findall(html))
    keep = max((n + 1 for n, match in enumerate(placeholders) if match[1] in pointed_at), default=0)
    if keep == len(placeholders):
        main = render_document(html, static_folder=static)
        return main, len(main.pages) - keep
    html = html[:placeholders[keep].start()] + _PLACEHOLDER.sub("", html[placeholders[keep].start():])
    own_pages = len(render_document(html, static_folder=static).pages) - keep
    # The same rule as annexes_pdf.html's; report.css's @page :first (no number on the cover) still wins.
    numbering = (f'<style>@page {{ @bottom-right {{ content: "Page " counter(page) " / {own_pages + annexes}"; }} }}'
                 "</style>")
    main = render_document(html.replace("</head>", numbering + "</head>", 1), static_folder=static)
    return main, len(main.pages) - keep


def render_sheet_pdf(data: dict, annex: dict) -> bytes:
    """One collectivity's sheet as a tagged PDF, in French."""
    with force_locale("fr"):
        html = render_template("exports/sheet_pdf.html", report=data, a=annex)
        with tempfile.TemporaryDirectory(prefix="fiche-") as workdir:
            path = Path(workdir) / "fiche.pdf"
            write_tagged(render_document(html, static_folder=current_app.static_folder), path)
            return path.read_bytes()


def sha256(content: bytes) -> str:
    """The hex digest that identifies a published PDF."""
    return hashlib.sha256(content).hexdigest()
