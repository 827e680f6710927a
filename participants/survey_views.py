"""Pages of the satisfaction surveys: waves, results by collectivity, shares with their number of answers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import TEAM, Programme, Role
from participants import surveys
from participants.forms import CorrectionForm, ImportForm, SurveyResultForm, SurveyWaveForm
from participants.models import SurveyResult, SurveyWave
from participants.usage_views import with_enrolled_collectivities

blueprint = Blueprint("surveys", __name__, template_folder="templates")


def _result_form(programme, wave_id: int) -> SurveyResultForm:
    # One form per wave on the page: the prefix keeps each field's id unique for its label.
    return with_enrolled_collectivities(SurveyResultForm(prefix=f"w{wave_id}"), programme)


def _page(programme, wave_form=None, result_form=None, status: int = 200, error: str | None = None):
    summaries = surveys.summaries(db(), programme_id=programme.id)
    result_forms = {s.wave.id: _result_form(programme, s.wave.id) for s in summaries}
    if result_form is not None:
        result_forms[result_form[0]] = result_form[1]  # what was typed, with its errors
    return render_template(
        "participants/surveys.html", programme=programme, summaries=summaries,
        small=surveys.SMALL_SAMPLE, share=surveys.share, is_small=surveys.is_small, error=error,
        wave_form=wave_form or (SurveyWaveForm() if current_user.is_project_team else None),
        result_forms=result_forms, import_form=ImportForm() if current_user.is_project_team else None), status


@blueprint.get("/programmes/<slug>/enquetes")
@roles_required(*TEAM, Role.STEERING, Role.PARTICIPANT)
def survey_page():
    """Survey waves with each collectivity's share of positive answers (a référent sees their own)."""
    return _page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/enquetes")
@roles_required(*TEAM)
def wave_new():
    """Open a new survey wave."""
    programme, form = programmes.current_programme(), SurveyWaveForm()
    return handle_form(
        form, lambda: surveys.create_wave(db(), programme_id=programme.id, label=form.label.data,
                                          audience=form.audience.data, opened_on=form.opened_on.data),
        success=_("Vague d'enquête créée."), redirect_to=url_for("surveys.survey_page"),
        failure=lambda: _page(programme, wave_form=form), default_field="audience")


def _wave(wave_id: int) -> tuple[SurveyWave, Programme]:
    wave = programmes.visible_or_404(db(), SurveyWave, wave_id)
    return wave, db().get(Programme, wave.programme_id)


@blueprint.post("/enquetes/<int:wave_id>/resultats")
@roles_required(*TEAM, Role.PARTICIPANT)
def record_result(wave_id: int):
    """Enter a collectivity's aggregated answers; a référent's entry waits for the team's validation."""
    wave, programme = _wave(wave_id)
    form = _result_form(programme, wave.id)
    return handle_form(
        form, lambda: surveys.record_result(db(), wave=wave, collectivity_id=form.collectivity_id.data,
                                            respondents=form.respondents.data, positive=form.positive.data,
                                            validated=current_user.is_project_team, by_user_id=current_user.id),
        success=lambda result: _("Ces résultats étaient validés par l'équipe projet : votre correction attend son "
                                 "accord, et les chiffres validés restent affichés d'ici là.")
        if result.correction else _("Résultats enregistrés."),
        redirect_to=url_for("surveys.survey_page", slug=programme.slug),
        failure=lambda: _page(programme, result_form=(wave.id, form)), default_field="positive")


@blueprint.post("/enquetes/resultats/<int:result_id>/validation")
@roles_required(*TEAM)
def validate_result(result_id: int):
    """The team validates results a référent entered."""
    result = programmes.visible_or_404(db(), SurveyResult, result_id)
    surveys.validate_result(db(), result=result, by_user_id=current_user.id)
    wave, programme = _wave(result.wave_id)
    db().commit()
    flash(_("Résultats validés."), "success")
    return redirect(url_for("surveys.survey_page", slug=programme.slug))


@blueprint.post("/enquetes/resultats/<int:result_id>/correction")
@roles_required(*TEAM)
def settle_correction(result_id: int):
    """The team accepts a référent's correction of validated results (they become the figures) or refuses it."""
    result = programmes.visible_or_404(db(), SurveyResult, result_id)
    form = CorrectionForm()
    if not form.validate_on_submit() or result.correction is None:
        abort(400)
    accept = form.decision.data == "accept"
    surveys.settle_correction(db(), result=result, accept=accept, by_user_id=current_user.id)
    _wave_row, programme = _wave(result.wave_id)
    db().commit()
    flash(_("Correction acceptée : elle devient le chiffre validé.") if accept
          else _("Correction refusée : le chiffre validé reste."), "success")
    return redirect(url_for("surveys.survey_page", slug=programme.slug))


@blueprint.post("/enquetes/<int:wave_id>/import")
@roles_required(*TEAM)
def import_answers(wave_id: int):
    """Count a per-response CSV and record each collectivity's totals, all or nothing."""
    wave, programme = _wave(wave_id)
    form = ImportForm()
    return handle_form(
        form, lambda: surveys.import_responses(db(), wave=wave, data=form.file.data.read()),
        success=lambda counted: _("%(n)s réponses comptées.", n=sum(r for r, _p in counted.values())),
        redirect_to=url_for("surveys.survey_page", slug=programme.slug),
        # A file the import refuses has its reason flashed; a form without a file asks for one.
        failure=lambda: _page(programme, error=_("Choisissez un fichier CSV.") if form.errors else None))
