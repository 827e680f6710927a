"""Robustness of a recommendation: move each input and parameter ±20 % one at a time (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from irritants.scoring import DEFAULT_PARAMETERS, MARGIN_RANGE, IrritantInput, OptionInput, recommend

VARIATION = 0.20
IRRITANT_INPUTS = (("occurrences_per_month", "fréquence"), ("minutes_per_occurrence", "minutes par occurrence"),
                   ("agents_affected", "agents concernés"))
OPTION_INPUTS = (("reduction", "réduction attendue"), ("one_off_cost", "coût ponctuel"),
                 ("recurring_cost", "coût annuel"))
PARAMETERS = (("loaded_hourly_cost", "coût horaire chargé"), ("major_threshold_hours", "seuil « majeur »"),
              ("high_value_threshold_hours", "seuil de très forte valeur"),
              ("amortisation_years", "durée d'amortissement"))


@dataclass(frozen=True)
class Robustness:
    """Whether the recommended family survives every ±20 % move, and which moves change it."""

    family: str
    flips: tuple[str, ...]

    @property
    def robust(self) -> bool:
        """No single move changes the recommended family."""
        return not self.flips

    @property
    def sentence(self) -> str:
        """The verdict as the steering committee reads it."""
        if self.robust:
            return "Robuste : aucune variation de ±20 % d'une donnée ou d'un paramètre ne change la recommandation."
        return "Fragile : la recommandation change si " + ", ".join(self.flips) + "."


def _signed(label: str, sign: int) -> str:
    return f"{label} {'+' if sign > 0 else '−'}{VARIATION:.0%}".replace("%", "\u00a0%")


def robustness(irritant: IrritantInput, options: list[OptionInput],
               parameters: dict = DEFAULT_PARAMETERS) -> Robustness:
    """Recompute the recommendation under each single move and name those that change its family."""
    base = recommend(irritant, options, parameters).family
    flips: list[str] = []

    def changes(irr: IrritantInput, opts: list[OptionInput], params: dict) -> bool:
        return recommend(irr, opts, params).family != base

    for sign in (+1, -1):
        factor = 1 + sign * VARIATION
        for name, label in IRRITANT_INPUTS:
            moved = replace(irritant, **{name: getattr(irritant, name) * factor})
            if changes(moved, options, parameters):
                flips.append(_signed(label, sign))
        for index, option in enumerate(options):
            for name, label in OPTION_INPUTS:
                value = getattr(option, name) * factor
                if name == "reduction":
                    value = min(value, 1.0)
                moved = [*options[:index], replace(option, **{name: value}), *options[index + 1:]]
                if changes(irritant, moved, parameters):
                    flips.append(f"{_signed(label, sign)} pour « {option.label} »")
        for name, label in PARAMETERS:
            if changes(irritant, options, {**parameters, name: parameters[name] * factor}):
                flips.append(_signed(label, sign))
    for margin in MARGIN_RANGE:
        if changes(irritant, options, {**parameters, "margin": margin}):
            flips.append(f"marge exigée de l'IA à {margin:.0%}".replace("%", "\u00a0%"))
    return Robustness(base, tuple(flips))
