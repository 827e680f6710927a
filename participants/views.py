"""Pages of the participants package: the collectivity list and a collectivity's page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub import service as hub_service
from hub.auth import roles_required
from hub.db import db
from hub.forms import choices
from hub.labels import label
from hub.pagination import page_number
from irritants.models import Irritant
from participants import service
from participants.forms import EnrolmentStatusForm
from participants.models import Collectivity, Enrolment
from workshops.models import Workshop

blueprint = Blueprint("participants", __name__, template_folder="templates")


@blueprint.get("/collectivites")
@roles_required("admin", "facilitator")
def collectivity_list():
    """Every collectivity, or those enrolled in one programme."""
    session = db()
    programme = hub_service.chosen_programme(session, request.args.get("programme")) \
        if request.args.get("programme") else None
    page = service.collectivity_page(session, programme_id=programme.id if programme else None,
                                     number=page_number(request.args.get("page")),
                                     size=current_app.config["PAGE_SIZE"])
    ids = [collectivity.id for collectivity, _enrolment in page.items]
    counts = dict(session.exec(select(Irritant.collectivity_id, sa.func.count(Irritant.id))
                               .where(Irritant.collectivity_id.in_(ids)).group_by(Irritant.collectivity_id)).all()) \
        if ids else {}
    args = {"programme": programme.slug} if programme else {}
    return render_template("participants/list.html", page=page, counts=counts, programme=programme, args=args)


@blueprint.get("/collectivites/<int:collectivity_id>")
@roles_required("admin", "facilitator", "participant")
def collectivity_detail(collectivity_id: int):
    """A collectivity: its enrolments and their history, workshops, irritants by status."""
    return _detail_page(hub_service.visible_or_404(db(), Collectivity, collectivity_id))


def _status_form(enrolment: Enrolment, formdata=None) -> EnrolmentStatusForm:
    form = EnrolmentStatusForm(formdata=formdata, prefix=f"e{enrolment.id}", enrolment_id=enrolment.id)
    form.to_status.choices = choices((s, label("enrolment", s))
                                     for s in service.ENROLMENT_TRANSITIONS[enrolment.status])
    return form


def _detail_page(collectivity, submitted: EnrolmentStatusForm | None = None, status: int = 200):
    session = db()
    enrolments = service.enrolments(session, collectivity_id=collectivity.id)
    history = service.enrolment_history(session, enrolment_ids=[e.id for e in enrolments])
    workshops = session.exec(select(Workshop).where(Workshop.collectivity_id == collectivity.id)
                             .order_by(Workshop.held_on)).all()
    by_status = dict(session.exec(select(Irritant.status, sa.func.count(Irritant.id))
                                  .where(Irritant.collectivity_id == collectivity.id)
                                  .group_by(Irritant.status)).all())
    forms = {}
    if current_user.is_project_team:
        forms = {e.id: _status_form(e, formdata=None) for e in enrolments}
        if submitted is not None:
            forms[int(submitted.enrolment_id.data)] = submitted  # keeps what was typed, with its errors
    html = render_template("participants/detail.html", collectivity=collectivity, enrolments=enrolments,
                           history=history, workshops=workshops, by_status=by_status, forms=forms)
    return html, status


@blueprint.post("/collectivites/<int:collectivity_id>/inscriptions/<int:enrolment_id>/statut")
@roles_required("admin", "facilitator")
def enrolment_status(collectivity_id: int, enrolment_id: int):
    """Record a step of a candidacy: selected, not selected, enrolled, withdrawn, completed."""
    session = db()
    collectivity = hub_service.visible_or_404(session, Collectivity, collectivity_id)
    enrolment = session.exec(select(Enrolment).where(Enrolment.id == enrolment_id,
                                                     Enrolment.collectivity_id == collectivity.id)).first()
    if enrolment is None:
        abort(404)
    form = _status_form(enrolment, formdata=request.form)
    form.enrolment_id.data = str(enrolment.id)
    if form.validate_on_submit():
        try:
            service.change_enrolment_status(session, enrolment=enrolment, to_status=form.to_status.data,
                                            reason=form.reason.data or "", by_user_id=current_user.id)
        except service.TransitionRefused as refused:
            form.reason.errors = [*form.reason.errors, str(refused)]
        else:
            session.commit()
            flash(_("Statut de l'inscription mis à jour."), "success")
            return redirect(url_for("participants.collectivity_detail", collectivity_id=collectivity.id))
    return _detail_page(collectivity, submitted=form, status=422)
