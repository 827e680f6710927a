"""A workshop's compte-rendu on screen and as a tagged PDF: what it found, qualified by the method."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from exports import workshop_report as compte_rendu
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Role
from workshops.models import Workshop

blueprint = Blueprint("workshop_reports", __name__)


def _readable_report(workshop_id: int) -> Workshop:
    workshop = programmes.visible_or_404(db(), Workshop, workshop_id)
    if workshop.status != "published" and not current_user.is_project_team:
        abort(404)  # a référent never sees a draft
    return workshop


@blueprint.get("/ateliers/<int:workshop_id>/compte-rendu")
@roles_required(*TEAM, Role.PARTICIPANT)
def workshop_report(workshop_id: int):
    """The compte-rendu on screen (a draft for the team until it is published)."""
    workshop = _readable_report(workshop_id)
    return render_template("exports/workshop_report.html", report=compte_rendu.assemble(db(), workshop))


@blueprint.get("/ateliers/<int:workshop_id>/compte-rendu.pdf")
@roles_required(*TEAM, Role.PARTICIPANT)
def workshop_report_pdf(workshop_id: int):
    """The compte-rendu as a tagged PDF."""
    workshop = _readable_report(workshop_id)
    pdf = compte_rendu.render_report_pdf(compte_rendu.assemble(db(), workshop))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="compte-rendu-atelier-{workshop.id}.pdf"'})
