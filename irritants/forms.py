"""Forms of the irritants package."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from hub.core.forms import DecimalCommaField, HubForm, IntegerField, choices
from hub.core.labels import LABELS
from irritants import ai_act
from irritants.models import AI_FAMILIES, FAMILIES
from workshops.service_names import fold


def _above(low, message):
    def check(_form, field) -> None:
        if field.data is not None and not field.data > low:
            raise ValidationError(message)
    return check


VOLUME_FIELDS = ("occurrences_per_month", "minutes_per_occurrence", "agents_affected")


def _required(form, field) -> None:
    """Required, unless the form says explicitly that the volume is not known yet (then its default stands)."""
    if field.raw_data and str(field.raw_data[0]).strip():
        return
    field.errors[:] = []  # an empty number's parse error says less than the sentences below
    unknown = getattr(form, "volume_unknown", None)
    if unknown is not None and unknown.data and field.name in VOLUME_FIELDS:
        field.data = field.default
        raise StopValidation()
    if unknown is not None and field.name in VOLUME_FIELDS:
        raise StopValidation(_l("Donnez une estimation, même approximative, ou cochez « Je ne sais pas encore » : "
                                "l'irritant attendra une estimation au lieu d'être compté pour 0."))
    raise StopValidation(_l("Ce champ est obligatoire."))


def number_field(label, low, high, message, integer=False, default=0, strict=False):
    """A number between low and high (``strict``: above low, as a divisor or a factor must be)."""
    extra = {} if integer else {"places": None}  # « 2,5 » stays « 2.5 », never « 2.50 »
    field = IntegerField if integer else DecimalCommaField
    bounds = [NumberRange(max=high, message=message), _above(low, message)] if strict else [
        NumberRange(min=low, max=high, message=message)]
    return field(label, default=default, **extra, validators=[_required, *bounds])


class IrritantFieldsForm(HubForm):
    """What describes an irritant or a wish, shared by the full form and the on-site capture."""

    kind = SelectField(_l("Nature"), choices=choices([("irritant", _l("Irritant")),
                                                      ("souhait", _l("Souhait d'évolution"))]))
    title = StringField(_l("Intitulé"), validators=[
        DataRequired(_l("Donnez un intitulé court à l'irritant.")),
        Length(max=200, message=_l("200 caractères au plus.")),
    ])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    wish = TextAreaField(_l("Souhait d'évolution"), validators=[Length(max=2000)])
    # One of the programme's list (the view offers it): typed freely, one service became several filters.
    service = SelectField(_l("Service"), validate_choice=False,
                          validators=[DataRequired(_l("Indiquez le service concerné."))])
    theme = SelectField(_l("Thématique"), validators=[DataRequired(_l("Choisissez une thématique."))])
    volume_unknown = BooleanField(_l("Je ne sais pas encore combien de fois ni combien de temps : à estimer plus tard"))
    # Per agent: the cost multiplies it by the agents concerned, so a team-wide count would be counted twice.
    occurrences_per_month = number_field(_l("Occurrences par mois et par agent"), 0, 100000,
                                    _l("Entre 0 et 100 000 occurrences par mois et par agent."))
    minutes_per_occurrence = number_field(_l("Minutes perdues à chaque fois"), 0, 1440,
                                     _l("Entre 0 et 1 440 minutes (une journée)."))
    agents_affected = number_field(_l("Agents concernés"), 1, 100000, _l("Au moins un agent, au plus 100 000."),
                              integer=True, default=1)
    # Left empty (a référent's form, a capture in a hurry): the model's default, level 0, rather than None.
    evidence_level = SelectField(_l("Niveau de preuve"), coerce=int, default=0,
                                 choices=choices(LABELS["evidence"].items()), validators=[Optional()])

    offered_services: list[str] | None = None

    def offer_services(self, names: list[str], first: list[str] = ()) -> None:
        """The programme's services as the menu's choices; ``first`` (the workshop's) in a group of their own."""
        self.offered_services = list(names)
        leading = [name for name in names if fold(name) in {fold(f) for f in first}]
        if not leading:
            self.service.choices = choices((name, name) for name in names)
            return
        rest = [name for name in names if name not in leading]
        self.service.choices = [SelectChoice(name, name, optgroup=str(_l("Services visités pendant l'atelier")))
                                for name in leading] + [
            SelectChoice(name, name, optgroup=str(_l("Autres services du programme"))) for name in rest]

    def validate_service(self, field) -> None:
        """A service of the list; a spelling that folds to one (« accueil » for « Accueil ») is read as it."""
        by_fold = {fold(name): name for name in self.offered_services or ()}
        found = by_fold.get(fold(field.data or ""))
        if found is None:
            # Shown chosen as typed (a queued capture, an older link): nothing typed is lost, and the message says why.
            field.choices = [*field.choices, SelectChoice(field.data, _l("%(typed)s (hors de la liste)",
                                                                         typed=field.data))]
            raise StopValidation(_l("« %(typed)s » n'est pas dans la liste des services du programme : choisissez-en "
                                    "un. L'équipe projet peut l'y ajouter depuis la page « Services ».",
                                    typed=field.data))
        field.data = found

    def values(self) -> dict:
        """The irritant's fields as the model takes them."""
        return {name: (float(self[name].data) if name in ("occurrences_per_month", "minutes_per_occurrence")
                       else self[name].data)
                for name in ("kind", "title", "description", "wish", "service", "theme", "occurrences_per_month",
                             "minutes_per_occurrence", "agents_affected", "evidence_level", "volume_unknown")}


class IrritantForm(IrritantFieldsForm):
    """An irritant or a wish, as the team records it or a référent proposes it."""

    collectivity_id = SelectField(_l("Collectivité"), coerce=int, validate_choice=True,
                                  validators=[DataRequired(_l("Choisissez la collectivité."))])
    raised_by = StringField(_l("Soulevé par (fonction et service, sans nom)"), validators=[Length(max=200)])
    actionability = SelectField(_l("Capacité d'action"), coerce=int, default=0,
                                choices=choices(LABELS["actionability"].items()), validators=[Optional()])
    impact_citizens = BooleanField(_l("Impact sur les citoyens"))
    compliance_risk = BooleanField(_l("Risque d'erreur ou de conformité"))
    mental_load = BooleanField(_l("Charge mentale forte"))


class StatusForm(HubForm):
    """Move an irritant to its next status; carries the version the page was drawn from."""

    to_status = SelectField(_l("Nouveau statut"), validators=[DataRequired(_l("Choisissez un statut."))])
    version = HiddenField(validators=[DataRequired()])
    note = StringField(_l("Commentaire"), validators=[Length(max=500, message=_l("500 caractères au plus."))])


class ListFilterForm(HubForm):
    """The irritant list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    collectivity = SelectField(_l("Collectivité"), coerce=str, validators=[Optional()])
    collectivity_name = StringField(_l("Collectivité (nom ou partie du nom)"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Thématique"), validators=[Optional()])
    status = SelectField(_l("Statut"), validators=[Optional()])


class QualificationForm(HubForm):
    """The inputs of the qualification (DESIGN §3), drawn from a known version of the irritant."""

    version = HiddenField(validators=[DataRequired()])
    evidence_level = SelectField(_l("Niveau de preuve (réel)"), coerce=int, choices=choices(LABELS["evidence"].items()))
    volume_unknown = BooleanField(_l("Je ne sais pas encore combien de fois ni combien de temps : à estimer plus tard"))
    # Per agent: the cost multiplies it by the agents concerned, so a team-wide count would be counted twice.
    occurrences_per_month = number_field(_l("Occurrences par mois et par agent"), 0, 100000,
                                    _l("Entre 0 et 100 000 occurrences par mois et par agent."))
    minutes_per_occurrence = number_field(_l("Minutes perdues à chaque fois"), 0, 1440,
                                     _l("Entre 0 et 1 440 minutes (une journée)."))
    agents_affected = number_field(_l("Agents concernés"), 1, 100000, _l("Au moins un agent, au plus 100 000."),
                              integer=True, default=1)
    actionability = SelectField(_l("Capacité d'action (actionnable)"), coerce=int,
                                choices=choices(LABELS["actionability"].items()))
    impact_citizens = BooleanField(_l("Impact sur les citoyens"))
    compliance_risk = BooleanField(_l("Risque d'erreur ou de conformité"))
    mental_load = BooleanField(_l("Charge mentale forte"))

    def values(self) -> dict:
        """The fields as the irritant takes them."""
        data = {name: self[name].data for name in ("evidence_level", "agents_affected", "actionability",
                                                   "impact_citizens", "compliance_risk", "mental_load",
                                                   "volume_unknown")}
        data["occurrences_per_month"] = float(self.occurrences_per_month.data)
        data["minutes_per_occurrence"] = float(self.minutes_per_occurrence.data)
        return data


AI_ACT_USE_LABELS = [
    ("", _l("— usage de l'IA (options IA) —")),
    ("internal_assistance", _l("Aide interne : rédaction, résumé, recherche")),
    ("published_text", _l("Texte publié pour informer le public")),
    ("public_chatbot", _l("Agent conversationnel face au public")),
    ("narrow_procedural_task", _l("Tâche procédurale étroite (art. 6, par. 3 a)")),
    ("improve_human_work", _l("Amélioration d'un travail humain achevé (art. 6, par. 3 b)")),
    ("decision_patterns", _l("Détection de schémas de décision, sans remplacer l'humain (art. 6, par. 3 c)")),
    ("preparatory_task", _l("Tâche préparatoire à une évaluation humaine (art. 6, par. 3 d)")),
    ("remote_biometric_id", _l("Identification biométrique à distance (annexe III, point 1)")),
    ("critical_infrastructure", _l("Sécurité de l'eau, du chauffage ou de la circulation (annexe III, point 2)")),
    ("education_assessment", _l("Admission ou évaluation en formation (annexe III, point 3)")),
    ("hr_decisions", _l("Décisions sur les agents : recrutement, promotion, tâches (annexe III, point 4)")),
    ("benefits_eligibility", _l("Éligibilité à des aides ou services publics (annexe III, point 5 a)")),
    ("emergency_triage", _l("Tri des appels d'urgence (annexe III, point 5 d)")),
    ("law_enforcement", _l("Police municipale, usage répressif (annexe III, point 6)")),
    ("democratic_processes", _l("Influence sur une élection ou un référendum (annexe III, point 8 b)")),
    ("social_scoring", _l("Notation sociale des personnes (interdit)")),
    ("workplace_emotion", _l("Reconnaissance des émotions au travail (interdit)")),
    ("biometric_categorisation", _l("Catégorisation biométrique de traits sensibles (interdit)")),
    ("predictive_policing", _l("Prédiction d'infractions par profilage (interdit)")),
    ("facial_scraping", _l("Moissonnage d'images faciales (interdit)")),
    ("other", _l("Autre usage, à classer")),
]
FOOTPRINT_FACTOR_LABELS = [
    ("", _l("Chiffres propres à l'option ci-dessous, sinon chiffres par défaut du programme")),
    ("google_2025_median", _l("Google, août 2025 : requête texte médiane (0,24 Wh ; 0,03 g CO2e)")),
    ("mistral_lca_2025", _l("Mistral AI, analyse de cycle de vie 2025 : 1,14 g CO2e par réponse")),
    ("ecologits_small", _l("EcoLogits : petit modèle, 400 jetons (≈ 0,14 Wh)")),
    ("ecologits_large", _l("EcoLogits : grand modèle, 400 jetons (≈ 1,15 Wh)")),
]
CONFIRMED_CLASS_LABELS = [
    ("", _l("— pas encore confirmée —")), ("proposed", _l("Je confirme la classe proposée par le hub")),
    ("prohibited", _l("interdit")), ("high_risk", _l("haut risque")), ("limited", _l("risque limité")),
    ("minimal", _l("risque minimal")),
]


class OptionForm(HubForm):
    """A remedy option, AI or frugal, with what the method needs of it."""

    family = SelectField(_l("Famille"), choices=choices((f, LABELS["family"][f]) for f in FAMILIES))
    label = StringField(_l("Intitulé de l'option"), validators=[
        DataRequired(_l("Nommez l'option.")), Length(max=200)])
    reduction_pct = number_field(_l("Réduction attendue du coût de l'irritant (%)"), 0, 100,
                            _l("Un pourcentage entre 0 et 100."))
    one_off_cost = number_field(_l("Coût ponctuel (€)"), 0, 10_000_000, _l("Un montant positif."))
    recurring_cost = number_field(_l("Coût annuel (€ par an)"), 0, 10_000_000, _l("Un montant positif."))
    months_to_value = number_field(_l("Mois avant les premiers effets"), 0, 60, _l("Entre 0 et 60 mois."), integer=True)
    requests_per_year = IntegerField(_l("Requêtes par an (options IA)"), validators=[
        Optional(), NumberRange(min=0, max=100_000_000, message=_l("Un nombre positif."))])
    personal_data = SelectField(_l("Données personnelles"), choices=choices([
        ("none", _l("Aucune")), ("personal", _l("Personnelles")), ("sensitive", _l("Sensibles"))]))
    human_review = BooleanField(_l("Un agent relit les résultats"), default=True)
    citizen_facing = BooleanField(_l("Résultats destinés au public"))
    sovereign_tool = BooleanField(_l("Outil souverain (hébergement et contrôle en France ou dans l'UE)"), default=True)
    ai_act_use = SelectField(_l("Usage (pour la classe AI Act)"), choices=choices(AI_ACT_USE_LABELS))
    profiling = BooleanField(_l("Profilage de personnes"))
    # Not posted means not confirmed: the choice is checked below, with a French message.
    confirmed_class = SelectField(_l("Classe AI Act confirmée par l'équipe"), choices=choices(CONFIRMED_CLASS_LABELS),
                                  default="", validate_choice=False)
    # The high-risk deployer's duties (irritants.ai_act.DUTIES): all ticked, or the option is not recommended.
    duty_fria = BooleanField(_l("Analyse d'impact sur les droits fondamentaux réalisée (art. 27)"))
    duty_oversight = BooleanField(_l("Contrôle humain confié à des personnes compétentes (art. 26, par. 2)"))
    duty_logs = BooleanField(_l("Journaux conservés au moins six mois (art. 26, par. 6)"))
    duty_inform_workers = BooleanField(_l("Agents et représentants du personnel informés (art. 26, par. 7)"))
    duty_dpia = BooleanField(_l("Analyse d'impact relative à la protection des données (RGPD art. 35)"))
    shareable = BooleanField(_l("Partageable : dans un groupe de collectivités, son coût ponctuel se divise"),
                             default=True)
    footprint_factor = SelectField(_l("Empreinte par requête"), choices=choices(FOOTPRINT_FACTOR_LABELS), default="")
    energy_wh_per_request = DecimalCommaField(_l("Énergie par requête (Wh), si elle est connue"), places=None,
                                              validators=[Optional(), NumberRange(
                                                  min=0, max=1000, message=_l("Entre 0 et 1 000 Wh."))])
    co2e_g_per_request = DecimalCommaField(_l("Émissions par requête (g CO2e), si elles sont connues"), places=None,
                                           validators=[Optional(), NumberRange(
                                               min=0, max=1000, message=_l("Entre 0 et 1 000 g CO2e."))])
    footprint_source = StringField(_l("Source de ces chiffres"), validators=[Length(max=300)])

    def validate_footprint_factor(self, field) -> None:
        """A published factor gives both figures: typing one's own beside it would mix two sources."""
        if field.data and (self.energy_wh_per_request.data is not None or self.co2e_g_per_request.data is not None):
            raise ValidationError(_l("Choisissez des chiffres publiés ou saisissez les vôtres, pas les deux : "
                                     "l'énergie et les émissions doivent venir d'une même source."))

    def validate_ai_act_use(self, field) -> None:
        """An AI option says its use: the hub derives its AI Act class from it."""
        if self.family.data in AI_FAMILIES and not field.data:
            raise ValidationError(_l("Pour une option IA, indiquez son usage : le hub en déduit la classe AI Act."))
        if self.family.data not in AI_FAMILIES and field.data:
            raise ValidationError(_l("L'usage AI Act ne concerne que les options IA : laissez-le vide."))

    def validate_confirmed_class(self, field) -> None:
        """A class is confirmed for an AI option only, and « à classer » needs a class chosen, not confirmed."""
        if (field.data or "") not in {value for value, _label in CONFIRMED_CLASS_LABELS}:
            raise ValidationError(_l("Choisissez une classe AI Act de la liste."))
        if field.data and self.family.data not in AI_FAMILIES:
            raise ValidationError(_l("La classe AI Act ne se confirme que pour une option IA."))
        if field.data == "proposed" and self.ai_act_use.data == "other":
            raise ValidationError(_l("Un usage à classer n'a pas de classe proposée : choisissez-en une."))

    def duties(self) -> list[str]:
        """The deployer's duties ticked, as stored on the option."""
        return [name for name in DUTY_NAMES if self[f"duty_{name}"].data]


DUTY_NAMES = tuple(ai_act.DUTIES)


class CommentForm(HubForm):
    """A comment on an irritant, by the team or the collectivity's référent."""

    body = TextAreaField(_l("Commentaire"), validators=[
        DataRequired(_l("Écrivez votre commentaire.")), Length(max=2000, message=_l("2 000 caractères au plus."))])


class DecisionForm(HubForm):
    """The steering committee's decision, as the project team records it."""

    # Required, so that the menu opens on « — Choisir — » when no kind is suggested, never on the first kind.
    kind = SelectField(_l("Décision"), choices=choices(LABELS["decision"].items()),
                       validators=[DataRequired(_l("Choisissez la décision du comité."))])
    decided_on = DateField(_l("Date du comité de pilotage"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        InputRequired(_l("Indiquez la date du comité (jj/mm/aaaa)."))])
    rationale = TextAreaField(_l("Justification"), validators=[
        DataRequired(_l("Résumez la justification de la décision.")), Length(max=5000)])
    owner = StringField(_l("Responsable"), validators=[
        DataRequired(_l("Nommez qui porte la décision (fonction ou service).")), Length(max=200)])


class DecisionFilterForm(HubForm):
    """The decision log's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = SelectField(_l("Décision"), choices=choices([("", _l("Toutes")), *LABELS["decision"].items()]),
                       validators=[Optional()])
    collectivity = SelectField(_l("Collectivité"), coerce=str, validators=[Optional()])


class BoardFilterForm(HubForm):
    """A board's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    theme = SelectField(_l("Thématique"), validators=[Optional()])
    service = SelectField(_l("Service"), validators=[Optional()])


class ProposeGroupsForm(HubForm):
    """Ask the hub for mutual groups at a similarity threshold."""

    threshold = DecimalCommaField(_l("Seuil de similarité (0 à 1)"), places=None, default=0.5, validators=[
        InputRequired(_l("Indiquez un seuil entre 0 et 1.")),
        # Decimal bounds: the field gives a Decimal, and Decimal("0.05") < 0.05 as a float (refused as typed).
        NumberRange(min=Decimal("0.05"), max=1, message=_l("Un seuil entre 0,05 et 1."))])


class GroupStatusForm(HubForm):
    """Confirm or dismiss a proposed group."""

    status = SelectField(_l("Décision de l'équipe"), choices=choices([
        ("confirmed", _l("Confirmer le groupe")), ("dismissed", _l("Écarter le groupe"))]))


# A measure is any indicator (days, euros, requests): wide bounds, but such that the impact page's sums,
# differences and percentages stay finite floats.
MEASURE_RANGE = NumberRange(min=-1_000_000_000, max=1_000_000_000, message=_l(
    "Saisissez un nombre entre -1 000 000 000 et 1 000 000 000."))


class MeasureForm(HubForm):
    """A metric that tells whether a decided action worked, with its baseline."""

    target = SelectField(_l("Décision et irritant mesurés"), coerce=int,
                         validators=[DataRequired(_l("Choisissez la décision et l'irritant."))])
    metric = StringField(_l("Indicateur"), validators=[
        DataRequired(_l("Nommez l'indicateur, par exemple « délai moyen de réponse aux avis ».")),
        Length(max=200, message=_l("200 caractères au plus."))])
    unit = StringField(_l("Unité"), validators=[DataRequired(_l("Indiquez l'unité, par exemple « jours ».")),
                                                Length(max=40, message=_l("40 caractères au plus."))])
    baseline_value = DecimalCommaField(_l("Valeur de départ"), places=None, validators=[
        InputRequired(_l("Indiquez la valeur de départ.")), MEASURE_RANGE])
    baseline_on = DateField(_l("Date de la valeur de départ"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        InputRequired(_l("Indiquez la date de la valeur de départ (jj/mm/aaaa)."))])


class MeasureValueForm(HubForm):
    """A later value of a measure."""

    value = DecimalCommaField(_l("Valeur"), places=None, validators=[InputRequired(_l("Indiquez la valeur.")),
                                                                     MEASURE_RANGE])
    measured_on = DateField(_l("Date"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        InputRequired(_l("Indiquez la date (jj/mm/aaaa)."))])
    nature = SelectField(_l("Nature du chiffre"), choices=choices([("measured", _l("Mesuré")),
                                                                   ("self_reported", _l("Déclaré"))]))
    hours_saved = DecimalCommaField(_l("Heures économisées par an (si connues)"), places=None,
                                    validators=[Optional(), NumberRange(min=0, max=10_000_000, message=_l(
                                        "Saisissez un nombre d'heures entre 0 et 10 000 000."))])


class CaptureForm(IrritantFieldsForm):
    """One irritant or wish captured on site; the browser names it with a key made before sending."""

    client_key = HiddenField(validators=[
        DataRequired(_l("Clé de saisie manquante : rechargez la page.")),
        Regexp(r"^[A-Za-z0-9_-]{8,64}$", message=_l("Clé de saisie invalide : rechargez la page."))])
