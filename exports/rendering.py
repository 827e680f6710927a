"""The report and the collectivity sheet as HTML and tagged PDFs, from the one data assembly.

A national programme has hundreds of annex pages. WeasyPrint keeps every laid-out page of a
document in memory, so the annexes are rendered in parts of ``ANNEXES_PER_PART`` and the PDFs
joined with their tag trees (hub/core/pdf.py): memory stays bounded whatever the report's size.
"""

from __future__ import annotations

import gc
import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from exports.report_charts import report_charts
from hub.core.pdf import join_tagged, render_document, write_tagged

ANNEXES_PER_PART = 50

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, step: str) -> None:
    """Progress is optional: the command line and the publication job report it, a view need not."""


def report_html(data: dict, charts: dict | None = None, *, pdf: bool = False) -> str:
    """The report's sections as HTML, the body of the screen view and of a published version."""
    return render_template("exports/report_body.html", report=data,
                           charts=report_charts(data) if charts is None else charts, pdf=pdf)


def render_report_pdf(data: dict, *, version: dict | None = None, progress: Progress = _no_progress,
                      annexes_per_part: int = ANNEXES_PER_PART) -> bytes:
    """The whole report as one tagged PDF, in French: main part, then the annexes in parts, joined."""
    annexes = data["annexes"]
    parts = [annexes[i:i + annexes_per_part] for i in range(0, len(annexes), annexes_per_part)]
    steps = 3 + len(parts)
    static = current_app.static_folder
    with force_locale("fr"), tempfile.TemporaryDirectory(prefix="rapport-") as workdir:
        progress(0, steps, _("Graphiques"))
        charts = report_charts(data)
        progress(1, steps, _("Mise en page du rapport"))
        main = render_document(render_template("exports/report_pdf.html", report=data, charts=charts, pdf=True,
                                               version=version), static_folder=static)
        # The main part carries one empty page per annex (see report_pdf.html): they make the
        # contents and the page total right, and are left out of what is written.
        main_pages = len(main.pages) - len(annexes)
        total_pages = len(main.pages)
        paths = [Path(workdir) / "0.pdf"]
        write_tagged(main.copy(main.pages[:main_pages]), paths[0])
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
