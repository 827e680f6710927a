"""Pages of the method: qualifying an irritant, its remedy options, the programme's scoring parameters."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import TEAM, Role, utcnow
from hub.core.query import parse_int
from irritants import ai_act, answers, decisions, scoring, service
from irritants.forms import OptionForm, QualificationForm
from irritants.method_forms import RISK_FIELDS, ParametersForm
from irritants.method_parameters import RISKS
from irritants.models import Irritant, RemedyOption
from irritants.views import detail_page

blueprint = Blueprint("method", __name__, template_folder="templates")


def _section(irritant: Irritant, anchor: str) -> str:
    return url_for("irritants.irritant_detail", irritant_id=irritant.id) + anchor


@blueprint.post("/irritants/<int:irritant_id>/qualification")
@roles_required(*TEAM)
def qualify(irritant_id: int):
    """Record evidence, frequency, minutes, agents, severity and actionability; stale forms are refused."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = QualificationForm()
    expected = parse_int(form.version.data, minimum=0)
    expected = -1 if expected is None else expected
    try:
        return handle_form(
            form, lambda: service.qualify_irritant(session, irritant=irritant, values=form.values(),
                                                   expected_version=expected, by_user_id=current_user.id),
            success=_qualification_message, redirect_to=_section(irritant, "#qualification"),
            failure=lambda: detail_page(irritant, qualification_form=form))
    except service.StaleVersion as stale:
        session.rollback()
        current = programmes.visible_or_404(session, Irritant, irritant_id)
        conflict = {"message": str(stale), "yours": _("votre qualification (ci-dessous, à reprendre)"),
                    "theirs": _("%(hours)s h par an, niveau de preuve %(evidence)s",
                                hours=round(current.hours_per_year), evidence=current.evidence_level)}
        form.version.data = current.version  # saving again means overwriting knowingly
        return detail_page(current, conflict=conflict, qualification_form=form, status=409)


def _qualification_message(saved: service.QualificationSaved) -> str:
    """What the save did to the status, said: moved to « Qualifié », or left there though no longer qualified."""
    if saved.moved:
        return _("Qualification enregistrée. Irritant qualifié : statut passé à « Qualifié ».")
    if saved.lapsed:
        return _("Qualification enregistrée. L'irritant ne remplit plus les conditions de qualification : son statut "
                 "reste « Qualifié » ; changez-le avec « Faire avancer » si besoin.")
    return _("Qualification enregistrée.")


def option_values(form: OptionForm) -> dict:
    """The option's columns from the form; for AI, the class the hub proposes and the one a person confirmed."""
    values = {name: form[name].data for name in (
        "family", "label", "months_to_value", "requests_per_year", "personal_data", "human_review", "citizen_facing",
        "sovereign_tool", "footprint_source", "shareable", "footprint_factor")}
    values.update(reduction_pct=float(form.reduction_pct.data), one_off_cost=float(form.one_off_cost.data),
                  recurring_cost=float(form.recurring_cost.data),
                  **{name: float(form[name].data) if form[name].data is not None else None
                     for name in ("energy_wh_per_request", "co2e_g_per_request")})
    if form.family.data in scoring.AI_FAMILIES:
        proposed = ai_act.classify(form.ai_act_use.data or "", profiling=form.profiling.data,
                                   human_review=form.human_review.data).klass
        choice = form.confirmed_class.data or None
        confirmed = proposed if choice == "proposed" else choice
        values.update(ai_act_use=form.ai_act_use.data or "", ai_act_class=proposed, ai_act_duties=form.duties())
        if confirmed:
            # Who confirmed, and when: the confirmed class is the one the method uses from now on.
            values.update(ai_act_confirmed_class=confirmed, ai_act_confirmed_by_id=current_user.id,
                          ai_act_confirmed_at=utcnow())
    return values


@blueprint.post("/irritants/<int:irritant_id>/options")
@roles_required(*TEAM)
def add_option(irritant_id: int):
    """Add a remedy option; for AI the hub proposes the AI Act class from the use and a person confirms it."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = OptionForm()
    return handle_form(form, lambda: service.add_option(session, irritant=irritant, values=option_values(form)),
                       success=_("Option ajoutée."), redirect_to=_section(irritant, "#options"),
                       failure=lambda: detail_page(irritant, option_form=form))


@blueprint.post("/irritants/<int:irritant_id>/options/suggestions")
@roles_required(*TEAM)
def suggest_options(irritant_id: int):
    """Add the theme's starting options, frugal first, which the team then edits."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    created = service.suggest_options(session, irritant=irritant)
    session.commit()
    flash(_("%(n)s options de départ ajoutées.", n=len(created)), "success")
    return redirect(_section(irritant, "#options"))


def irritant_and_option_or_404(session, irritant_id: int, option_id: int) -> tuple[Irritant, RemedyOption]:
    """The irritant and one of its options, both visible to the reader; 404 otherwise."""
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    option = programmes.visible_or_404(session, RemedyOption, option_id)
    if option.irritant_id != irritant.id:
        abort(404)
    return irritant, option


@blueprint.post("/irritants/<int:irritant_id>/options/<int:option_id>/suppression")
@roles_required(*TEAM)
def remove_option(irritant_id: int, option_id: int):
    """Remove a remedy option."""
    session = db()
    irritant, option = irritant_and_option_or_404(session, irritant_id, option_id)
    # No decision may keep an option that no longer exists (service.remove_option leaves that to its caller).
    decisions.forget_option(session, option_id=option.id)
    service.remove_option(session, irritant=irritant, option=option)
    session.commit()
    flash(_("Option supprimée."), "success")
    return redirect(_section(irritant, "#options"))


@blueprint.route("/programmes/<slug>/parametres", methods=["GET", "POST"])
@roles_required(*TEAM, Role.STEERING)
def parameters():
    """The scoring parameters in force, their history, and (for the admin) a new version."""
    session, programme = db(), programmes.current_programme()
    version, current = answers.parameters(session, programme_id=programme.id)
    form = ParametersForm(data=current) if request.method == "GET" else ParametersForm()
    if request.method == "POST" and current_user.role != Role.ADMIN:
        abort(403)

    def save():
        return answers.save_parameters(session, programme_id=programme.id, values=form.values(), note=form.note.data,
                                       by_user_id=current_user.id)

    return handle_form(form, save, success=lambda saved: _("Paramètres enregistrés : version %(v)s.", v=saved.version),
                       redirect_to=url_for("method.parameters"),
                       failure=lambda: render_template(
                           "irritants/parameters.html", programme=programme, form=form, version=version,
                           current=current, defaults=scoring.DEFAULT_PARAMETERS, risks=RISKS,
                           risk_fields=RISK_FIELDS, horizon=scoring.horizon_months(current),
                           history=answers.parameter_history(session, programme_id=programme.id)))
