"""Pages of the impact: measures of decided actions, their values, time saved estimated against realised."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.labels import label
from hub.core.models import TEAM, Programme, Role
from irritants import impact
from irritants.forms import MeasureForm, MeasureValueForm
from irritants.models import Decision, DecisionIrritant, ImpactMeasure, Irritant

blueprint = Blueprint("impact", __name__, template_folder="templates")


def _measure_form(programme, formdata=None) -> MeasureForm:
    form = MeasureForm(formdata=formdata)
    rows = db().exec(select(DecisionIrritant.id, Decision.kind, Decision.decided_on, Irritant.title)
                     .join(Decision, Decision.id == DecisionIrritant.decision_id)
                     .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
                     .where(Decision.programme_id == programme.id, Decision.kind.in_(("ai_pilot", "frugal_action",
                                                                                       "mutualise")))
                     .order_by(Decision.decided_on.desc()).limit(500)).all()
    form.target.choices = choices((link_id, f"{title} — {label('decision', kind)} ({decided_on.strftime('%d/%m/%Y')})")
                                  for link_id, kind, decided_on, title in rows)
    return form


def _page(programme, measure_form=None, value_form=None, status: int = 200):
    measures, saved = impact.summaries(db(), programme_id=programme.id)
    value_forms = {s.measure.id: MeasureValueForm(prefix=f"m{s.measure.id}") for s in measures}
    if value_form is not None:
        value_forms[value_form[0]] = value_form[1]
    return render_template("irritants/impact.html", programme=programme, measures=measures, saved=saved,
                           measure_form=measure_form or _measure_form(programme), value_forms=value_forms), status


@blueprint.get("/programmes/<slug>/impact")
@roles_required(*TEAM, Role.STEERING, Role.PARTICIPANT)
def impact_page():
    """Measures before and after each decided action; a référent sees their own collectivity's."""
    return _page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/impact/mesures")
@roles_required(*TEAM, Role.PARTICIPANT)
def measure_new():
    """A new measure of a decided action, with its baseline (a référent's waits for validation)."""
    session, programme = db(), programmes.current_programme()
    form = _measure_form(programme, formdata=request.form)

    def measure():
        link = programmes.visible_or_404(session, DecisionIrritant, form.target.data)
        return impact.add_measure(session, decision=session.get(Decision, link.decision_id),
                                  irritant=session.get(Irritant, link.irritant_id), metric=form.metric.data,
                                  unit=form.unit.data, baseline_value=float(form.baseline_value.data),
                                  baseline_on=form.baseline_on.data, validated=current_user.is_project_team)

    return handle_form(form, measure, success=_("Indicateur enregistré."), redirect_to=url_for("impact.impact_page"),
                       failure=lambda: _page(programme, measure_form=form), default_field="target")


@blueprint.post("/mesures/<int:measure_id>/validation")
@roles_required(*TEAM)
def validate_measure(measure_id: int):
    """The team validates a measure a référent entered."""
    session = db()
    measure = programmes.visible_or_404(session, ImpactMeasure, measure_id)
    measure.validated = True
    session.add(measure)
    programme = session.get(Programme, session.get(Decision, measure.decision_id).programme_id)
    session.commit()
    flash(_("Indicateur validé."), "success")
    return redirect(url_for("impact.impact_page", slug=programme.slug))


@blueprint.post("/mesures/<int:measure_id>/valeurs")
@roles_required(*TEAM, Role.PARTICIPANT)
def value_new(measure_id: int):
    """A later value of a measure, marked measured or self-reported."""
    session = db()
    measure = programmes.visible_or_404(session, ImpactMeasure, measure_id)
    programme = session.get(Programme, session.get(Decision, measure.decision_id).programme_id)
    form = MeasureValueForm(prefix=f"m{measure.id}")
    return handle_form(
        form, lambda: impact.add_value(session, measure=measure, value=float(form.value.data),
                                       measured_on=form.measured_on.data, nature=form.nature.data,
                                       hours_saved=float(form.hours_saved.data)
                                       if form.hours_saved.data is not None else None),
        success=_("Valeur enregistrée."), redirect_to=url_for("impact.impact_page", slug=programme.slug),
        failure=lambda: _page(programme, value_form=(measure.id, form)), default_field="measured_on")
