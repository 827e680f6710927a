"""Pages of the regional mutual groups: proposals from the text, the team's confirmation, shared answers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.core import jobs, programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.i18n import ngettext, number
from hub.core.models import TEAM, Programme, Role
from irritants import decisions, mutual, service
from irritants.forms import DecisionForm, GroupStatusForm, ProposeGroupsForm
from irritants.models import MutualGroup

blueprint = Blueprint("groups", __name__, template_folder="templates")


def _page(programme, form: ProposeGroupsForm | None = None, decision_form: tuple | None = None):
    session = db()
    _version, params = service.parameters(session, programme_id=programme.id)
    listed = mutual.groups(session, programme_id=programme.id)
    answers = {group.id: mutual.shared_answers(session, members=members, params=params)
               for group, members in listed if group.status == "confirmed"}
    decision_forms = {group.id: DecisionForm(prefix=f"g{group.id}", kind="mutualise")
                      for group, _members in listed if group.status == "confirmed"}
    if decision_form is not None:
        decision_forms[decision_form[0]] = decision_form[1]  # what was typed, with its errors
    proposal = mutual.last_proposal(session, programme_id=programme.id)
    return render_template("irritants/groups.html", programme=programme, groups=listed, answers=answers,
                           proposal=proposal, proposal_under_way=jobs.under_way(proposal),
                           form=form or ProposeGroupsForm(), status_form=GroupStatusForm(),
                           decision_forms=decision_forms)


@blueprint.get("/programmes/<slug>/groupes")
@roles_required(*TEAM, Role.STEERING)
def group_list():
    """Mutual groups: proposed ones to review, confirmed ones with what sharing changes."""
    return _page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/groupes/propositions")
@roles_required(*TEAM)
def propose():
    """Ask the worker for fresh proposals at the threshold given; the pending ones are replaced when it is done."""
    programme, form = programmes.current_programme(), ProposeGroupsForm()
    return handle_form(
        form, lambda: mutual.start_proposal(db(), programme_id=programme.id, threshold=float(form.threshold.data),
                                            user_id=current_user.id),
        success=_proposal_message, redirect_to=url_for("groups.group_list"),
        failure=lambda: _page(programme, form=form))


def _proposal_message(job) -> str:
    if job.status == "done":  # the queue ran it at once
        # The threshold as the page prints it (« 0,30 »), the noun agreeing with the count.
        return ngettext("%(num)s groupe proposé au seuil %(t)s.", "%(num)s groupes proposés au seuil %(t)s.",
                        job.result["groups"], t=number(job.result["threshold"], 2))
    return _("Proposition de groupes lancée : elle apparaîtra ici dans quelques instants.")


@blueprint.post("/groupes/<int:group_id>/decisions")
@roles_required(*TEAM)
def decide_group(group_id: int):
    """Record the steering committee's decision on a confirmed group: it covers every member irritant."""
    session = db()
    group = programmes.visible_or_404(session, MutualGroup, group_id)
    programme = session.get(Programme, group.programme_id)
    form = DecisionForm(prefix=f"g{group.id}")
    members = mutual.member_irritants(session, group_id=group.id)
    back = url_for("groups.group_list", slug=programme.slug)
    if group.status != "confirmed":
        flash(_("Seul un groupe confirmé reçoit une décision."), "error")
        return redirect(back)

    def decide():
        version, params = service.parameters(session, programme_id=programme.id)
        return decisions.record_decision(session, programme_id=programme.id, kind=form.kind.data,
                                         decided_on=form.decided_on.data, rationale=form.rationale.data,
                                         owner=form.owner.data, irritants=members, parameters_version=version,
                                         by_user_id=current_user.id, mutual_group_id=group.id, params=params)

    return handle_form(form, decide, success=_("Décision enregistrée pour les %(n)s irritants du groupe.",
                                               n=len(members)),
                       redirect_to=back, failure=lambda: _page(programme, decision_form=(group.id, form)))


@blueprint.post("/groupes/<int:group_id>/statut")
@roles_required(*TEAM)
def decide(group_id: int):
    """Confirm or dismiss a proposed group."""
    session = db()
    group = programmes.visible_or_404(session, MutualGroup, group_id)
    form = GroupStatusForm()
    back = url_for("groups.group_list", slug=session.get(Programme, group.programme_id).slug)
    return handle_form(form, lambda: mutual.set_status(session, group=group, status=form.status.data),
                       success=_("Groupe confirmé.") if form.status.data == "confirmed" else _("Groupe écarté."),
                       # The buttons post a fixed choice: anything else simply goes back to the list.
                       redirect_to=back, failure=lambda: redirect(back))
