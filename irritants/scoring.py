"""The method of DESIGN §3 as pure functions: plain values in, figures and reasons out.

No database, no web framework, no translation: each reason is data (participants.reasons), a msgid
and its numbers, that hub.core.i18n.say words in the reader's language where it is shown. Each
figure can be traced to its inputs: the risk factor names its parts, the footprint keeps its source,
the recommendation states each condition with its numbers, and the robustness analysis names what
would change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from irritants import ai_act, footprints
from irritants.method_parameters import DEFAULT_PARAMETERS, RISKS
from irritants.present_value import ValueOverTime, value_over_time
from irritants.qualification import Qualification, qualify
from participants.reasons import N_, Reason, Series

AI_FAMILIES = ("ia_generative", "ia_specialisee")
FRUGAL_FAMILIES = ("formation", "processus", "outil_classique")
REFORMULATE = "reformulate"
ESTIMATE = "estimate"  # the volume is not known yet: no answer until someone gives an estimate
ESTIMATE_REASON = N_("Volume à estimer : la fréquence, la durée ou le nombre d'agents n'est pas encore connu ; donnez "
                     "une estimation, même approximative, pour obtenir une recommandation.")

def hours_per_year(occurrences_per_month: float, minutes_per_occurrence: float, agents_affected: int) -> float:
    """Hours lost per year: occurrences × 12 × minutes / 60 × agents."""
    return occurrences_per_month * 12 * minutes_per_occurrence / 60 * agents_affected


def cost_per_year(hours: float, loaded_hourly_cost: float) -> float:
    """What those hours cost the collectivity per year."""
    return hours * loaded_hourly_cost


def one_off_share(one_off_cost: float, *, shared_between: int, shareable: bool, coordination_cost: float) -> float:
    """The one-off cost a collectivity bears: its share of a shared option plus coordination, never more than alone."""
    members = max(int(shared_between), 1)
    if not shareable or members == 1:
        return one_off_cost
    # A collectivity can always act alone: sharing is taken only when it costs less, so that more members
    # never lower an option's value (coordination would otherwise make a small share dearer than going alone).
    return min(one_off_cost, one_off_cost / members + coordination_cost)


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
    volume_unknown: bool = False  # "je ne sais pas encore": no answer until an estimate is given


@dataclass(frozen=True)
class OptionInput:
    """What the method needs of one remedy option."""

    family: str
    label: str
    reduction: float  # share of the irritant's cost removed, 0 to 1
    one_off_cost: float = 0.0
    recurring_cost: float = 0.0
    months_to_value: int = 0
    requests_per_year: int | None = None
    personal_data: str = "none"  # none | personal | sensitive
    human_review: bool = True
    citizen_facing: bool = False
    sovereign_tool: bool = True
    ai_act_class: str | None = None  # the class the method uses: the confirmed one, else the proposed one
    ai_act_duties: tuple[str, ...] = ()  # the high-risk deployer's duties ticked (ai_act.DUTIES)
    footprint_factor: str = ""  # a published factor (footprints.PUBLISHED), or the option's own figures below
    energy_wh_per_request: float | None = None
    co2e_g_per_request: float | None = None
    footprint_source: str = ""
    shared_between: int = 1  # collectivities of a confirmed mutual group that would share the option
    shareable: bool = True  # training one's own agents is not shared: its one-off cost is not split

    @property
    def is_ai(self) -> bool:
        """Generative or specialised AI."""
        return self.family in AI_FAMILIES


@dataclass(frozen=True)
class Risk:
    """A factor in (0, 1] and the named parts it multiplies: (name, share of value kept, parameter key)."""

    factor: float
    parts: tuple[tuple[Reason, float, str], ...]


def risk_keys(option: OptionInput) -> tuple[str, ...]:
    """The risk parameters that apply to an option: its delivery risk, and for AI its data and review risks."""
    keys = [f"delivery_{option.family}"]
    if option.is_ai:
        if option.personal_data == "sensitive" and not option.sovereign_tool:
            keys.append("risk_sensitive_data")
        elif option.personal_data == "personal" and not option.sovereign_tool:
            keys.append("risk_personal_data")
        if option.citizen_facing and not option.human_review:
            keys.append("risk_public_unreviewed")
        elif not option.human_review:
            keys.append("risk_no_review")
        if option.ai_act_class == "high_risk":
            keys.append("risk_high_risk_class")
    return tuple(keys)


def option_risk(option: OptionInput, parameters: dict = DEFAULT_PARAMETERS) -> Risk:
    """The risk factor of an option: the product of the programme's factors that apply to it."""
    parts = []
    for key in risk_keys(option):
        if key not in RISKS:  # an unknown family carries no named risk
            continue
        # A factor is a share of value kept: outside [0, 1] it would add value or turn it negative.
        value = min(max(float(parameters.get(key, RISKS[key][0])), 0.0), 1.0)
        parts.append((RISKS[key][1], value, key))
    factor = 1.0
    for _name, value, _key in parts:
        factor *= value
    return Risk(factor, tuple(parts))


