"""The workshop's compte-rendu: one data assembly for the HTML page and the tagged PDF."""

from __future__ import annotations

from flask import current_app, render_template
from sqlmodel import Session, select

from hub.core import programmes
from hub.core.models import Programme
from hub.core.pdf import render_pdf
from irritants import answers
from irritants.models import Irritant
from participants.models import Collectivity
from workshops import service as workshop_service
from workshops.models import Workshop


def assemble(session: Session, workshop: Workshop) -> dict:
    """Everything the compte-rendu prints, from the records."""
    programme = session.get(Programme, workshop.programme_id)
    _version, params = answers.parameters(session, programme_id=programme.id)
    found = session.exec(select(Irritant).where(Irritant.workshop_id == workshop.id)
                         .order_by(Irritant.hours_per_year.desc(), Irritant.id)).all()
    irritants, wishes = [], []
    for irritant in found:
        result = answers.assess(irritant, [], params)
        row = {"irritant": irritant, "cost": result.cost, "qualification": result.qualification}
        (wishes if irritant.kind == "souhait" else irritants).append(row)
    return {
        "workshop": workshop, "programme": programme, "themes": programmes.themes(session, programme.id),
        "collectivity": session.get(Collectivity, workshop.collectivity_id),
        "facilitators": workshop_service.facilitators(session, workshop_ids=[workshop.id]).get(workshop.id, []),
        "hypotheses": workshop_service.hypothesis_results(session, workshop_id=workshop.id),
        "irritants": irritants, "wishes": wishes,
    }


def render_report_pdf(data: dict) -> bytes:
    """The compte-rendu as a tagged PDF (PDF/UA-1, French)."""
    html = render_template("exports/workshop_report_pdf.html", report=data)
    return render_pdf(html, static_folder=current_app.static_folder)
