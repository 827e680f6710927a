"""The method of DESIGN §3 as pure functions: plain values in, figures and reasons out.

No database, no web framework, no translation: each reason is data (participants.reasons), a msgid
and its numbers, that hub.core.i18n.say words in the reader's language where it is shown. Each
figure can be traced to its inputs: the risk factor names its parts, the footprint keeps its source,
the recommendation states each condition with its numbers, and the robustness analysis names what
would change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irritants import ai_act
from participants.reasons import N_, Reason, Series

AI_FAMILIES = ("ia_generative", "ia_specialisee")
FRUGAL_FAMILIES = ("formation", "processus", "outil_classique")
REFORMULATE = "reformulate"

# Visible defaults a programme's admin may change; the report prints the version used.
DEFAULT_PARAMETERS = {
    "loaded_hourly_cost": 30.0,  # € per hour of an agent, salary and charges: a default, not a fact
    "major_threshold_hours": 100.0,
    "high_value_threshold_hours": 300.0,
    "margin": 0.25,
    "amortisation_years": 3.0,
    "min_evidence_level": 2,
    "min_actionability": 2,
    # Google (Aug. 2025): median text prompt 0.24 Wh and 0.03 g CO2e. Sources disagree ~10×
    # (EcoLogits: 0.14 Wh small, 1.15 Wh large model): the source is kept with the figure.
    "energy_wh_per_request": 0.24,
    "co2e_g_per_request": 0.03,
    "footprint_source": "Google, août 2025 : requête texte médiane 0,24 Wh, 0,03 g CO2e",
}
MARGIN_RANGE = (0.0, 0.5)  # robustness moves the margin across this range

def hours_per_year(occurrences_per_month: float, minutes_per_occurrence: float, agents_affected: int) -> float:
    """Hours lost per year: occurrences × 12 × minutes / 60 × agents."""
    return occurrences_per_month * 12 * minutes_per_occurrence / 60 * agents_affected


def cost_per_year(hours: float, loaded_hourly_cost: float) -> float:
    """What those hours cost the collectivity per year."""
    return hours * loaded_hourly_cost


def _cmp(holds: bool) -> str:
    return "≥" if holds else "<"


FLAG_NAMES = {"impact_citizens": N_("impact sur les citoyens"),
              "compliance_risk": N_("risque d'erreur ou de conformité"), "mental_load": N_("charge mentale forte")}


@dataclass(frozen=True)
class Qualification:
    """Whether an irritant is réel, majeur and actionnable, and why not."""

    reel: bool
    majeur: bool
    actionnable: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> bool:
        """All three conditions hold."""
        return self.reel and self.majeur and self.actionnable


def qualify(*, evidence_level: int, hours: float, impact_citizens: bool, compliance_risk: bool,
            mental_load: bool, actionability: int, parameters: dict = DEFAULT_PARAMETERS) -> Qualification:
    """Apply the three tests, each with a reason saying what it found."""
    min_evidence = parameters["min_evidence_level"]
    threshold = parameters["major_threshold_hours"]
    min_action = parameters["min_actionability"]
    reel = evidence_level >= min_evidence
    majeur = hours >= threshold or impact_citizens or compliance_risk or mental_load
    actionnable = actionability >= min_action
    flags = tuple(name for name, on in ((FLAG_NAMES["impact_citizens"], impact_citizens),
                                        (FLAG_NAMES["compliance_risk"], compliance_risk),
                                        (FLAG_NAMES["mental_load"], mental_load)) if on)
    figures = {"hours": hours, "cmp": _cmp(hours >= threshold), "threshold": threshold}
    reasons = (
        N_("Réel : niveau de preuve %(level)s %(cmp)s %(min)s.", level=evidence_level, cmp=_cmp(reel),
           min=min_evidence),
        N_("Majeur : %(hours)s h par an %(cmp)s %(threshold)s h, et signalé : %(flags)s.",
           flags=Series(flags, "commas"), **figures) if flags else
        N_("Majeur : %(hours)s h par an %(cmp)s %(threshold)s h.", **figures),
        N_("Actionnable : niveau %(level)s %(cmp)s %(min)s.", level=actionability, cmp=_cmp(actionnable),
           min=min_action),
    )
    return Qualification(reel=reel, majeur=majeur, actionnable=actionnable, reasons=reasons)


def net_annual_value(*, reduction: float, cost: float, recurring_cost: float, one_off_cost: float,
                     amortisation_years: float) -> float:
    """Value per year: the cost removed, less running costs and the amortised one-off cost."""
    # Spread over less than a year (or a zero typed by mistake), a one-off cost still counts once a year:
    # never a division by zero, never a one-off cost counted several times over.
    return reduction * cost - recurring_cost - one_off_cost / max(amortisation_years, 1.0)


@dataclass(frozen=True)
class IrritantInput:
    """What the method needs of an irritant."""

    occurrences_per_month: float
    minutes_per_occurrence: float
    agents_affected: int
    evidence_level: int = 0
    actionability: int = 0
    impact_citizens: bool = False
    compliance_risk: bool = False
    mental_load: bool = False


@dataclass(frozen=True)
class OptionInput:
    """What the method needs of one remedy option."""

    family: str
    label: str
    reduction: float  # share of the irritant's cost removed, 0 to 1
    one_off_cost: float = 0.0
    recurring_cost: float = 0.0
    requests_per_year: int | None = None
    personal_data: str = "none"  # none | personal | sensitive
    human_review: bool = True
    citizen_facing: bool = False
    sovereign_tool: bool = True
    ai_act_class: str | None = None  # the class the method uses: the confirmed one, else the proposed one
    ai_act_duties: tuple[str, ...] = ()  # the high-risk deployer's duties ticked (ai_act.DUTIES)
    energy_wh_per_request: float | None = None
    footprint_source: str = ""
    shared_between: int = 1  # collectivities of a mutual group sharing the one-off cost

    @property
    def is_ai(self) -> bool:
        """Generative or specialised AI."""
        return self.family in AI_FAMILIES


@dataclass(frozen=True)
class Risk:
    """A factor in (0, 1] and the named parts it multiplies."""

    factor: float
    parts: tuple[tuple[Reason, float], ...]


def option_risk(option: OptionInput) -> Risk:
    """The risk factor of an AI option from named factors; frugal options carry none."""
    if not option.is_ai:
        return Risk(1.0, ())
    parts = []
    if option.personal_data == "sensitive" and not option.sovereign_tool:
        parts.append((N_("données sensibles sur un outil non souverain"), 0.5))
    elif option.personal_data == "personal" and not option.sovereign_tool:
        parts.append((N_("données personnelles sur un outil non souverain"), 0.8))
    if option.citizen_facing and not option.human_review:
        parts.append((N_("texte destiné au public sans relecture humaine"), 0.6))
    elif not option.human_review:
        parts.append((N_("pas de relecture humaine des résultats"), 0.9))
    if option.ai_act_class == "high_risk":
        parts.append((N_("classe à haut risque de l'AI Act"), 0.8))
    factor = 1.0
    for _name, value in parts:
        factor *= value
    return Risk(factor, tuple(parts))


@dataclass(frozen=True)
class Footprint:
    """Energy and emissions per year of an AI option, with the source of the factors."""

    kwh_per_year: float
    co2e_kg_per_year: float
    source: str | Reason  # the source as typed (not translated), or the reason there is no figure


def footprint(option: OptionInput, parameters: dict = DEFAULT_PARAMETERS) -> Footprint:
    """Energy per request × requests per year; frugal options count as zero."""
    if not option.is_ai or not option.requests_per_year:
        return Footprint(0.0, 0.0, "" if not option.is_ai else N_("nombre de requêtes non renseigné"))
    requests = option.requests_per_year
    # An explicit 0 Wh is a figure (a tool that runs on nothing extra), not a missing one.
    wh = parameters["energy_wh_per_request"] if option.energy_wh_per_request is None else option.energy_wh_per_request
    source = option.footprint_source or parameters["footprint_source"]
    intensity = co2e_g_per_wh(parameters)
    # Without a carbon intensity (a default energy of 0), the per-request emissions are the only figure left.
    co2e_g = wh * requests * intensity if intensity is not None else parameters["co2e_g_per_request"] * requests
    return Footprint(wh * requests / 1000, co2e_g / 1000, source)


def co2e_g_per_wh(parameters: dict) -> float | None:
    """The carbon intensity the default factors imply (g CO2e per Wh), or None when the default energy is not > 0."""
    energy = parameters["energy_wh_per_request"]
    return parameters["co2e_g_per_request"] / energy if energy > 0 else None


def blocking_reason(option: OptionInput) -> Reason | None:
    """Why an option may not be recommended at all, or None (the AI Act concerns AI options only)."""
    return ai_act.blocking_reason(option.ai_act_class, option.ai_act_duties) if option.is_ai else None


@dataclass(frozen=True)
class OptionAssessment:
    """One option's figures: net value, risk, value adjusted for risk, footprint, blocking."""

    option: OptionInput
    net_value: float
    risk: Risk
    adjusted_value: float
    footprint: Footprint
    blocked: Reason | None


