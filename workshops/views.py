"""Pages of the workshops package: the workshop list and a workshop's page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub import service as hub_service
from hub.auth import roles_required
from hub.db import db
from hub.pagination import page_number
from irritants.models import Irritant
from participants.models import Collectivity
from workshops import service
from workshops.forms import CloseWorkshopForm
from workshops.models import Workshop

blueprint = Blueprint("workshops", __name__, template_folder="templates")


@blueprint.get("/ateliers")
@roles_required("admin", "facilitator", "participant")
def workshop_list():
    """Workshops by date; a référent sees their own collectivity's only."""
    session = db()
    programme = hub_service.programme_or_404(session, request.args["programme"]) \
        if request.args.get("programme") else None
    page = service.workshop_page(session, programme_id=programme.id if programme else None,
                                 number=page_number(request.args.get("page")), size=current_app.config["PAGE_SIZE"])
    args = {"programme": programme.slug} if programme else {}
    return render_template("workshops/list.html", page=page, programme=programme, args=args)


def _detail_page(workshop, form: CloseWorkshopForm | None = None, status: int = 200):
    session = db()
    collectivity = session.get(Collectivity, workshop.collectivity_id)
    irritants = session.exec(select(Irritant).where(Irritant.workshop_id == workshop.id)
                             .order_by(Irritant.title)).all()
    if form is None and current_user.is_project_team and workshop.status == "planned":
        form = CloseWorkshopForm(services=", ".join(workshop.services))
    html = render_template("workshops/detail.html", workshop=workshop, collectivity=collectivity,
                           hypotheses=service.hypothesis_results(session, workshop_id=workshop.id),
                           irritants=irritants, form=form)
    return html, status


@blueprint.get("/ateliers/<int:workshop_id>")
@roles_required("admin", "facilitator", "participant")
def workshop_detail(workshop_id: int):
    """A workshop: services, hypotheses tested, irritants found."""
    return _detail_page(hub_service.visible_or_404(db(), Workshop, workshop_id))


@blueprint.post("/ateliers/<int:workshop_id>/cloture")
@roles_required("admin", "facilitator")
def close_workshop(workshop_id: int):
    """Record that a workshop was held, with the agents met and services visited."""
    session = db()
    workshop = hub_service.visible_or_404(session, Workshop, workshop_id)
    form = CloseWorkshopForm()
    if form.validate_on_submit():
        try:
            service.close_workshop(session, workshop=workshop, agents_met=form.agents_met.data,
                                   services=form.service_list())
        except service.WorkshopRefused as refused:
            form.agents_met.errors = [*form.agents_met.errors, str(refused)]
        else:
            session.commit()
            flash(_("Atelier clôturé."), "success")
            return redirect(url_for("workshops.workshop_detail", workshop_id=workshop.id))
    return _detail_page(workshop, form=form, status=422)
