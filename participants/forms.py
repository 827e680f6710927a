"""Forms of the participants package."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from hub.core.forms import HubForm, IntegerField, choices
from hub.core.labels import LABELS, label
from participants.rules import check_collectivity
from participants.usage import parse_month

REASON_MAX = 500


class EnrolmentStatusForm(HubForm):
    """Move a candidacy along: selected, enrolled, withdrawn…"""

    enrolment_id = HiddenField(validators=[DataRequired()])
    to_status = SelectField(_l("Nouveau statut"), validators=[DataRequired(_l("Choisissez un statut."))])
    reason = TextAreaField(_l("Raison"), validators=[Length(max=REASON_MAX, message=_l("500 caractères au plus."))])
    back = HiddenField()

    @classmethod
    def for_enrolment(cls, enrolment, formdata=None) -> "EnrolmentStatusForm":
        """The form for one enrolment, offering only the statuses that may follow its own."""
        form = cls(formdata=formdata, prefix=f"e{enrolment.id}", enrolment_id=enrolment.id)
        steps = next_steps(enrolment.status)
        # An empty first choice: the menu never opens on a step (least of all « Retirée ») nobody chose.
        form.to_status.choices = choices([("", STEP_PLACEHOLDER), *steps]) if steps else []
        return form


STEP_PLACEHOLDER = _l("— Choisir le nouveau statut —")


def next_steps(status: str) -> list[tuple[str, str]]:
    """The statuses a candidacy may move to from ``status``, with their labels, in the order offered."""
    from participants.service import ENROLMENT_TRANSITIONS

    return [(step, label("enrolment", step)) for step in ENROLMENT_TRANSITIONS[status]]


class CollectivityForm(HubForm):
    """Register a collectivity; the rules are those of the CSV import (participants.rules)."""

    # The lengths of the columns; the shared rules (participants.rules) say more about each value.
    name = StringField(_l("Nom"), validators=[Length(max=200, message=_l("Le nom compte 200 caractères au plus."))],
                       render_kw={"maxlength": 200, "required": True})
    kind = SelectField(_l("Type de structure"), choices=choices(LABELS["kind"].items()))
    epci_subkind = SelectField(_l("Type d'EPCI"), choices=choices([("", "—"), *LABELS["epci_subkind"].items()]))
    departement_code = StringField(_l("Département (code)"), validators=[Length(max=20)],
                                   render_kw={"maxlength": 3, "required": True, "autocomplete": "off"})
    siren = StringField(_l("SIREN"), validators=[Length(max=20)], render_kw={"inputmode": "numeric",
                                                                            "autocomplete": "off"})
    population = StringField(_l("Population"), validators=[Length(max=20)], render_kw={"inputmode": "numeric"})
    contact_name = StringField(_l("Contact (fonction ou nom)"), validators=[Length(max=200)])
    contact_email = StringField(_l("Adresse électronique du contact"), validators=[Length(max=254)])

    def validate(self, extra_validators=None) -> bool:
        """Run the shared rules and attach their French messages to the fields."""
        valid = super().validate(extra_validators)
        self.checked = check_collectivity({name: self[name].data for name in (
            "name", "kind", "epci_subkind", "departement_code", "siren", "population", "contact_name",
            "contact_email")})
        for name, message in self.checked.errors.items():
            self[name].errors = [*self[name].errors, str(message)]
        return valid and self.checked.valid


class CollectivityFilterForm(HubForm):
    """The collectivity list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = SelectField(_l("Type de structure"), choices=choices([("", _l("Tous")), *LABELS["kind"].items()]),
                       validators=[Optional()])
    departement = StringField(_l("Département (code)"), validators=[Optional(), Length(max=3)])
    status = SelectField(_l("Statut dans le programme"), validators=[Optional()],
                         choices=choices([("", _l("Tous")), *LABELS["enrolment"].items()]))


class ImportForm(HubForm):
    """The CSV file to preview."""

    file = FileField(_l("Fichier CSV"), validators=[FileRequired(_l("Choisissez un fichier CSV."))])


class ImportConfirmForm(HubForm):
    """The previewed file, sent back to be imported."""

    # In base64, as the preview wrote it: anything else (« é », « ² ») is not a file this hub carried, and would
    # break the decoding before it says why.
    payload = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9+/=]*\Z")])


class CorrectionForm(HubForm):
    """The team's answer to a référent's correction of a validated figure."""

    decision = SelectField(choices=choices([("accept", _l("Accepter")), ("refuse", _l("Refuser"))]))