def assess_option(option: OptionInput, cost: float, parameters: dict = DEFAULT_PARAMETERS) -> OptionAssessment:
    """An option's yearly value for an irritant costing ``cost`` a year."""
    net = net_annual_value(reduction=option.reduction, cost=cost, recurring_cost=option.recurring_cost,
                           one_off_cost=option.one_off_cost / max(option.shared_between, 1),
                           amortisation_years=parameters["amortisation_years"])
    risk = option_risk(option)
    # Risk discounts what an option brings; it never makes a loss look smaller.
    adjusted = net * risk.factor if net > 0 else net
    return OptionAssessment(option, net, risk, adjusted, footprint(option, parameters), blocking_reason(option))


@dataclass(frozen=True)
class Recommendation:
    """The answer, its value, the reasons that justify it, and every option's figures."""

    family: str  # an option family, or "reformulate"
    label: str
    value: float | None
    conditions: tuple[tuple[bool, Reason], ...]
    reasons: tuple[Reason, ...]
    assessments: tuple[OptionAssessment, ...]
    hours: float
    cost: float
    qualification: Qualification
    chosen: OptionAssessment | None = None

    @property
    def is_ai(self) -> bool:
        """Whether an AI option is recommended."""
        return self.family in AI_FAMILIES

    @property
    def stake(self) -> float | None:
        """The « enjeu »: the best value any admissible option could bring, shown apart from the priority.

        Frugal first may recommend an option worth less than an AI one the irritant cannot get; the
        priority is the recommended value (``value``), never the stake (DESIGN §3).
        """
        values = [a.adjusted_value for a in self.assessments if a.blocked is None]
        return max(values) if values else None


