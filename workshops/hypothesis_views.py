"""Pages of the hypotheses: the programme's library with how often each was validated, and a workshop's outcomes."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.models import TEAM, Role
from workshops import hypotheses
from workshops.forms import HypothesisForm, OutcomeForm
from workshops.models import Workshop
from workshops.views import detail_page

blueprint = Blueprint("hypotheses", __name__, template_folder="templates")


def _library_page(programme, form: HypothesisForm | None = None, status: int = 200):
    themes = programmes.themes(db(), programme.id)
    if form is None:
        form = HypothesisForm()
    form.theme.choices = choices([("", "—"), *themes.items()])
    return render_template("workshops/hypotheses.html", programme=programme, form=form, themes=themes,
                           statistics=hypotheses.statistics(db(), programme_id=programme.id)), status


@blueprint.get("/programmes/<slug>/hypotheses")
@roles_required(*TEAM, Role.STEERING)
def hypothesis_library():
    """The library of hypotheses and, for each, how often the workshops validated it."""
    return _library_page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/hypotheses")
@roles_required(*TEAM)
def hypothesis_new():
    """Add a hypothesis to the programme's library."""
    session, programme = db(), programmes.current_programme()
    form = HypothesisForm()
    form.theme.choices = choices([("", "—"), *programmes.themes(session, programme.id).items()])
    return handle_form(
        form, lambda: hypotheses.add_hypothesis(session, programme_id=programme.id, statement=form.statement.data,
                                                theme=form.theme.data or ""),
        success=_("Hypothèse ajoutée."), redirect_to=url_for("hypotheses.hypothesis_library"),
        failure=lambda: _library_page(programme, form=form), default_field="statement")


@blueprint.post("/ateliers/<int:workshop_id>/hypotheses")
@roles_required(*TEAM)
def record_outcome(workshop_id: int):
    """Record what the workshop found about one hypothesis, with its evidence."""
    session = db()
    workshop = programmes.visible_or_404(session, Workshop, workshop_id)
    form = OutcomeForm()
    form.hypothesis_id.choices = choices((h.id, h.statement)
                                         for h in hypotheses.library(session, programme_id=workshop.programme_id))
    return handle_form(
        form, lambda: hypotheses.record_outcome(session, workshop=workshop, hypothesis_id=form.hypothesis_id.data,
                                                outcome=form.outcome.data, evidence=form.evidence.data or "",
                                                agents_count=form.agents_count.data),
        success=_("Résultat enregistré."),
        redirect_to=url_for("workshops.workshop_detail", workshop_id=workshop.id) + "#hypotheses",
        failure=lambda: detail_page(workshop, outcome_form=form), default_field="evidence")
