"""Properties of the method the steering committee relies on, checked on generated irritants, options and parameters.

Bounded for a slow, shared machine: at most 200 examples each, no deadline.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from irritants import answers, scoring, service
from irritants.method_parameters import RISKS
from irritants.models import UNSCORED_PRIORITY, Irritant, RemedyOption
from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, OptionInput, recommend

SETTINGS = settings(max_examples=200, deadline=None)

irritants = st.builds(
    IrritantInput, occurrences_per_month=st.floats(0, 500), minutes_per_occurrence=st.floats(0, 240),
    agents_affected=st.integers(1, 50), evidence_level=st.integers(0, 3), actionability=st.integers(0, 3),
    impact_citizens=st.booleans(), compliance_risk=st.booleans(), mental_load=st.booleans())


def _options(families):
    return st.builds(
        OptionInput, family=st.sampled_from(families), label=st.sampled_from(["A", "B", "C"]),
        reduction=st.floats(0, 1), one_off_cost=st.floats(0, 50_000), recurring_cost=st.floats(0, 10_000),
        months_to_value=st.integers(0, 36), shareable=st.booleans(),
        requests_per_year=st.none() | st.integers(0, 100_000),
        personal_data=st.sampled_from(["none", "personal", "sensitive"]), human_review=st.booleans(),
        citizen_facing=st.booleans(), sovereign_tool=st.booleans(),
        ai_act_class=st.sampled_from(["to_classify", "minimal", "limited", "high_risk", "prohibited"]),
        ai_act_duties=st.sampled_from([(), ("fria",), ("fria", "oversight", "logs", "inform_workers", "dpia")]),
        energy_wh_per_request=st.none() | st.floats(0, 10))


frugal_options = _options(scoring.FRUGAL_FAMILIES)
ai_options = _options(scoring.AI_FAMILIES)
option_lists = st.lists(st.one_of(frugal_options, ai_options), min_size=1, max_size=5)
# Whatever the parameters form accepts, and the zeros it refuses (the method must not crash on them either).
parameters = st.fixed_dictionaries({
    "loaded_hourly_cost": st.floats(0, 1000), "major_threshold_hours": st.floats(0, 2000),
    "high_value_threshold_hours": st.floats(0, 2000), "margin": st.floats(0, 1),
    "amortisation_years": st.floats(0, 20), "min_evidence_level": st.integers(0, 3),
    "min_actionability": st.integers(0, 3), "energy_wh_per_request": st.floats(0, 10),
    "co2e_g_per_request": st.floats(0, 10), "footprint_source": st.just("source"),
    "grid_co2e_g_per_wh": st.floats(0, 1), "grid_source": st.just("grid"),
    "discount_rate": st.floats(-2, 0.5), "horizon_months": st.integers(0, 120),
    "coordination_cost_per_member": st.floats(0, 20_000),
    # Risk factors as a programme may set them, and outside (0, 1] too: the method clamps them.
    **{key: st.floats(-0.5, 1.5) for key in RISKS},
})


def _answer(result: scoring.Recommendation) -> tuple:
    return result.family, result.label, result.value, result.chosen, result.conditions, result.reasons


@SETTINGS
@given(irritants, option_lists, parameters)
def test_a_recommended_option_always_has_a_positive_value(irritant, options, params):
    result = recommend(irritant, options, params)  # and no parameter value makes it crash
    if result.family == scoring.REFORMULATE:
        assert result.value is None and result.chosen is None
        return
    assert result.value > 0 and result.chosen.adjusted_value == result.value
    assert result.chosen.blocked is None and result.chosen.option.family == result.family


@SETTINGS
@given(irritants, st.lists(frugal_options, max_size=2), ai_options, st.lists(ai_options, max_size=2), parameters)
def test_more_risk_never_makes_an_ai_option_more_recommended(irritant, frugal, ai, other_ai, params):
    # Sensitive data on a non-sovereign tool and no human review: its risk factor can only fall with the default
    # factors. A programme may set its own (sensitive data kept at 1, personal data at 0.5): the property holds
    # whenever the option is riskier under the programme's factors.
    riskier = replace(ai, personal_data="sensitive", sovereign_tool=False, human_review=False)
    assert scoring.option_risk(riskier).factor <= scoring.option_risk(ai).factor
    if scoring.option_risk(riskier, params).factor > scoring.option_risk(ai, params).factor:
        return
    risky = recommend(irritant, [*frugal, riskier, *other_ai], params)
    safe = recommend(irritant, [*frugal, ai, *other_ai], params)
    if risky.chosen is not None and risky.chosen.option == riskier:
        assert safe.is_ai and safe.value >= risky.value
    if risky.is_ai:
        assert safe.is_ai


@SETTINGS
@given(irritants, option_lists, st.randoms(use_true_random=False), parameters)
def test_the_answer_never_depends_on_the_order_options_were_entered(irritant, options, rng, params):
    shuffled = list(options)
    rng.shuffle(shuffled)
    assert _answer(recommend(irritant, shuffled, params)) == _answer(recommend(irritant, options, params))


@SETTINGS
@given(irritants, option_lists, st.floats(1.0, 3.0), parameters)
def test_more_hours_lost_never_lower_the_recommended_value_beyond_the_margin(irritant, options, factor, params):
    # Frugal first may give up an AI option for a frugal one worth up to (1 + margin) times less when the
    # frugal option gains faster with the hours: that is the rule's price, and its only one.
    more = replace(irritant, occurrences_per_month=irritant.occurrences_per_month * factor)
    before, after = recommend(irritant, options, params), recommend(more, options, params)
    if before.value is None:
        return
    assert after.value is not None  # what was worth doing stays worth doing
    slack = 1e-9 * max(1.0, abs(before.value))
    if before.is_ai and not after.is_ai:
        assert after.value * (1 + params["margin"]) >= before.value - slack
    else:
        assert after.value >= before.value - slack


def _remedy(option: OptionInput) -> RemedyOption:
    return RemedyOption(irritant_id=1, collectivity_id=1, family=option.family, label=option.label,
                        reduction_pct=option.reduction * 100, one_off_cost=option.one_off_cost,
                        recurring_cost=option.recurring_cost, requests_per_year=option.requests_per_year,
                        personal_data=option.personal_data, human_review=option.human_review,
                        citizen_facing=option.citizen_facing, sovereign_tool=option.sovereign_tool,
                        ai_act_class=option.ai_act_class, ai_act_duties=list(option.ai_act_duties),
                        energy_wh_per_request=option.energy_wh_per_request)


@SETTINGS
@given(irritants, st.lists(st.one_of(frugal_options, ai_options), max_size=4))
def test_the_stored_priority_is_the_recommended_value(irritant, options):
    # Through the function the service stores answers with (refresh_derived and the bulk recompute alike).
    row = Irritant(programme_id=1, collectivity_id=1, title="Irritant", **{
        name: getattr(irritant, name) for name in service.QUALIFICATION_FIELDS})
    remedies = [_remedy(option) for option in options]
    stored = answers.stored_answer(row, remedies, DEFAULT_PARAMETERS)
    result = recommend(*answers.method_inputs(row, remedies), DEFAULT_PARAMETERS)
    if not options:
        assert stored["priority_value"] is None and stored["recommended_family"] is None
    else:
        assert stored["priority_value"] == result.value and stored["recommended_family"] == result.family
    assert stored["priority_sort"] == (UNSCORED_PRIORITY if result.value is None or not options else result.value)
    assert stored["priority_value"] is None or stored["priority_value"] > 0


@SETTINGS
@given(st.one_of(frugal_options, ai_options), st.floats(0, 100_000), st.integers(1, 30), parameters)
def test_more_members_sharing_an_option_never_lower_its_value(option, cost, members, params):
    # A mutual group splits the one-off cost: one more member can only make each share smaller.
    fewer = scoring.assess_option(replace(option, shared_between=members), cost, params)
    more = scoring.assess_option(replace(option, shared_between=members + 1), cost, params)
    assert more.net_value >= fewer.net_value and more.adjusted_value >= fewer.adjusted_value


def _apply(option: OptionInput, key: str) -> bool:
    return key in scoring.risk_keys(option)


@SETTINGS
@given(irritants, st.lists(frugal_options, max_size=2), ai_options, parameters, st.data())
def test_a_higher_risk_parameter_on_an_ai_option_never_makes_it_more_recommended(irritant, frugal, ai, params,
                                                                                    data):
    # One of the AI option's own risks (its delivery, data, review or class risk) keeps a smaller share of its
    # value: the option may only lose ground. Frugal options carry none of these keys, so they stay as they were.
    key = data.draw(st.sampled_from(scoring.risk_keys(ai)))
    kept = min(max(params[key], 0.0), 1.0)
    riskier = {**params, key: data.draw(st.floats(-0.5, kept))}
    assert scoring.option_risk(ai, riskier).factor <= scoring.option_risk(ai, params).factor
    assert all(not _apply(option, key) for option in frugal)
    risky, safe = recommend(irritant, [*frugal, ai], riskier), recommend(irritant, [*frugal, ai], params)
    assert scoring.assess_option(ai, risky.cost, riskier).adjusted_value <= \
        scoring.assess_option(ai, safe.cost, params).adjusted_value
    if risky.is_ai:
        assert safe.is_ai and safe.value >= risky.value


@SETTINGS
@given(irritants, option_lists, parameters)
def test_an_unknown_volume_is_always_to_estimate_never_reformulate(irritant, options, params):
    result = recommend(replace(irritant, volume_unknown=True), options, params)
    assert result.family == scoring.ESTIMATE and result.value is None and result.chosen is None
    assert result.family != scoring.REFORMULATE and not result.is_ai and result.conditions == ()


@SETTINGS
@given(st.one_of(frugal_options, ai_options), st.floats(0, 100_000), st.integers(1, 30), parameters)
def test_more_members_never_lower_an_option_s_value_over_time(option, cost, members, params):
    # Coordination is paid per member, but a collectivity never pays more than alone: its NPV never falls.
    fewer = scoring.assess_option(replace(option, shared_between=members), cost, params)
    more = scoring.assess_option(replace(option, shared_between=members + 1), cost, params)
    assert more.one_off_share <= fewer.one_off_share <= option.one_off_cost
    assert more.over_time.net_present_value >= fewer.over_time.net_present_value - 1e-6


@SETTINGS
@given(st.floats(0, 100_000), st.integers(0, 50), st.booleans(), st.floats(0, 20_000))
def test_a_collectivity_never_bears_more_than_alone_nor_less_than_its_share(one_off, members, shareable,
                                                                           coordination):
    share = scoring.one_off_share(one_off, shared_between=members, shareable=shareable,
                                  coordination_cost=coordination)
    assert share <= one_off
    if not shareable or members <= 1:
        assert share == one_off
    else:
        assert share == min(one_off, one_off / members + coordination)