class CandidacyForm(HubForm):
    """A collectivity's candidacy to a programme, entered by the team."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int,
                                  validators=[DataRequired(_l("Choisissez la collectivité candidate."))])
    motivation = TextAreaField(_l("Motivation"), validators=[
        DataRequired(_l("Résumez la motivation de la collectivité.")), Length(max=5000)])
    # The browser's date picker sends ISO dates; a typed French date (jj/mm/aaaa) is read too.
    applied_on = DateField(_l("Date de la candidature"), default=date.today, format=["%Y-%m-%d", "%d/%m/%Y"],
                           validators=[
        InputRequired(_l("Indiquez la date de la candidature (jj/mm/aaaa)."))])


class MotivationScoreForm(HubForm):
    """The team's motivation score for a candidacy."""

    score = IntegerField(_l("Note de motivation (0 à 5)"), validators=[
        InputRequired(_l("Donnez une note de 0 à 5.")),
        NumberRange(min=0, max=5, message=_l("La note va de 0 à 5."))])


class EnrolFromPageForm(HubForm):
    """Enrol a collectivity in a programme from its own page: a candidacy, dated, with its motivation."""

    programme_id = SelectField(_l("Programme"), coerce=int,
                               validators=[DataRequired(_l("Choisissez le programme."))])
    motivation = TextAreaField(_l("Motivation"), validators=[
        DataRequired(_l("Résumez la motivation de la collectivité.")), Length(max=5000)])
    applied_on = DateField(_l("Date de la candidature"), default=date.today, format=["%Y-%m-%d", "%d/%m/%Y"],
                           validators=[InputRequired(_l("Indiquez la date de la candidature (jj/mm/aaaa)."))])


class MergeForm(HubForm):
    """Merge a duplicate record into this collectivity."""

    duplicate_id = SelectField(_l("Doublon à fusionner dans cette fiche"), coerce=int,
                               validators=[DataRequired(_l("Choisissez le doublon."))])
    confirm = BooleanField(_l("Je confirme : le doublon disparaît, tout ce qu'il possède passe à cette fiche."),
                           validators=[DataRequired(_l("Cochez la confirmation pour fusionner."))])


class InviteReferentForm(HubForm):
    """A référent to invite for an enrolled collectivity."""

    email = EmailField(_l("Adresse électronique du référent"), validators=[
        DataRequired(_l("Indiquez l'adresse électronique du référent.")),
        Email(_l("Cette adresse électronique n'est pas valide.")), Length(max=254)])
    full_name = StringField(_l("Nom et fonction"), validators=[Length(max=200)])


class SeatForm(HubForm):
    """Seats of the tool given to a collectivity."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    seats = IntegerField(_l("Droits d'accès"), validators=[
        InputRequired(_l("Indiquez le nombre de droits d'accès.")),
        NumberRange(min=1, max=100000, message=_l("Entre 1 et 100 000 droits."))])
    granted_on = DateField(_l("Date d'attribution"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        InputRequired(_l("Indiquez la date d'attribution (jj/mm/aaaa)."))])


class UsageMonthForm(HubForm):
    """A month of the tool's use in one collectivity."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    month = StringField(_l("Mois (AAAA-MM)"), validators=[DataRequired(_l("Indiquez le mois, par exemple 2024-10.")),
                                                         Length(max=20)])
    active_users = IntegerField(_l("Utilisateurs actifs"), validators=[
        InputRequired(_l("Indiquez le nombre d'utilisateurs actifs.")),
        NumberRange(min=0, max=1000000, message=_l("Un nombre entier positif."))])
    requests = IntegerField(_l("Requêtes ou conversations"), validators=[
        InputRequired(_l("Indiquez le nombre de requêtes.")),
        NumberRange(min=0, max=100000000, message=_l("Un nombre entier positif."))])

    def validate_month(self, field) -> None:
        """A month the hub can read (« 2024-10 » or « 10/2024 »)."""
        if parse_month(field.data) is None:
            raise ValidationError(_l("Mois illisible : écrivez-le AAAA-MM, par exemple 2024-10."))


class SurveyWaveForm(HubForm):
    """A new satisfaction survey wave."""

    label = StringField(_l("Intitulé de la vague"), validators=[
        DataRequired(_l("Nommez la vague, par exemple « Agents, décembre 2024 »."), ), Length(max=200)])
    audience = SelectField(_l("Public"), choices=choices([("agents", _l("Agents")), ("users", _l("Usagers"))]))
    opened_on = DateField(_l("Ouverte le"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        InputRequired(_l("Indiquez la date d'ouverture (jj/mm/aaaa)."))])


class SurveyResultForm(HubForm):
    """A collectivity's aggregated answers to a wave."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    respondents = IntegerField(_l("Répondants"), validators=[
        InputRequired(_l("Indiquez le nombre de répondants.")),
        NumberRange(min=0, max=1000000, message=_l("Un nombre entier positif."))])
    positive = IntegerField(_l("Réponses positives"), validators=[
        InputRequired(_l("Indiquez le nombre de réponses positives.")),
        NumberRange(min=0, max=1000000, message=_l("Un nombre entier positif."))])
