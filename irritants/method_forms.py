"""The form of the method's parameters: every default of irritants.method_parameters, bounded, with a French message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from hub.core.forms import HubForm
from irritants.forms import number_field
from irritants.method_parameters import DEFAULT_PARAMETERS, RISKS

TEXT_PARAMETERS = ("footprint_source", "grid_source", "discount_source")
INTEGER_PARAMETERS = ("min_evidence_level", "min_actionability", "horizon_months")


class ParametersForm(HubForm):
    """A new version of the programme's scoring parameters."""

    loaded_hourly_cost = number_field(_l("Coût horaire chargé d'un agent (€)"), 1, 1000, _l("Entre 1 et 1 000 €."))
    major_threshold_hours = number_field(_l("Heures perdues par an à partir desquelles un problème est majeur"), 0,
                                    100000, _l("Un nombre d'heures."))
    high_value_threshold_hours = number_field(_l("Heures perdues par an à partir desquelles une IA est envisagée"), 0,
                                         100000, _l("Un nombre d'heures."))
    margin = number_field(_l("Avance exigée de l'IA sur la meilleure solution sans IA (0,25 = 25 %)"), 0, 1,
                     _l("Une part entre 0 et 1."))
    amortisation_years = number_field(_l("Durée d'amortissement (années)"), 1, 20, _l("Entre 1 et 20 ans."))
    min_evidence_level = number_field(_l("Niveau de preuve minimal pour un besoin avéré (0 à 3)"), 0, 3,
                                 _l("Entre 0 et 3."), integer=True)
    min_actionability = number_field(_l("Capacité d'action minimale (0 à 3)"), 0, 3, _l("Entre 0 et 3."), integer=True)
    energy_wh_per_request = number_field(_l("Énergie par requête par défaut (Wh)"), 0, 1000,
                                    _l("Entre 0 et 1 000 Wh."))
    co2e_g_per_request = number_field(_l("Émissions par requête par défaut (g CO2e)"), 0, 1000,
                                 _l("Entre 0 et 1 000 g CO2e."))
    footprint_source = StringField(_l("Source de l'empreinte par défaut"), validators=[
        DataRequired(_l("Citez la source des chiffres d'empreinte.")), Length(max=300)])
    grid_co2e_g_per_wh = number_field(_l("Intensité carbone de l'électricité (g CO2e par Wh)"), 0, 2,
                                 _l("Entre 0 et 2 g CO2e par Wh."))
    grid_source = StringField(_l("Source de l'intensité carbone"), validators=[
        DataRequired(_l("Citez la source de l'intensité carbone.")), Length(max=300)])
    discount_rate = number_field(_l("Taux d'actualisation par an (0,032 = 3,2 %)"), 0, 0.2,
                            _l("Une part entre 0 et 0,2."))
    discount_source = StringField(_l("Source du taux d'actualisation"), validators=[
        DataRequired(_l("Citez la source du taux d'actualisation.")), Length(max=300)])
    horizon_months = number_field(_l("Horizon de calcul (mois ; 0 = mois restants du programme + amortissement)"),
                                  0, 240, _l("Entre 0 et 240 mois."), integer=True)
    coordination_cost_per_member = number_field(_l("Coût de coordination d'une option partagée, par collectivité (€)"),
                                           0, 1_000_000, _l("Un montant entre 0 et 1 000 000 €."))
    note = StringField(_l("Pourquoi ce changement"), validators=[
        DataRequired(_l("Dites en une phrase pourquoi les paramètres changent.")), Length(max=500)])

    def validate_risk_sensitive_data(self, field) -> None:
        """Sensitive data never count as less risky than personal data (a smaller factor removes more value)."""
        if field.data is not None and self.risk_personal_data.data is not None and \
                field.data > self.risk_personal_data.data:
            raise ValidationError(_l("Des données sensibles ne peuvent pas être jugées moins risquées que des données "
                                     "personnelles : choisissez une part au plus égale à celle des données "
                                     "personnelles."))

    def validate_risk_public_unreviewed(self, field) -> None:
        """Public text without review never counts as less risky than unreviewed results kept inside."""
        if field.data is not None and self.risk_no_review.data is not None and field.data > self.risk_no_review.data:
            raise ValidationError(_l("Un texte publié sans relecture ne peut pas être jugé moins risqué que des "
                                     "résultats internes non relus : choisissez une part au plus égale."))

    def values(self) -> dict:
        """Every parameter as the method takes it: numbers as numbers, sources as typed."""
        return {name: (self[name].data.strip() if name in TEXT_PARAMETERS else
                       int(self[name].data) if name in INTEGER_PARAMETERS else float(self[name].data))
                for name in DEFAULT_PARAMETERS}


# One field per risk factor: a share of value kept, above 0 (a factor of 0 would erase any value) and at most 1.
for _key, (_default, _name, _why) in RISKS.items():
    setattr(ParametersForm, _key, number_field(_l(_name.msgid), 0, 1, _l("Une part entre 0 (exclu) et 1."),
                                               strict=True))
RISK_FIELDS = tuple(RISKS)
