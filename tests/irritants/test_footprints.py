"""The footprint of an AI option from one coherent source (DESIGN §3): never one source's energy with another's
emissions, and each figure with where it comes from."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.i18n import say
from irritants import footprints, scoring
from irritants.scoring import DEFAULT_PARAMETERS, OptionInput

# 5,000 requests a year; the programme's default factor is Google's (0.24 Wh, 0.03 g: 0.125 g per Wh).
AI = OptionInput(family="ia_generative", label="Assistant", reduction=0.5, requests_per_year=5000)
GRID = DEFAULT_PARAMETERS["grid_co2e_g_per_wh"]  # 0.04144 g CO2e per Wh, the French grid (EcoLogits 0.11.3)


def _per_request(**overrides):
    values = dict(factor_key="", wh=None, co2e_g=None, source="", parameters=DEFAULT_PARAMETERS)
    values.update(overrides)
    return footprints.per_request(**values)


def test_an_option_s_own_energy_is_never_converted_with_google_s_emissions_per_wh():
    # 1.2 Wh typed by the option: its emissions come from the grid, 1.2 × 0.04144 = 0.0497 g, not from Google's
    # 0.03 / 0.24 = 0.125 g per Wh (0.15 g), which would mix two sources.
    wh, co2e_g, source = _per_request(wh=1.2, source="mesure du prestataire")
    assert wh == 1.2 and co2e_g == pytest.approx(1.2 * GRID) == pytest.approx(0.049728)
    assert co2e_g != pytest.approx(1.2 * 0.03 / 0.24)
    # The source names both: the option's energy and the grid's intensity with its own source.
    assert say(source) == ("énergie : mesure du prestataire ; émissions : intensité carbone du réseau, EcoLogits "
                           "0.11.3, mix électrique français : 41,4 g CO2e par kWh")
    # A programme that changes its grid intensity changes the emissions, not the energy.
    other = _per_request(wh=1.2, parameters={**DEFAULT_PARAMETERS, "grid_co2e_g_per_wh": 0.1, "grid_source": "X"})
    assert other[:2] == (1.2, pytest.approx(0.12)) and say(other[2]).endswith("intensité carbone du réseau, X")
    unnamed = _per_request(wh=1.2)
    assert say(unnamed[2]).startswith("énergie : chiffre propre à l'option, source non indiquée ; émissions")


def test_an_option_s_own_energy_and_emissions_are_used_as_they_are():
    assert _per_request(wh=2.0, co2e_g=0.5, source="fiche du modèle") == (2.0, 0.5, "fiche du modèle")
    wh, co2e_g, source = _per_request(wh=2.0, co2e_g=0.5)
    assert (wh, co2e_g) == (2.0, 0.5) and say(source) == "chiffres propres à l'option, source non indiquée"
    # Emissions alone: no energy is made up.
    wh, co2e_g, source = _per_request(co2e_g=0.7)
    assert wh is None and co2e_g == 0.7 and say(source) == "chiffre propre à l'option, source non indiquée"
    assert _per_request(co2e_g=0.7, source="ACV")[2] == "ACV"


def test_an_explicit_zero_energy_counts_as_zero():
    wh, co2e_g, _source = _per_request(wh=0.0)
    assert wh == 0 and co2e_g == 0
    assert _per_request(wh=0.0, co2e_g=0.0)[:2] == (0.0, 0.0)
    figures = scoring.footprint(replace(AI, energy_wh_per_request=0.0))
    assert figures.kwh_per_year == 0 and figures.co2e_kg_per_year == 0


def test_a_published_factor_gives_both_figures_and_its_source_whatever_the_option_typed():
    google = footprints.PUBLISHED["google_2025_median"]
    assert _per_request(factor_key="google_2025_median", wh=9.0, co2e_g=9.0, source="ignored") == (
        0.24, 0.03, google.source)
    # 5,000 × 0.24 Wh = 1.2 kWh; 5,000 × 0.03 g = 0.15 kg; the source as published.
    figures = scoring.footprint(replace(AI, footprint_factor="google_2025_median", energy_wh_per_request=9.0))
    assert figures.kwh_per_year == pytest.approx(1.2) and figures.co2e_kg_per_year == pytest.approx(0.15)
    assert figures.source.startswith("Google, août 2025") and figures.requests_per_year == 5000
    # EcoLogits' large model: 5,000 × 1.151 Wh = 5.755 kWh; 5,000 × 0.0913 g = 0.4565 kg.
    large = scoring.footprint(replace(AI, footprint_factor="ecologits_large"))
    assert large.kwh_per_year == pytest.approx(5.755) and large.co2e_kg_per_year == pytest.approx(0.4565)
    assert large.source.startswith("EcoLogits 0.11") and "mistral-large-latest" in large.source


def test_an_unknown_factor_key_falls_back_to_the_option_s_own_figures():
    assert footprints.factor("no_such_factor") is None
    assert _per_request(factor_key="no_such_factor", wh=2.0, co2e_g=0.5, source="S") == (2.0, 0.5, "S")


def test_mistral_s_factor_has_no_energy_figure():
    mistral = footprints.factor("mistral_lca_2025")
    assert mistral.wh is None and mistral.co2e_g == 1.14 and "énergie non publiée" in mistral.source
    # 5,000 × 1.14 g = 5.7 kg; no energy: None, not 0 (an unknown is not a zero).
    figures = scoring.footprint(replace(AI, footprint_factor="mistral_lca_2025"))
    assert figures.kwh_per_year is None and figures.co2e_kg_per_year == pytest.approx(5.7)


def test_without_figures_an_option_takes_the_programme_s_default():
    assert _per_request() == (0.24, 0.03, DEFAULT_PARAMETERS["footprint_source"])
    params = {**DEFAULT_PARAMETERS, "energy_wh_per_request": 1.0, "co2e_g_per_request": 0.2,
              "footprint_source": "programme"}
    figures = scoring.footprint(AI, params)
    assert (figures.kwh_per_year, figures.co2e_kg_per_year, figures.source) == (5.0, 1.0, "programme")


@pytest.mark.parametrize("requests", [None, 0])
def test_an_option_without_requests_has_no_footprint_and_says_why(requests):
    figures = footprints.yearly(requests_per_year=requests, wh=1.0, co2e_g=1.0, parameters=DEFAULT_PARAMETERS)
    assert (figures.kwh_per_year, figures.co2e_kg_per_year, figures.requests_per_year) == (0.0, 0.0, 0)
    assert say(figures.source) == "nombre de requêtes non renseigné"


def test_frugal_options_count_as_zero():
    tool = replace(AI, family="outil_classique", energy_wh_per_request=5.0, footprint_factor="ecologits_large")
    assert scoring.footprint(tool) == footprints.NONE
    assert (footprints.NONE.kwh_per_year, footprints.NONE.co2e_kg_per_year) == (0.0, 0.0)


@pytest.mark.parametrize("key", sorted(footprints.ECOLOGITS_MODELS))
def test_ecologits_factors_computed_with_the_package_match_the_recorded_figures(key):
    pytest.importorskip("ecologits")
    footprints.ecologits_factor.cache_clear()
    computed, recorded = footprints.ecologits_factor(key), footprints.PUBLISHED[key]
    assert (computed.key, computed.wh, computed.co2e_g) == (recorded.key, recorded.wh, recorded.co2e_g)
    assert computed.source == recorded.source  # same version, model, tokens and grid
    assert footprints.factor(key) == computed


def test_ecologits_recorded_figures_serve_when_the_package_is_missing_or_silent(monkeypatch):
    footprints.ecologits_factor.cache_clear()
    monkeypatch.setitem(sys.modules, "ecologits", None)  # import ecologits raises ImportError
    assert footprints.ecologits_factor("ecologits_small") is footprints.PUBLISHED["ecologits_small"]
    footprints.ecologits_factor.cache_clear()
    monkeypatch.undo()
    utils = pytest.importorskip("ecologits.tracers.utils")
    monkeypatch.setattr(utils, "llm_impacts", lambda **_kwargs: None)  # a model EcoLogits does not know
    assert footprints.ecologits_factor("ecologits_large") is footprints.PUBLISHED["ecologits_large"]
    footprints.ecologits_factor.cache_clear()


def test_ecologits_ranges_are_taken_at_their_middle(monkeypatch):
    utils = pytest.importorskip("ecologits.tracers.utils")

    class Range:
        def __init__(self, low, high):
            self.min, self.max = low, high

    class Impacts:
        energy = type("E", (), {"value": Range(0.001, 0.003)})()  # kWh: 1 to 3 Wh, middle 2 Wh
        gwp = type("G", (), {"value": 0.00005})()  # kg: 0.05 g

    footprints.ecologits_factor.cache_clear()
    monkeypatch.setattr(utils, "llm_impacts", lambda **_kwargs: Impacts())
    found = footprints.ecologits_factor("ecologits_small")
    footprints.ecologits_factor.cache_clear()
    assert (found.wh, found.co2e_g) == (2.0, 0.05)
    assert "mistral-small-latest" in found.source and "400 jetons" in found.source


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 1_000_000), st.sampled_from(["", *footprints.PUBLISHED]), st.none() | st.floats(0, 10),
       st.none() | st.floats(0, 10))
def test_a_year_is_one_request_s_figures_times_the_requests(requests, key, wh, co2e_g):
    energy, emissions, source = _per_request(factor_key=key, wh=wh, co2e_g=co2e_g)
    figures = footprints.yearly(requests_per_year=requests, factor_key=key, wh=wh, co2e_g=co2e_g,
                                parameters=DEFAULT_PARAMETERS)
    assert figures.source == source and figures.requests_per_year == requests
    assert figures.co2e_kg_per_year == pytest.approx(emissions * requests / 1000)
    if energy is None:
        assert figures.kwh_per_year is None
    else:
        assert figures.kwh_per_year == pytest.approx(energy * requests / 1000)


def test_a_year_keeps_the_source_it_was_given():
    figures = footprints.yearly(requests_per_year=10, wh=1.0, co2e_g=1.0, source="S", parameters=DEFAULT_PARAMETERS)
    assert figures.source == "S" and figures.kwh_per_year == pytest.approx(0.01)
