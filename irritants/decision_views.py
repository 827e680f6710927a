"""Pages of the decisions: recording the committee's decision on an irritant, and the decision log."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from exports import datasets
from exports.tabular import to_csv
from hub import service as hub_service
from hub.auth import roles_required
from hub.db import db
from hub.forms import choices
from hub.pagination import page_number
from irritants import decisions, service
from irritants.forms import DecisionFilterForm, DecisionForm
from irritants.models import Irritant
from irritants.views import detail_page
from participants.models import Collectivity, Enrolment

blueprint = Blueprint("decisions", __name__, template_folder="templates")
TEAM = ("admin", "facilitator")


@blueprint.post("/irritants/<int:irritant_id>/decisions")
@roles_required(*TEAM)
def record(irritant_id: int):
    """Record the steering committee's decision on this irritant."""
    session = db()
    irritant = hub_service.visible_or_404(session, Irritant, irritant_id)
    form = DecisionForm()
    if form.validate_on_submit():
        version, _params = service.parameters(session, programme_id=irritant.programme_id)
        decisions.record_decision(session, programme_id=irritant.programme_id, kind=form.kind.data,
                                  decided_on=form.decided_on.data, rationale=form.rationale.data,
                                  owner=form.owner.data, irritants=[irritant], parameters_version=version,
                                  by_user_id=current_user.id)
        session.commit()
        flash(_("Décision enregistrée."), "success")
        return redirect(url_for("irritants.irritant_detail", irritant_id=irritant.id) + "#decisions")
    return detail_page(irritant, decision_form=form, status=422)


@blueprint.get("/programmes/<slug>/decisions")
@roles_required(*TEAM, "steering")
def decision_log(slug: str):
    """The decision log, filtered by kind and collectivity; ``?format=csv`` gives it as a spreadsheet."""
    session = db()
    programme = hub_service.programme_or_404(session, slug)
    form = DecisionFilterForm(request.args)
    enrolled = session.exec(select(Collectivity.id, Collectivity.name)
                            .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                            .where(Enrolment.programme_id == programme.id).order_by(Collectivity.name)
                            .limit(200)).all()
    form.collectivity.choices = choices([("", _("Toutes"))] + [(str(cid), name) for cid, name in enrolled])
    form.collectivity.validate_choice = False
    filters = decisions.DecisionFilters.from_args(programme.id, request.args)
    if request.args.get("format") == "csv":
        # Kept for links saved before the exports (CSV, XLSX, JSON) existed; the same table as theirs.
        table = datasets.decisions(session, filters=filters)
        return Response(to_csv(table.header, table.rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="decisions-{programme.slug}.csv"'})
    page = decisions.decision_page(session, filters=filters, number=page_number(request.args.get("page")),
                                   size=current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in {"kind": form.kind.data, "collectivity": form.collectivity.data}.items() if v}
    return render_template("irritants/decisions.html", programme=programme, page=page, form=form, args=args)
