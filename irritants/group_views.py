"""Pages of the regional mutual groups: proposals from the text, the team's confirmation, shared answers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from hub import service as hub_service
from hub.auth import roles_required
from hub.db import db
from hub.models import Programme
from irritants import mutual, service
from irritants.forms import GroupStatusForm, ProposeGroupsForm
from irritants.models import MutualGroup

blueprint = Blueprint("groups", __name__, template_folder="templates")
TEAM = ("admin", "facilitator")


def _page(programme, form: ProposeGroupsForm | None = None, status: int = 200, error: str | None = None):
    session = db()
    _version, params = service.parameters(session, programme_id=programme.id)
    listed = mutual.groups(session, programme_id=programme.id)
    answers = {group.id: mutual.shared_answers(session, members=members, params=params)
               for group, members in listed if group.status == "confirmed"}
    return render_template("irritants/groups.html", programme=programme, groups=listed, answers=answers,
                           form=form or ProposeGroupsForm(), status_form=GroupStatusForm(), error=error), status


@blueprint.get("/programmes/<slug>/groupes")
@roles_required(*TEAM, "steering")
def group_list(slug: str):
    """Mutual groups: proposed ones to review, confirmed ones with what sharing changes."""
    return _page(hub_service.programme_or_404(db(), slug))


@blueprint.post("/programmes/<slug>/groupes/propositions")
@roles_required(*TEAM)
def propose(slug: str):
    """Compute fresh proposals at the threshold given; the pending ones are replaced."""
    session = db()
    programme = hub_service.programme_or_404(session, slug)
    form = ProposeGroupsForm()
    if not form.validate_on_submit():
        return _page(programme, form=form, status=422)
    try:
        created = mutual.propose(session, programme_id=programme.id, threshold=float(form.threshold.data))
    except mutual.GroupRefused as refused:
        session.rollback()
        return _page(programme, form=form, status=422, error=str(refused))
    session.commit()
    flash(_("%(n)s groupes proposés au seuil %(t)s.", n=len(created), t=form.threshold.data), "success")
    return redirect(url_for("groups.group_list", slug=programme.slug))


@blueprint.post("/groupes/<int:group_id>/statut")
@roles_required(*TEAM)
def decide(group_id: int):
    """Confirm or dismiss a proposed group."""
    session = db()
    group = hub_service.visible_or_404(session, MutualGroup, group_id)
    form = GroupStatusForm()
    programme = session.get(Programme, group.programme_id)
    if form.validate_on_submit():
        mutual.set_status(session, group=group, status=form.status.data)
        session.commit()
        flash(_("Groupe confirmé.") if form.status.data == "confirmed" else _("Groupe écarté."), "success")
    return redirect(url_for("groups.group_list", slug=programme.slug))