def footprint(option: OptionInput, parameters: dict = DEFAULT_PARAMETERS) -> footprints.Footprint:
    """Energy and emissions per year of an AI option, from one coherent source; frugal options count as zero."""
    if not option.is_ai:
        return footprints.NONE
    return footprints.yearly(requests_per_year=option.requests_per_year, factor_key=option.footprint_factor,
                             wh=option.energy_wh_per_request, co2e_g=option.co2e_g_per_request,
                             source=option.footprint_source, parameters=parameters)


def blocking_reason(option: OptionInput) -> Reason | None:
    """Why an option may not be recommended at all, or None (the AI Act concerns AI options only)."""
    return ai_act.blocking_reason(option.ai_act_class, option.ai_act_duties) if option.is_ai else None


@dataclass(frozen=True)
class OptionAssessment:
    """One option's figures: net value, risk, value adjusted for risk, value over time, footprint, blocking."""

    option: OptionInput
    net_value: float
    risk: Risk
    adjusted_value: float
    footprint: footprints.Footprint
    blocked: Reason | None
    one_off_share: float = 0.0  # the one-off cost this collectivity bears (shared and coordinated, or alone)
    cost: float = 0.0  # the irritant's cost and hours per year, and the parameters: what value over time needs
    hours: float = 0.0
    parameters: dict = field(default_factory=lambda: DEFAULT_PARAMETERS, repr=False, compare=False)

    @cached_property
    def over_time(self) -> ValueOverTime:
        """Present value and payback month over the horizon; computed when read, as stored answers never need it."""
        # Lazily: a national recompute or 500 Monte Carlo draws would otherwise walk every option's months for nothing.
        return value_over_time(yearly_benefit=self.option.reduction * self.cost * self.risk.factor,
                               hours_freed_per_year=self.option.reduction * self.hours,
                               one_off_cost=self.one_off_share, recurring_cost=self.option.recurring_cost,
                               months_to_value=self.option.months_to_value,
                               horizon_months=horizon_months(self.parameters),
                               discount_rate=self.parameters["discount_rate"])


def horizon_months(parameters: dict) -> int:
    """The horizon value is counted over: the programme's choice, else its default, else the amortisation period."""
    for key in ("horizon_months", "horizon_default_months"):
        if int(parameters.get(key) or 0) > 0:
            return int(parameters[key])
    return round(max(parameters["amortisation_years"], 1.0) * 12)


def assess_option(option: OptionInput, cost: float, parameters: dict = DEFAULT_PARAMETERS,
                  hours: float = 0.0) -> OptionAssessment:
    """An option's yearly value for an irritant costing ``cost`` a year (``hours`` lost), and its value over time."""
    share = one_off_share(option.one_off_cost, shared_between=option.shared_between, shareable=option.shareable,
                          coordination_cost=parameters["coordination_cost_per_member"])
    net = net_annual_value(reduction=option.reduction, cost=cost, recurring_cost=option.recurring_cost,
                           one_off_cost=share, amortisation_years=parameters["amortisation_years"])
    risk = option_risk(option, parameters)
    # Risk discounts what an option brings; it never makes a loss look smaller.
    adjusted = net * risk.factor if net > 0 else net
    return OptionAssessment(option, net, risk, adjusted, footprint(option, parameters), blocking_reason(option),
                            share, cost, hours, parameters)


@dataclass(frozen=True)
class Recommendation:
    """The answer, its value, the reasons that justify it, and every option's figures."""

    family: str  # an option family, "reformulate", or "estimate" while the volume is unknown
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


def _risk_detail(assessment: OptionAssessment) -> Reason:
    """The figures behind "after its risks": the net value, the share its risks take off, the value kept."""
    return N_("Valeur nette %(net)s € par an ; ses risques en retirent %(off)s\u00a0%% ; reste %(value)s €.",
              net=assessment.net_value, off=round((1 - assessment.risk.factor) * 100), value=assessment.adjusted_value)


