"""Pages of the decisions: recording the committee's decision on an irritant, and the decision log."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.models import TEAM, Role
from hub.core.pagination import page_number
from hub.core.query import clean_args, str_arg
from hub.core.sorting import Sort, Sortable
from irritants import decisions, service
from irritants.forms import DecisionFilterForm, DecisionForm
from irritants.models import Decision, Irritant
from irritants.views import detail_page
from participants.models import Collectivity, Enrolment

blueprint = Blueprint("decisions", __name__, template_folder="templates")


@blueprint.post("/irritants/<int:irritant_id>/decisions")
@roles_required(*TEAM)
def record(irritant_id: int):
    """Record the steering committee's decision on this irritant."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = DecisionForm()

    def decide():
        version, params = service.parameters(session, programme_id=irritant.programme_id)
        return decisions.record_decision(session, programme_id=irritant.programme_id, kind=form.kind.data,
                                         decided_on=form.decided_on.data, rationale=form.rationale.data,
                                         owner=form.owner.data, irritants=[irritant], parameters_version=version,
                                         by_user_id=current_user.id, params=params)

    return handle_form(form, decide, success=_("Décision enregistrée."),
                       redirect_to=url_for("irritants.irritant_detail", irritant_id=irritant.id) + "#decisions",
                       failure=lambda: detail_page(irritant, decision_form=form))


# The log's sortable columns (?tri=…&ordre=asc|desc); latest committee first unless asked otherwise. A decision
# covering several irritants has one row each: the irritant's id keeps the order total.
DECISION_SORT = Sortable({"date": (Decision.decided_on, Decision.id), "decision": (Decision.kind,),
                          "irritant": (Irritant.title,), "collectivite": (Collectivity.name,),
                          "responsable": (Decision.owner,)}, Irritant.id, default=Sort("date", descending=True))


@blueprint.get("/programmes/<slug>/decisions")
@roles_required(*TEAM, Role.STEERING)
def decision_log():
    """The decision log, filtered by kind and collectivity; ``?format=csv`` leads to its CSV export."""
    session, programme = db(), programmes.current_programme()
    form = DecisionFilterForm(clean_args())
    enrolled = session.exec(select(Collectivity.id, Collectivity.name)
                            .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                            .where(Enrolment.programme_id == programme.id).order_by(Collectivity.name)
                            .limit(200)).all()
    form.collectivity.choices = choices([("", _("Toutes"))] + [(str(cid), name) for cid, name in enrolled])
    form.collectivity.validate_choice = False
    filters = decisions.DecisionFilters.from_args(programme.id, clean_args())
    if str_arg("format") == "csv":
        # Links saved before the exports (CSV, XLSX, JSON) existed lead to the same table as theirs.
        kept = {key: str_arg(key) for key in ("kind", "collectivity") if str_arg(key)}
        return redirect(url_for("data_exports.decisions", fmt="csv", programme=programme.slug, **kept), 301)
    sort = DECISION_SORT.read()
    page = decisions.decision_page(session, filters=filters, number=page_number(str_arg("page")),
                                   size=current_app.config["PAGE_SIZE"], order=DECISION_SORT.order(sort))
    args = {k: v for k, v in {"kind": form.kind.data, "collectivity": form.collectivity.data}.items() if v}
    departures = {(decision.id, irritant.id): decisions.departure_note(decision.kind, irritant.recommended_family)
                  for decision, irritant, _name in page.items}
    return render_template("irritants/decisions.html", programme=programme, page=page, form=form, args=args,
                           departures=departures, sort=sort)
