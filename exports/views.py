"""Pages of the exports package: the live report, and each collectivity's sheet."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user
from sqlmodel import select

from exports import annexes, rendering
from exports.assembly import assemble_report, programme_header
from exports.commands import programme_group, report_command
from exports.forms import PublishForm
from exports.report_charts import report_charts
from exports.service import latest_ready
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Role
from participants.models import Collectivity

blueprint = Blueprint("exports", __name__, template_folder="templates", cli_group=None)
# Its commands join the hub command itself (cli_group=None), not a sub-group named after the blueprint.
blueprint.cli.add_command(report_command)
blueprint.cli.add_command(programme_group)


@blueprint.get("/programmes/<slug>/rapport")
@roles_required(*TEAM, Role.STEERING)
def report():
    """The programme report from today's records, on screen; published versions are linked from it."""
    programme = programmes.current_programme()
    data = assemble_report(db(), programme)
    return render_template("exports/report.html", report=data, charts=report_charts(data),
                           latest=latest_ready(db(), programme_id=programme.id),
                           form=PublishForm() if current_user.role == "admin" else None)


@blueprint.get("/programmes/<slug>/collectivites/<collectivity_slug>/fiche.pdf")
@roles_required(*TEAM, Role.STEERING, Role.PARTICIPANT)
def sheet_pdf(collectivity_slug: str):
    """A collectivity's sheet as a PDF; a référent reaches only their own (the session is scoped)."""
    session, programme = db(), programmes.current_programme()
    collectivity = session.exec(select(Collectivity).where(Collectivity.slug == collectivity_slug)).first()
    if collectivity is None:
        abort(404)
    annex = annexes.collectivity_sheet(session, programme, collectivity)
    if annex is None:
        abort(404)
    data = {"programme": programme_header(programme), "as_of": date.today().isoformat()}
    pdf = rendering.render_sheet_pdf(data, annex)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="fiche-{collectivity.slug}-{programme.slug}.pdf"'})