def _tie_break(assessment: OptionAssessment) -> tuple:
    # A total order on the options themselves (label, family, then every other field): the order in
    # which options were entered never changes the answer or its reasons.
    return assessment.option.label, assessment.option.family, repr(assessment.option)


def best_option(assessments) -> OptionAssessment | None:
    """The highest risk-adjusted value; ties go to the label first in alphabetical order, then the family."""
    candidates = list(assessments)
    best = min(candidates, key=lambda a: (-a.adjusted_value, a.option.label, a.option.family), default=None)
    # Every other field decides only between options alike in value, label and family: repr costs, ties are rare.
    ties = [a for a in candidates if best is not None and a.adjusted_value == best.adjusted_value
            and a.option.label == best.option.label and a.option.family == best.option.family]
    return min(ties, key=_tie_break) if len(ties) > 1 else best


def _ai_conditions(qualification: Qualification, hours: float, parameters: dict, ai: list[OptionAssessment],
                   best_ai: OptionAssessment | None, frugal_value: float, needed: float) -> list[Reason]:
    """The reason of each of recommend's four conditions for AI, with its numbers."""
    high = parameters["high_value_threshold_hours"]
    blocked = tuple(N_("« %(option)s », %(reason)s", option=a.option.label, reason=a.blocked)
                    for a in sorted((a for a in ai if a.blocked), key=_tie_break))
    figures = {"option": best_ai.option.label, "value": best_ai.adjusted_value,
               "factor": best_ai.risk.factor} if best_ai else {}
    return [
        N_("L'irritant est qualifié (réel, majeur, actionnable).") if qualification.qualified else
        N_("L'irritant n'est pas qualifié : %(reasons)s", reasons=Series(qualification.reasons, "sentences")),
        N_("Valeur très forte : %(hours)s h par an ≥ seuil de %(threshold)s h.", hours=hours, threshold=high)
        if hours >= high else
        N_("Valeur insuffisante pour l’IA : %(hours)s h par an < seuil de %(threshold)s h.", hours=hours,
           threshold=high),
        N_("Aucune option IA admissible à comparer.") if best_ai is None else
        N_("L'option IA « %(option)s » vaut %(value)s € par an après risque (facteur %(factor)s) : une option IA "
           "n'est recommandée qu'avec une valeur positive.", digits={"factor": 2}, **figures)
        if best_ai.adjusted_value <= 0 else
        N_("L'option IA « %(option)s » vaut %(value)s € par an après risque (facteur %(factor)s), %(cmp)s %(needed)s "
           "€ = meilleure option frugale (%(frugal)s €) majorée de %(margin)s\u00a0%%.", digits={"factor": 2},
           cmp=_cmp(best_ai.adjusted_value >= needed), needed=needed, frugal=frugal_value,
           margin=parameters["margin"] * 100, **figures),
        N_("Option(s) IA écartée(s) : %(options)s.", options=Series(blocked, "semicolons")) if blocked else
        N_("Aucune option IA n'est bloquée."),
    ]


