"""Pages of the exports package: the programme report, on screen and as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from exports import service
from hub import service as hub_service
from hub.auth import roles_required
from hub.db import db

blueprint = Blueprint("exports", __name__, template_folder="templates")


@blueprint.get("/programmes/<slug>/rapport")
@roles_required("admin", "facilitator", "steering")
def report(slug: str):
    """The programme report, on screen."""
    programme = hub_service.programme_or_404(db(), slug)
    data = service.assemble_report(db(), programme)
    charts = {c["key"]: c for c in service.report_charts(data)}
    return render_template("exports/report.html", report=data, charts=charts)


@blueprint.get("/programmes/<slug>/rapport.pdf")
@roles_required("admin", "facilitator", "steering")
def report_pdf(slug: str):
    """The programme report as a tagged PDF."""
    programme = hub_service.programme_or_404(db(), slug)
    pdf = service.render_report_pdf(service.assemble_report(db(), programme))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="rapport-{programme.slug}.pdf"'})