def _ai_conditions(qualification: Qualification, hours: float, parameters: dict, ai: list[OptionAssessment],
                   best_ai: OptionAssessment | None, frugal_value: float, needed: float) -> list[Reason]:
    """The sentence of each of recommend's four conditions for AI, its figures one click away."""
    high = parameters["high_value_threshold_hours"]
    blocked = tuple(N_("« %(option)s » (%(reason)s)", option=a.option.label, reason=a.blocked)
                    for a in sorted((a for a in ai if a.blocked), key=_tie_break))
    margin = round(parameters["margin"] * 100)
    if best_ai is None:
        compared = N_("Aucune option d'IA ne peut être comparée aux solutions sans IA.")
    elif best_ai.adjusted_value <= 0:
        compared = N_("L'option d'IA « %(option)s » ne rapporte rien une fois ses coûts et ses risques comptés "
                      "(%(value)s € par an) : une IA n'est recommandée que si elle rapporte.",
                      option=best_ai.option.label, value=best_ai.adjusted_value, detail=_risk_detail(best_ai))
    else:
        detail = N_("%(risk)s Il fallait au moins la meilleure solution sans IA (%(frugal)s €) plus "
                    "%(margin)s\u00a0%%, soit %(needed)s €.", risk=_risk_detail(best_ai), frugal=frugal_value,
                    margin=margin, needed=needed)
        compared = N_("L'option d'IA « %(option)s » rapporte nettement plus que la meilleure solution sans IA : "
                      "%(value)s € par an une fois ses risques comptés, contre %(frugal)s €.",
                      option=best_ai.option.label, value=best_ai.adjusted_value, frugal=frugal_value,
                      detail=detail) if best_ai.adjusted_value >= needed else \
            N_("L'option d'IA « %(option)s » ne rapporte pas assez de plus que la meilleure solution sans IA : "
               "%(value)s € par an une fois ses risques comptés, contre %(frugal)s € ; il fallait %(margin)s\u00a0%% "
               "de plus.", option=best_ai.option.label, value=best_ai.adjusted_value, frugal=frugal_value,
               margin=margin, detail=detail)
    return [
        N_("Le besoin est qualifié : avéré, majeur, et la collectivité peut agir.") if qualification.qualified else
        N_("Le besoin n'est pas encore qualifié. %(reasons)s", reasons=Series(qualification.reasons, "sentences")),
        N_("Le gain possible est très fort : %(hours)s heures perdues par an, au moins les %(threshold)s heures à "
           "partir desquelles une IA est envisagée.", hours=hours, threshold=high)
        if hours >= high else
        N_("Le gain possible ne justifie pas une IA : %(hours)s heures perdues par an, moins que les %(threshold)s "
           "heures à partir desquelles une IA est envisagée.", hours=hours, threshold=high),
        compared,
        N_("La réglementation écarte : %(options)s.", options=Series(blocked, "semicolons")) if blocked else
        N_("Aucune option d'IA n'est écartée par la réglementation."),
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
    assessments = tuple(assess_option(option, cost, parameters, hours) for option in options)
    if irritant.volume_unknown:
        # A frequency nobody knows is not 0: scoring it would answer "reformulate" for lack of an estimate.
        return Recommendation(ESTIMATE, "", None, (), (ESTIMATE_REASON,), assessments, hours, cost, qualification)
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
        # Reasons are data, not formatted text: robustness recomputes this hundreds of times at little cost.
        conditions = list(zip(holds, _ai_conditions(qualification, hours, parameters, ai, best_ai, frugal_value,
                                                    needed)))
        if all(holds):
            return Recommendation(best_ai.option.family, best_ai.option.label, best_ai.adjusted_value,
                                  tuple(conditions), tuple(s for _h, s in conditions), assessments, hours, cost,
                                  qualification, best_ai)
    reasons = [reason for _holds, reason in conditions]
    if best_frugal is not None and frugal_value > 0:
        reasons.append(N_("Frugal d'abord : la solution sans IA « %(option)s » rapporte %(value)s € par an une fois "
                          "ses risques comptés.", option=best_frugal.option.label, value=frugal_value,
                          detail=_risk_detail(best_frugal)))
        return Recommendation(best_frugal.option.family, best_frugal.option.label, frugal_value, tuple(conditions),
                              tuple(reasons), assessments, hours, cost, qualification, best_frugal)
    reasons.append(N_("Aucune option ne rapporte une fois ses coûts et ses risques comptés : reformuler l'irritant "
                      "ou l'abandonner."))
    return Recommendation(REFORMULATE, "", None, tuple(conditions), tuple(reasons), assessments, hours, cost,
                          qualification)
