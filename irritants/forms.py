"""Forms of the irritants package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hub.forms import DecimalCommaField, choices
from hub.labels import LABELS


def _number(label, low, high, message, integer=False, default=0):
    extra = {} if integer else {"places": None}  # « 2,5 » stays « 2.5 », never « 2.50 »
    field = IntegerField if integer else DecimalCommaField
    return field(label, default=default, **extra, validators=[
        InputRequired(_l("Ce champ est obligatoire ; indiquez 0 si vous ne savez pas.")),
        NumberRange(min=low, max=high, message=message),
    ])


class IrritantFieldsForm(FlaskForm):
    """What describes an irritant or a wish, shared by the full form and the on-site capture."""

    kind = SelectField(_l("Nature"), choices=choices([("irritant", _l("Irritant")),
                                                      ("souhait", _l("Souhait d'évolution"))]))
    title = StringField(_l("Intitulé"), validators=[
        DataRequired(_l("Donnez un intitulé court à l'irritant.")),
        Length(max=200, message=_l("200 caractères au plus.")),
    ])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    wish = TextAreaField(_l("Souhait d'évolution"), validators=[Length(max=2000)])
    service = StringField(_l("Service"), validators=[
        DataRequired(_l("Indiquez le service concerné.")), Length(max=80)])
    theme = SelectField(_l("Thématique"), validators=[DataRequired(_l("Choisissez une thématique."))])
    occurrences_per_month = _number(_l("Occurrences par mois"), 0, 100000,
                                    _l("Entre 0 et 100 000 occurrences par mois."))
    minutes_per_occurrence = _number(_l("Minutes perdues à chaque fois"), 0, 1440,
                                     _l("Entre 0 et 1 440 minutes (une journée)."))
    agents_affected = _number(_l("Agents concernés"), 1, 100000, _l("Au moins un agent, au plus 100 000."),
                              integer=True, default=1)
    evidence_level = SelectField(_l("Niveau de preuve"), coerce=int,
                                 choices=choices(LABELS["evidence"].items()), validators=[Optional()])

    def values(self) -> dict:
        """The irritant's fields as the model takes them."""
        return {name: (float(self[name].data) if name in ("occurrences_per_month", "minutes_per_occurrence")
                       else self[name].data)
                for name in ("kind", "title", "description", "wish", "service", "theme", "occurrences_per_month",
                             "minutes_per_occurrence", "agents_affected", "evidence_level")}


class IrritantForm(IrritantFieldsForm):
    """An irritant or a wish, as the team records it or a référent proposes it."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int, validate_choice=True,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    raised_by = StringField(_l("Soulevé par (fonction et service, sans nom)"), validators=[Length(max=200)])
    actionability = SelectField(_l("Capacité d'action"), coerce=int,
                                choices=choices(LABELS["actionability"].items()), validators=[Optional()])
    impact_citizens = BooleanField(_l("Impact sur les citoyens"))
    compliance_risk = BooleanField(_l("Risque d'erreur ou de conformité"))
    mental_load = BooleanField(_l("Charge mentale forte"))


class StatusForm(FlaskForm):
    """Move an irritant to its next status; carries the version the page was drawn from."""

    to_status = SelectField(_l("Nouveau statut"), validators=[DataRequired(_l("Choisissez un statut."))])
    version = HiddenField(validators=[DataRequired()])
    note = StringField(_l("Commentaire"), validators=[Length(max=500, message=_l("500 caractères au plus."))])


class ListFilterForm(FlaskForm):
    """The irritant list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    collectivity = SelectField(_l("Collectivité"), coerce=str, validators=[Optional()])
    collectivity_name = StringField(_l("Collectivité (nom ou partie du nom)"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Thématique"), validators=[Optional()])
    status = SelectField(_l("Statut"), validators=[Optional()])
