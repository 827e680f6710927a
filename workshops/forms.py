"""Forms of the workshops package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hub.core.forms import HubForm, IntegerField, choices
from hub.core.labels import LABELS


def _service_list(raw: str | None) -> list[str]:
    """Services typed as « accueil, RH, accueil » → ["accueil", "RH"]."""
    seen: list[str] = []
    for name in (raw or "").split(","):
        name = name.strip()
        if name and name not in seen:
            seen.append(name)
    return seen


class CloseWorkshopForm(HubForm):
    """What closing a workshop requires: agents met and services visited."""

    agents_met = IntegerField(_l("Agents rencontrés"), validators=[
        InputRequired(_l("Indiquez le nombre d'agents rencontrés (un nombre entier).")),
        NumberRange(min=1, max=10000, message=_l("Entre 1 et 10 000 agents.")),
    ])
    services = StringField(_l("Services visités (séparés par des virgules)"), validators=[
        DataRequired(_l("Indiquez au moins un service visité.")), Length(max=500),
    ])

    def service_list(self) -> list[str]:
        """The services typed, cleaned of blanks and repeats."""
        return _service_list(self.services.data)


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes, easier than a multiple select on a tablet."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WorkshopPlanForm(HubForm):
    """Plan (or re-plan) a workshop in one collectivity."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    held_on = DateField(_l("Date"), format=["%Y-%m-%d", "%d/%m/%Y"],
                        validators=[InputRequired(_l("Indiquez la date de l'atelier (jj/mm/aaaa)."))])
    place = StringField(_l("Lieu"), validators=[Length(max=200)])
    facilitator_ids = CheckboxListField(_l("Animateurs"), coerce=int, validators=[Optional()])
    services = StringField(_l("Services à visiter (séparés par des virgules)"), validators=[Length(max=500)])
    themes = CheckboxListField(_l("Thématiques"), validators=[Optional()])

    def service_list(self) -> list[str]:
        """The services typed, cleaned of blanks and repeats."""
        return _service_list(self.services.data)


class PublishReportForm(HubForm):
    """The compte-rendu's own words before it is published to the collectivity."""

    context = TextAreaField(_l("Contexte de la journée"), validators=[
        DataRequired(_l("Décrivez le contexte de la journée.")), Length(max=5000)])
    next_steps = TextAreaField(_l("Prochaines étapes"), validators=[
        DataRequired(_l("Indiquez les prochaines étapes.")), Length(max=5000)])


class HypothesisForm(HubForm):
    """A new hypothesis for the programme's library."""

    statement = StringField(_l("Hypothèse"), validators=[
        DataRequired(_l("Formulez l'hypothèse.")), Length(max=500, message=_l("500 caractères au plus."))])
    theme = SelectField(_l("Thématique"), validators=[Optional()])


class OutcomeForm(HubForm):
    """What a workshop found about one hypothesis."""

    hypothesis_id = SelectField(_l("Hypothèse"), coerce=int, validators=[DataRequired(_l("Choisissez l'hypothèse."))])
    outcome = SelectField(_l("Résultat"), choices=choices(LABELS["outcome"].items()))
    evidence = TextAreaField(_l("Éléments observés"), validators=[Length(max=1000)])
    agents_count = IntegerField(_l("Agents concernés par l'observation"), validators=[
        Optional(), NumberRange(min=0, max=10000, message=_l("Un nombre entre 0 et 10 000."))])


# The day page's three answers, in the words said on site (« Pas claire » is the library's « Incertaine »).
DAY_OUTCOMES = (("validated", _l("Validée")), ("invalidated", _l("Invalidée")), ("unclear", _l("Pas claire")))


class DayOutcomeForm(OutcomeForm):
    """One hypothesis's outcome from the day page: a choice among three, what supports it, and the page to return to."""

    outcome = RadioField(_l("Résultat"), choices=choices(DAY_OUTCOMES), validators=[
        InputRequired(_l("Choisissez un résultat : validée, invalidée ou pas claire."))])
    evidence = TextAreaField(_l("Ce qui l'étaye"), validators=[
        Length(max=1000, message=_l("1 000 caractères au plus."))])
    suivant = HiddenField()
