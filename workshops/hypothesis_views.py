"""Pages of the hypotheses: the programme's library with how often each was validated, a workshop's outcomes, and
the day page a facilitator answers them from on site."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.models import TEAM, Programme, Role
from hub.core.security import local_path
from participants.models import Collectivity
from workshops import hypotheses
from workshops.forms import DAY_OUTCOMES, DayOutcomeForm, HypothesisForm, OutcomeForm
from workshops.models import Hypothesis, HypothesisTest, Workshop
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
    """Record what the workshop found about one hypothesis, with its evidence; back to the page it came from."""
    session = db()
    workshop = programmes.visible_or_404(session, Workshop, workshop_id)
    # Only this workshop's day page is a page to go back to: any other target, a foreign site above all, is ignored.
    target = _local(request.form.get("suivant"))
    day_url = url_for("hypotheses.day_hypotheses", workshop_id=workshop.id)
    from_day = target is not None and urlsplit(target).path == day_url
    form = DayOutcomeForm() if from_day else OutcomeForm()
    library = hypotheses.library(session, programme_id=workshop.programme_id)
    form.hypothesis_id.choices = choices((h.id, h.statement) for h in library)
    return handle_form(
        form, lambda: hypotheses.record_outcome(session, workshop=workshop, hypothesis_id=form.hypothesis_id.data,
                                                outcome=form.outcome.data, evidence=form.evidence.data or "",
                                                agents_count=form.agents_count.data),
        success=_("Résultat enregistré."),
        # Back on the day page, on the card just saved.
        redirect_to=(lambda test: f"{day_url}#hypothese-{test.hypothesis_id}") if from_day
        else url_for("workshops.workshop_detail", workshop_id=workshop.id) + "#hypotheses",
        failure=(lambda: day_page(workshop, form=form, library=library)) if from_day
        else (lambda: detail_page(workshop, outcome_form=form)), default_field="evidence")


def _local(target: str | None) -> str | None:
    """``local_path``, with an address Python cannot even parse (« //[ ») read as no address at all."""
    try:
        return local_path(target)
    except ValueError:
        return None


@dataclass(frozen=True)
class DayCard:
    """One hypothesis on the day page: what this workshop saved about it, and what its form shows."""

    hypothesis: Hypothesis
    result: HypothesisTest | None
    chosen: str | None = None
    evidence: str = ""
    agents_count: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    posted: bool = False  # the card of the form just refused


def _card(hypothesis: Hypothesis, saved: HypothesisTest | None, form: DayOutcomeForm | None) -> DayCard:
    # « Non testée », which the workshop page may record, is no result to show; its count of agents is kept.
    result = saved if saved is not None and saved.outcome != "untested" else None
    if form is not None and form.hypothesis_id.data == hypothesis.id:
        # The refused post, as typed, with its messages next to its fields.
        return DayCard(hypothesis, result, form.outcome.data, form.evidence.data or "", form.agents_count.data,
                       {"outcome": [str(e) for e in form.outcome.errors],
                        "evidence": [str(e) for e in form.evidence.errors]}, posted=True)
    return DayCard(hypothesis, result, result.outcome if result else None, saved.evidence if saved else "",
                   saved.agents_count if saved else None)


def day_page(workshop: Workshop, form: DayOutcomeForm | None = None, library: list[Hypothesis] | None = None,
             status: int = 200):
    """The day's hypotheses of a workshop, each with its form (or the one just refused, with what was typed)."""
    session = db()
    if library is None:
        library = hypotheses.library(session, programme_id=workshop.programme_id)
    saved = hypotheses.outcomes_of(session, workshop_id=workshop.id)
    themes = programmes.themes(session, workshop.programme_id)
    themed, others = hypotheses.by_themes(library, workshop.themes)
    cards = [_card(h, saved.get(h.id), form) for h in themed]
    other_cards = [_card(h, saved.get(h.id), form) for h in others]
    # The other hypotheses stay folded unless one of them holds a result of the day or the form just refused.
    unfold = any(c.result is not None or c.posted for c in other_cards)
    # Errors of hidden fields (a hypothesis that is not the programme's, a count altered) have no field to sit by.
    stray = [str(e) for name in ("hypothesis_id", "agents_count") for e in (form[name].errors if form else [])]
    return render_template(
        "workshops/day_hypotheses.html", workshop=workshop, programme=session.get(Programme, workshop.programme_id),
        collectivity=session.get(Collectivity, workshop.collectivity_id),
        theme_labels=[themes[code] for code in workshop.themes if code in themes], cards=cards, other_cards=other_cards,
        unfold=unfold, stray_errors=stray, outcomes=dict(DAY_OUTCOMES),
        day_url=url_for("hypotheses.day_hypotheses", workshop_id=workshop.id)), status


@blueprint.get("/ateliers/<int:workshop_id>/hypotheses-du-jour")
@roles_required(*TEAM)
def day_hypotheses(workshop_id: int):
    """The day's hypotheses, on the spot: the workshop's themes first, one tap to record each outcome."""
    return day_page(programmes.visible_or_404(db(), Workshop, workshop_id))
