"""Robustness of a recommendation: move each input and parameter ±20 % one at a time (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from irritants.scoring import DEFAULT_PARAMETERS, MARGIN_RANGE, IrritantInput, OptionInput, recommend
from participants.reasons import N_, Reason, Series

VARIATION = 0.20
IRRITANT_INPUTS = ("occurrences_per_month", "minutes_per_occurrence", "agents_affected")
OPTION_INPUTS = ("reduction", "one_off_cost", "recurring_cost")
PARAMETERS = ("loaded_hourly_cost", "major_threshold_hours", "high_value_threshold_hours", "amortisation_years")


NAMES = {"occurrences_per_month": N_("fréquence"), "minutes_per_occurrence": N_("minutes par occurrence"),
         "agents_affected": N_("agents concernés"), "reduction": N_("réduction attendue"),
         "one_off_cost": N_("coût ponctuel"), "recurring_cost": N_("coût annuel"),
         "loaded_hourly_cost": N_("coût horaire chargé"), "major_threshold_hours": N_("seuil « majeur »"),
         "high_value_threshold_hours": N_("seuil de très forte valeur"),
         "amortisation_years": N_("durée d'amortissement")}


@dataclass(frozen=True)
class Robustness:
    """Whether the recommended family survives every ±20 % move, and which moves change it."""

    family: str
    flips: tuple[Reason, ...]

    @property
    def robust(self) -> bool:
        """No single move changes the recommended family."""
        return not self.flips

    @property
    def reason(self) -> Reason:
        """The verdict as the steering committee reads it."""
        if self.robust:
            return N_("Robuste : aucune variation de ±%(percent)s\u00a0%% d'une donnée ou d'un paramètre ne change la "
                      "recommandation.", percent=VARIATION * 100)
        return N_("Fragile : la recommandation change si %(moves)s.", moves=Series(self.flips, "commas"))


def _signed(name: Reason, sign: int) -> Reason:
    percent = VARIATION * 100
    return (N_("%(name)s +%(percent)s\u00a0%%", name=name, percent=percent) if sign > 0
            else N_("%(name)s −%(percent)s\u00a0%%", name=name, percent=percent))


def robustness(irritant: IrritantInput, options: list[OptionInput],
               parameters: dict = DEFAULT_PARAMETERS) -> Robustness:
    """Recompute the recommendation under each single move and name those that change its family."""
    base = recommend(irritant, options, parameters).family
    flips: list[Reason] = []

    def changes(irr: IrritantInput, opts: list[OptionInput], params: dict) -> bool:
        return recommend(irr, opts, params).family != base

    for sign in (+1, -1):
        factor = 1 + sign * VARIATION
        for name in IRRITANT_INPUTS:
            moved = replace(irritant, **{name: getattr(irritant, name) * factor})
            if changes(moved, options, parameters):
                flips.append(_signed(NAMES[name], sign))
        for index, option in enumerate(options):
            for name in OPTION_INPUTS:
                value = getattr(option, name) * factor
                if name == "reduction":
                    value = min(value, 1.0)
                moved = [*options[:index], replace(option, **{name: value}), *options[index + 1:]]
                if changes(irritant, moved, parameters):
                    flips.append(N_("%(move)s pour « %(option)s »", move=_signed(NAMES[name], sign),
                                    option=option.label))
        for name in PARAMETERS:
            if changes(irritant, options, {**parameters, name: parameters[name] * factor}):
                flips.append(_signed(NAMES[name], sign))
    for margin in MARGIN_RANGE:
        if changes(irritant, options, {**parameters, "margin": margin}):
            flips.append(N_("marge exigée de l'IA à %(percent)s\u00a0%%", percent=margin * 100))
    return Robustness(base, tuple(flips))
