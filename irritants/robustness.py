"""Robustness of a recommendation: move each input and parameter ±20 % one at a time (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hub.core.i18n import gettext as _
from hub.core.i18n import number
from irritants.scoring import DEFAULT_PARAMETERS, MARGIN_RANGE, IrritantInput, OptionInput, recommend

VARIATION = 0.20
IRRITANT_INPUTS = ("occurrences_per_month", "minutes_per_occurrence", "agents_affected")
OPTION_INPUTS = ("reduction", "one_off_cost", "recurring_cost")
PARAMETERS = ("loaded_hourly_cost", "major_threshold_hours", "high_value_threshold_hours", "amortisation_years")


def _names() -> dict[str, str]:
    # Built at each call, not at import: the names follow the reader's language.
    return {"occurrences_per_month": _("fréquence"), "minutes_per_occurrence": _("minutes par occurrence"),
            "agents_affected": _("agents concernés"), "reduction": _("réduction attendue"),
            "one_off_cost": _("coût ponctuel"), "recurring_cost": _("coût annuel"),
            "loaded_hourly_cost": _("coût horaire chargé"), "major_threshold_hours": _("seuil « majeur »"),
            "high_value_threshold_hours": _("seuil de très forte valeur"),
            "amortisation_years": _("durée d'amortissement")}


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
            return _("Robuste : aucune variation de ±%(percent)s\u00a0%% d'une donnée ou d'un paramètre ne change la "
                     "recommandation.", percent=number(VARIATION * 100))
        return _("Fragile : la recommandation change si %(moves)s.", moves=", ".join(self.flips))


def _signed(name: str, sign: int) -> str:
    percent = number(VARIATION * 100)
    return (_("%(name)s +%(percent)s\u00a0%%", name=name, percent=percent) if sign > 0
            else _("%(name)s −%(percent)s\u00a0%%", name=name, percent=percent))


def robustness(irritant: IrritantInput, options: list[OptionInput],
               parameters: dict = DEFAULT_PARAMETERS) -> Robustness:
    """Recompute the recommendation under each single move and name those that change its family."""
    base = recommend(irritant, options, parameters, explain=False).family
    names = _names()
    flips: list[str] = []

    def changes(irr: IrritantInput, opts: list[OptionInput], params: dict) -> bool:
        return recommend(irr, opts, params, explain=False).family != base

    for sign in (+1, -1):
        factor = 1 + sign * VARIATION
        for name in IRRITANT_INPUTS:
            moved = replace(irritant, **{name: getattr(irritant, name) * factor})
            if changes(moved, options, parameters):
                flips.append(_signed(names[name], sign))
        for index, option in enumerate(options):
            for name in OPTION_INPUTS:
                value = getattr(option, name) * factor
                if name == "reduction":
                    value = min(value, 1.0)
                moved = [*options[:index], replace(option, **{name: value}), *options[index + 1:]]
                if changes(irritant, moved, parameters):
                    flips.append(_("%(move)s pour « %(option)s »", move=_signed(names[name], sign),
                                   option=option.label))
        for name in PARAMETERS:
            if changes(irritant, options, {**parameters, name: parameters[name] * factor}):
                flips.append(_signed(names[name], sign))
    for margin in MARGIN_RANGE:
        if changes(irritant, options, {**parameters, "margin": margin}):
            flips.append(_("marge exigée de l'IA à %(percent)s\u00a0%%", percent=number(margin * 100)))
    return Robustness(base, tuple(flips))
