"""The method of DESIGN §3 as pure functions: no Flask, no database, plain values in and out.

This first pass covers annual cost, qualification, net value and the frugal-first rule;
risk factors, robustness and footprint come with the scoring issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AI_FAMILIES = ("ia_generative", "ia_specialisee")
FRUGAL_FAMILIES = ("formation", "processus", "outil_classique")

# Visible defaults a programme's admin may change; the report prints the ones used.
DEFAULT_PARAMETERS = {
    "loaded_hourly_cost": 30.0,  # € per hour of an agent, salary and charges: a default, not a fact
    "major_threshold_hours": 100.0,
    "high_value_threshold_hours": 300.0,
    "margin": 0.25,
    "amortisation_years": 3.0,
    "min_evidence_level": 2,
    "min_actionability": 2,
}


def hours_per_year(occurrences_per_month: float, minutes_per_occurrence: float, agents_affected: int) -> float:
    """Hours lost per year: occurrences × 12 × minutes / 60 × agents."""
    return occurrences_per_month * 12 * minutes_per_occurrence / 60 * agents_affected


def cost_per_year(hours: float, loaded_hourly_cost: float) -> float:
    """What those hours cost the collectivity per year."""
    return hours * loaded_hourly_cost


@dataclass(frozen=True)
class Qualification:
    """Whether an irritant is réel, majeur and actionnable, and why not."""

    reel: bool
    majeur: bool
    actionnable: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> bool:
        """All three conditions hold."""
        return self.reel and self.majeur and self.actionnable


def qualify(*, evidence_level: int, hours: float, impact_citizens: bool, compliance_risk: bool,
            mental_load: bool, actionability: int, parameters: dict = DEFAULT_PARAMETERS) -> Qualification:
    """Apply the three tests, each with a sentence saying what it found."""
    min_evidence = parameters["min_evidence_level"]
    threshold = parameters["major_threshold_hours"]
    min_action = parameters["min_actionability"]
    reel = evidence_level >= min_evidence
    flags = [name for name, on in (("impact sur les citoyens", impact_citizens),
                                   ("risque d'erreur ou de conformité", compliance_risk),
                                   ("charge mentale forte", mental_load)) if on]
    majeur = hours >= threshold or bool(flags)
    actionnable = actionability >= min_action
    reasons = [
        f"Réel : niveau de preuve {evidence_level} {'≥' if reel else '<'} {min_evidence}.",
        f"Majeur : {hours:.0f} h par an {'≥' if hours >= threshold else '<'} {threshold:.0f} h"
        + (f", et signalé : {', '.join(flags)}." if flags else "."),
        f"Actionnable : niveau {actionability} {'≥' if actionnable else '<'} {min_action}.",
    ]
    return Qualification(reel=reel, majeur=majeur, actionnable=actionnable, reasons=tuple(reasons))


def net_annual_value(*, reduction: float, cost: float, recurring_cost: float, one_off_cost: float,
                     amortisation_years: float) -> float:
    """Value per year: the cost removed, less running costs and the amortised one-off cost."""
    return reduction * cost - recurring_cost - one_off_cost / amortisation_years


@dataclass(frozen=True)
class OptionInput:
    """What the method needs of one remedy option."""

    family: str
    label: str
    reduction: float
    one_off_cost: float = 0.0
    recurring_cost: float = 0.0
    blocked: bool = False


@dataclass(frozen=True)
class Recommendation:
    """The recommended family and option, its yearly value, and the sentences that justify it."""

    family: str  # an option family, or "reformulate"
    label: str
    value: float | None
    reasons: tuple[str, ...]


def recommend(*, qualification: Qualification, hours: float, cost: float, options: list[OptionInput],
              parameters: dict = DEFAULT_PARAMETERS) -> Recommendation:
    """The frugal-first rule: AI only when qualified, very valuable, clearly better and unblocked."""
    years = parameters["amortisation_years"]

    def value(option: OptionInput) -> float:
        return net_annual_value(reduction=option.reduction, cost=cost, recurring_cost=option.recurring_cost,
                                one_off_cost=option.one_off_cost, amortisation_years=years)

    frugal = sorted((o for o in options if o.family in FRUGAL_FAMILIES), key=value, reverse=True)
    ai = sorted((o for o in options if o.family in AI_FAMILIES and not o.blocked), key=value, reverse=True)
    best_frugal = frugal[0] if frugal else None
    frugal_value = value(best_frugal) if best_frugal else 0.0
    reasons = []
    if ai:
        best_ai = ai[0]
        high = parameters["high_value_threshold_hours"]
        needed = (1 + parameters["margin"]) * max(frugal_value, 0.0)
        conditions = [
            (qualification.qualified, "l'irritant est qualifié" if qualification.qualified
             else "l'irritant n'est pas qualifié"),
            (hours >= high, f"{hours:.0f} h par an {'≥' if hours >= high else '<'} le seuil de très forte valeur "
                            f"({high:.0f} h)"),
            (value(best_ai) >= needed, f"l'option IA vaut {value(best_ai):.0f} € par an, "
                                       f"{'≥' if value(best_ai) >= needed else '<'} {needed:.0f} € "
                                       f"(la meilleure option frugale majorée de {parameters['margin']:.0%})"),
        ]
        reasons.extend(sentence[0].upper() + sentence[1:] + "." for _ok, sentence in conditions)
        if all(ok for ok, _s in conditions):
            return Recommendation(best_ai.family, best_ai.label, value(best_ai), tuple(reasons))
    if best_frugal is not None and frugal_value > 0:
        reasons.append(f"Option frugale retenue : {best_frugal.label}, {frugal_value:.0f} € par an.")
        return Recommendation(best_frugal.family, best_frugal.label, frugal_value, tuple(reasons))
    reasons.append("Aucune option n'a de valeur positive : reformuler ou abandonner.")
    return Recommendation("reformulate", "", None, tuple(reasons))
