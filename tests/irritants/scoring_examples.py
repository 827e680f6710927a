"""The worked examples the method's edge tests share: one irritant, a frugal and an AI option, exact parameters."""

from __future__ import annotations

from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, OptionInput

# 60 times a month × 12 × 25 min / 60 × 2 agents = 600 h a year; × 30 €/h = 18,000 € a year.
BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)
# 0.5 × 18,000 − 3,000 / 3 = 8,000 €: needed of AI, 1.25 × 8,000 = 10,000 € (every figure exact in binary).
# With the default delivery risk (× 0.85): 6,800 €, and 8,500 € needed.
FRUGAL = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=3000)
# 0.75 × 18,000 − 3,500 = 10,000 €: exactly the margin (with the default delivery risk × 0.75: 7,500 €).
AI = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.75, recurring_cost=3500,
                 requests_per_year=5000)


def with_parameters(**overrides) -> dict:
    """The default parameters with some changed."""
    return {**DEFAULT_PARAMETERS, **overrides}


# Every delivery risk set to 1 (value kept whole): the tests about thresholds and ties below sit on exact
# figures, 8,000 € against 10,000 €, that the delivery risks (0.85, 0.75: another rule, tested in test_scoring)
# would turn into inexact ones. The worked examples with the default risks are written out where they matter.
EXACT = with_parameters(**{key: 1.0 for key in DEFAULT_PARAMETERS if key.startswith("delivery_")})


def exact(**overrides) -> dict:
    """The exact parameters (delivery risks at 1) with some changed."""
    return {**EXACT, **overrides}


# 0.5 × 18,000 − 9,000 = 0 € a year; the frugal option: 0 − 24,600 / 3 = −8,200 € (risk never shrinks a loss).
WORTH_NOTHING = OptionInput(family="ia_generative", label="Assistant", reduction=0.5, recurring_cost=9000)
LOSS = OptionInput(family="formation", label="Formation lourde", reduction=0.0, one_off_cost=24600)
