"""Value over time (DESIGN §3): net present value and payback month, worked out month by month, and their edges."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irritants import scoring
from irritants.present_value import default_horizon_months, value_over_time
from irritants.scoring import DEFAULT_PARAMETERS, OptionInput

SETTINGS = settings(max_examples=200, deadline=None)


def _value(**overrides):
    values = dict(yearly_benefit=12000, hours_freed_per_year=400, one_off_cost=6000, recurring_cost=0,
                  months_to_value=2, horizon_months=36, discount_rate=0.032)
    values.update(overrides)
    return value_over_time(**values)


def test_worked_example_payback_at_month_9():
    # 6,000 € at month 0; 12,000 € a year = 1,000 € a month from month 3 (two months to value); 3.2 % a year, each
    # month m discounted by 1.032 ** (m / 12). Undiscounted, months 3 to 8 bring 6,000 €: just short once
    # discounted (5,914 €); month 9 brings 1,000 × 1.032 ** −0.75 = 976.6 € more: paid back at month 9.
    result = _value()
    assert result.payback_month == 9
    by_month_8 = sum(1000 / 1.032 ** (m / 12) for m in range(3, 9))
    assert by_month_8 == pytest.approx(5914.06, abs=0.01) and by_month_8 < 6000
    assert by_month_8 + 1000 / 1.032 ** 0.75 > 6000
    # NPV over 36 months: 1,000 € × Σ_{m=3..36} 1.032 ** (−m / 12) − 6,000 = 26,314.20 €.
    expected = sum(1000 / 1.032 ** (m / 12) for m in range(3, 37)) - 6000
    assert result.net_present_value == pytest.approx(expected) == pytest.approx(26314.20, abs=0.01)
    assert result.horizon_months == 36 and result.hours_freed_per_year == 400
    assert result.cash_cost_over_horizon == 6000  # no recurring cost: the one-off only, undiscounted


def test_recurring_costs_are_paid_every_month_from_month_1():
    # 1,200 € a year = 100 € a month, from month 1 to 36, before the benefit starts: cash 6,000 + 3,600.
    result = _value(recurring_cost=1200)
    expected = sum((1000 if m > 2 else 0) / 1.032 ** (m / 12) - 100 / 1.032 ** (m / 12) for m in range(1, 37)) - 6000
    assert result.net_present_value == pytest.approx(expected)
    assert result.cash_cost_over_horizon == pytest.approx(9600)
    # 900 € a month net from month 3, less 200 € for months 1 and 2: −6,200 + 7 × 900 = +100 € at month 9
    # undiscounted, +2.43 € discounted: still month 9.
    assert result.payback_month == 9


def test_without_discounting_the_flows_simply_add_up():
    # 34 months × 1,000 € − 6,000 € = 28,000 €; −6,000 + 6 × 1,000 = 0 at month 8: paid back from month 8.
    result = _value(discount_rate=0.0)
    assert result.net_present_value == pytest.approx(28000)
    assert result.payback_month == 8


def test_months_to_value_delay_the_payback_and_lower_the_value():
    # From month 1: 6 months; from month 3: month 9; from month 13 (12 months to value): month 19.
    paybacks = [_value(months_to_value=months).payback_month for months in (0, 2, 12)]
    assert paybacks == [7, 9, 19]
    values = [_value(months_to_value=months).net_present_value for months in (0, 2, 12)]
    assert values[0] > values[1] > values[2]
    # Value only from month 37, beyond the 36-month horizon: never paid back, the one-off is the whole NPV.
    late = _value(months_to_value=36)
    assert late.payback_month is None and late.net_present_value == pytest.approx(-6000)


def test_no_benefit_never_pays_back():
    assert _value(yearly_benefit=0).payback_month is None
    assert _value(yearly_benefit=0).net_present_value == pytest.approx(-6000)
    # Nothing paid, nothing gained: paid back from the start (nothing to pay back).
    nothing = _value(yearly_benefit=0, one_off_cost=0)
    assert nothing.payback_month == 0 and nothing.net_present_value == 0


def test_the_payback_month_is_when_it_stays_paid_back_to_the_horizon():
    # A grant of 1,000 € at month 0 (a negative one-off cost), then 100 € a month of cost and no benefit: positive
    # until month 9, negative from month 11 on. Over 24 months it never stays paid back; over 6 it does from 0.
    grant = dict(yearly_benefit=0, one_off_cost=-1000, recurring_cost=1200, discount_rate=0.0)
    assert _value(**grant, horizon_months=24).payback_month is None
    assert _value(**grant, horizon_months=6).payback_month == 0
    assert _value(**grant, horizon_months=10).payback_month == 0  # exactly 0 at month 10 still counts


@pytest.mark.parametrize("rate", [-1.0, -1.5, -100.0])
def test_a_rate_of_minus_100_percent_or_below_counts_as_zero(rate):
    assert _value(discount_rate=rate) == _value(discount_rate=0.0)


def test_a_rate_just_above_minus_100_percent_is_a_rate():
    assert _value(discount_rate=-0.5).net_present_value > _value(discount_rate=0.0).net_present_value


def test_a_higher_rate_lowers_future_value():
    assert _value(discount_rate=0.1).net_present_value < _value(discount_rate=0.032).net_present_value


@pytest.mark.parametrize("horizon", [0, -5])
def test_a_horizon_of_zero_counts_the_one_off_cost_only(horizon):
    result = _value(horizon_months=horizon)
    assert result.net_present_value == -6000 and result.payback_month is None and result.horizon_months == 0
    assert result.cash_cost_over_horizon == 6000
    free = _value(horizon_months=horizon, one_off_cost=0)
    assert free.net_present_value == 0 and free.payback_month == 0


def test_negative_months_to_value_count_as_zero():
    assert _value(months_to_value=-3) == _value(months_to_value=0)


def test_the_default_horizon_is_the_programme_s_remaining_months_plus_amortisation():
    assert default_horizon_months(remaining_programme_months=10, amortisation_years=3) == 46
    assert default_horizon_months(remaining_programme_months=-4, amortisation_years=1.5) == 18
    assert default_horizon_months(remaining_programme_months=6, amortisation_years=-2) == 6


def test_the_method_s_horizon_is_the_programme_s_else_the_amortisation_period():
    assert scoring.horizon_months(DEFAULT_PARAMETERS) == 36  # 0 means the default: 3 years
    assert scoring.horizon_months({**DEFAULT_PARAMETERS, "horizon_months": 24}) == 24
    assert scoring.horizon_months({**DEFAULT_PARAMETERS, "horizon_months": None, "amortisation_years": 2}) == 24
    assert scoring.horizon_months({**DEFAULT_PARAMETERS, "amortisation_years": 0.25}) == 12  # at least a year
    assert scoring.horizon_months({**DEFAULT_PARAMETERS, "horizon_months": -6}) == 36


def test_an_option_s_value_over_time_counts_its_risks_and_its_share_of_the_one_off_cost():
    # A tool removing half of an irritant costing 18,000 € (600 h): 9,000 € a year × 0.85 (delivery) = 7,650 €
    # of benefit, 637.50 € a month from month 4 (3 months to value); 2,400 € one-off shared by 3 collectivities:
    # 800 + 1,500 coordination = 2,300 €; 240 € a year recurring. Horizon 36 months, 3.2 %.
    option = OptionInput(family="outil_classique", label="Outil", reduction=0.5, one_off_cost=2400,
                         recurring_cost=240, months_to_value=3, shared_between=3)
    assessed = scoring.assess_option(option, 18000, DEFAULT_PARAMETERS, 600)
    assert assessed.one_off_share == 2300
    expected = value_over_time(yearly_benefit=7650, hours_freed_per_year=300, one_off_cost=2300, recurring_cost=240,
                               months_to_value=3, horizon_months=36, discount_rate=0.032)
    assert assessed.over_time == expected
    assert assessed.over_time.hours_freed_per_year == 300  # time freed, shown apart from cash
    # 617.50 € a month net from month 4 (637.50 − 20), 20 € a month before: −2,360 + 4 × 617.50 > 0 at month 7.
    assert assessed.over_time.payback_month == 7
    # The programme's discount rate and horizon are the ones used.
    params = {**DEFAULT_PARAMETERS, "discount_rate": 0.0, "horizon_months": 12}
    flat = scoring.assess_option(option, 18000, params, 600).over_time
    # 9 months × 637.50 − 12 × 20 − 2,300 = 3,197.50 €.
    assert flat.horizon_months == 12 and flat.net_present_value == pytest.approx(3197.5)
    later = scoring.assess_option(replace(option, months_to_value=6), 18000, DEFAULT_PARAMETERS, 600).over_time
    assert later.net_present_value < assessed.over_time.net_present_value
    assert later.payback_month > assessed.over_time.payback_month


@SETTINGS
@given(st.floats(0, 200_000), st.floats(0, 50_000), st.floats(0, 20_000), st.integers(0, 30), st.integers(0, 120),
       st.floats(-0.5, 0.5), st.integers(1, 12))
def test_more_months_to_value_never_raise_the_value_nor_advance_the_payback(benefit, one_off, recurring, months,
                                                                            horizon, rate, delay):
    values = dict(yearly_benefit=benefit, hours_freed_per_year=0, one_off_cost=one_off, recurring_cost=recurring,
                  horizon_months=horizon, discount_rate=rate)
    sooner = value_over_time(months_to_value=months, **values)
    later = value_over_time(months_to_value=months + delay, **values)
    assert later.net_present_value <= sooner.net_present_value + 1e-6 * max(1.0, benefit)
    if later.payback_month is not None:
        assert sooner.payback_month is not None and sooner.payback_month <= later.payback_month