def recommend(irritant: IrritantInput, options: list[OptionInput],
              parameters: dict = DEFAULT_PARAMETERS) -> Recommendation:
    """The frugal-first rule: AI only when qualified, very valuable, clearly better and unblocked."""
    hours = hours_per_year(irritant.occurrences_per_month, irritant.minutes_per_occurrence, irritant.agents_affected)
    cost = cost_per_year(hours, parameters["loaded_hourly_cost"])
    qualification = qualify(evidence_level=irritant.evidence_level, hours=hours,
                            impact_citizens=irritant.impact_citizens, compliance_risk=irritant.compliance_risk,
                            mental_load=irritant.mental_load, actionability=irritant.actionability,
                            parameters=parameters)
    assessments = tuple(assess_option(option, cost, parameters) for option in options)
    frugal = [a for a in assessments if a.option.family in FRUGAL_FAMILIES and a.blocked is None]
    ai = [a for a in assessments if a.option.is_ai]
    best_frugal = best_option(frugal)
    frugal_value = best_frugal.adjusted_value if best_frugal else 0.0
    best_ai = best_option(a for a in ai if a.blocked is None)
    needed = (1 + parameters["margin"]) * max(frugal_value, 0.0)
    conditions: list[tuple[bool, Reason]] = []
    if ai:
        # An AI option must bring something: worth 0 € (or less) it never beats "reformulate or drop".
        holds = (qualification.qualified, hours >= parameters["high_value_threshold_hours"],
                 best_ai is not None and best_ai.adjusted_value > 0 and best_ai.adjusted_value >= needed,
                 best_ai is not None)
        # Reasons are data, not formatted text: robustness recomputes this dozens of times at no cost.
        conditions = list(zip(holds, _ai_conditions(qualification, hours, parameters, ai, best_ai, frugal_value,
                                                    needed)))
        if all(holds):
            return Recommendation(best_ai.option.family, best_ai.option.label, best_ai.adjusted_value,
                                  tuple(conditions), tuple(s for _h, s in conditions), assessments, hours, cost,
                                  qualification, best_ai)
    reasons = [reason for _holds, reason in conditions]
    if best_frugal is not None and frugal_value > 0:
        reasons.append(N_("Frugal d'abord : « %(option)s », %(value)s € par an.", option=best_frugal.option.label,
                          value=frugal_value))
        return Recommendation(best_frugal.option.family, best_frugal.option.label, frugal_value, tuple(conditions),
                              tuple(reasons), assessments, hours, cost, qualification, best_frugal)
    reasons.append(N_("Aucune option admissible n'a de valeur positive : reformuler l'irritant ou l'abandonner."))
    return Recommendation(REFORMULATE, "", None, tuple(conditions), tuple(reasons), assessments, hours, cost,
                          qualification)
