"""The footprint of an AI option from one coherent source per figure (DESIGN §3).

Published figures disagree about tenfold, so each factor keeps its energy and its emissions together
with their source and date, and an option's figures never mix two sources silently: an option that
names a published factor takes both figures from it; an option that types its own energy and emissions
uses both; an option that types only its energy gets its emissions from the grid's carbon intensity,
and the source says so; an option with nothing takes the programme's default factor.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from functools import cache

from participants.reasons import N_, Reason

ECOLOGITS_TOKENS = 400  # the answer length EcoLogits' published comparisons use
ECOLOGITS_LATENCY_S = 60.0  # an upper bound on generation time: energy follows the tokens, not this bound
ECOLOGITS_ZONE = "FRA"


@dataclass(frozen=True)
class Factor:
    """A published footprint per request: energy (None when unpublished), emissions, source and date."""

    key: str
    wh: float | None
    co2e_g: float
    source: str


# Figures as published; EcoLogits' are recomputed with the package when it is installed (see ecologits_factor).
PUBLISHED = {
    "google_2025_median": Factor("google_2025_median", 0.24, 0.03,
                                 "Google, août 2025 : requête texte médiane de Gemini, 0,24 Wh et 0,03 g CO2e"),
    "mistral_lca_2025": Factor("mistral_lca_2025", None, 1.14,
                               "Mistral AI, analyse de cycle de vie, juillet 2025 : 1,14 g CO2e pour une réponse de "
                               "400 jetons de Mistral Large 2 (énergie non publiée)"),
    "ecologits_small": Factor("ecologits_small", 0.138, 0.0174,
                              "EcoLogits 0.11.3 : mistral-small-latest, 400 jetons, électricité française"),
    "ecologits_large": Factor("ecologits_large", 1.151, 0.0913,
                              "EcoLogits 0.11.3 : mistral-large-latest, 400 jetons, électricité française"),
}
ECOLOGITS_MODELS = {"ecologits_small": "mistral-small-latest", "ecologits_large": "mistral-large-latest"}


@cache
def ecologits_factor(key: str) -> Factor:
    """EcoLogits' estimate for a named model size, computed with the package when installed, else as recorded."""
    recorded = PUBLISHED[key]
    try:
        import ecologits
        from ecologits.tracers.utils import llm_impacts
    except ImportError:  # the recorded figures were computed with the same version
        return recorded
    # EcoLogits warns that these models' architecture is estimated ("expect lower precision"): the source
    # names the model and the version, and DESIGN §3 already says sources disagree tenfold.
    logging.getLogger("ecologits").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        impacts = llm_impacts(provider="mistralai", model_name=ECOLOGITS_MODELS[key],
                              output_token_count=ECOLOGITS_TOKENS, request_latency=ECOLOGITS_LATENCY_S,
                              electricity_mix_zone=ECOLOGITS_ZONE)
    if impacts is None:
        return recorded

    def middle(value) -> float:  # a range (min, max) when the model's size is not published: its middle
        return (value.min + value.max) / 2 if hasattr(value, "min") else value

    wh, co2e_g = middle(impacts.energy.value) * 1000, middle(impacts.gwp.value) * 1000
    return Factor(key, round(wh, 3), round(co2e_g, 4),
                  f"EcoLogits {ecologits.__version__} : {ECOLOGITS_MODELS[key]}, {ECOLOGITS_TOKENS} jetons, "
                  "électricité française")


def factor(key: str) -> Factor | None:
    """The published factor named ``key``, or None."""
    if key in ECOLOGITS_MODELS:
        return ecologits_factor(key)
    return PUBLISHED.get(key)


@dataclass(frozen=True)
class Footprint:
    """Energy and emissions per year of an AI option, and where each figure comes from."""

    kwh_per_year: float | None  # None when the source publishes no energy figure
    co2e_kg_per_year: float
    source: str | Reason  # the source as typed or published (not translated), or the reason there is no figure
    requests_per_year: int = 0


NONE = Footprint(0.0, 0.0, "")


def per_request(*, factor_key: str, wh: float | None, co2e_g: float | None, source: str,
                parameters: dict) -> tuple[float | None, float, str | Reason]:
    """Energy (Wh), emissions (g CO2e) and source of one request, from one coherent source."""
    published = factor(factor_key) if factor_key else None
    if published is not None:
        return published.wh, published.co2e_g, published.source
    if wh is not None and co2e_g is not None:
        return wh, co2e_g, source or N_("chiffres propres à l'option, source non indiquée")
    if wh is not None:
        # The option's energy with the grid's carbon intensity: never another source's emissions per Wh.
        return wh, wh * parameters["grid_co2e_g_per_wh"], N_(
            "énergie : %(source)s ; émissions : intensité carbone du réseau, %(grid)s",
            source=source or N_("chiffre propre à l'option, source non indiquée"),
            grid=parameters["grid_source"])
    if co2e_g is not None:
        return None, co2e_g, source or N_("chiffre propre à l'option, source non indiquée")
    return parameters["energy_wh_per_request"], parameters["co2e_g_per_request"], parameters["footprint_source"]


def yearly(*, requests_per_year: int | None, factor_key: str = "", wh: float | None = None,
           co2e_g: float | None = None, source: str = "", parameters: dict) -> Footprint:
    """Energy and emissions per year: one request's figures × requests per year."""
    if not requests_per_year:
        return Footprint(0.0, 0.0, N_("nombre de requêtes non renseigné"))
    energy, emissions, origin = per_request(factor_key=factor_key, wh=wh, co2e_g=co2e_g, source=source,
                                            parameters=parameters)
    return Footprint(None if energy is None else energy * requests_per_year / 1000,
                     emissions * requests_per_year / 1000, origin, requests_per_year)
