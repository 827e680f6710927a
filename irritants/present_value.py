"""Value over time (DESIGN §3): months to value, a horizon and a discount rate give a net present value and a
payback month per option; the time an option frees is kept apart from the money it costs.

Month by month over the horizon: the one-off cost is paid at the start, the recurring cost every month, and the
time freed counts (valued at the loaded hourly cost, discounted by the option's risks) only from the month the
option starts to bring value. Each month's flow is discounted at the yearly rate, as (1 + rate) ** (month / 12).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueOverTime:
    """An option's net present value over the horizon, the month it pays back (None: not within the horizon)."""

    net_present_value: float
    payback_month: int | None
    horizon_months: int
    hours_freed_per_year: float  # time given back to agents: not cash the collectivity saves
    cash_cost_over_horizon: float  # what the collectivity pays: one-off plus recurring costs, undiscounted


def value_over_time(*, yearly_benefit: float, hours_freed_per_year: float, one_off_cost: float,
                    recurring_cost: float, months_to_value: int, horizon_months: int,
                    discount_rate: float) -> ValueOverTime:
    """Discounted monthly flows from month 0 to the horizon: the net present value and the payback month."""
    horizon = max(int(horizon_months), 0)
    start = max(int(months_to_value), 0)
    monthly_benefit, monthly_cost = yearly_benefit / 12, recurring_cost / 12
    # A rate of −100 % or below has no meaning (it would divide by zero or flip signs): it counts as 0.
    growth = 1 + discount_rate if discount_rate > -1 else 1.0
    cumulative = [-one_off_cost]
    for month in range(1, horizon + 1):
        flow = (monthly_benefit if month > start else 0.0) - monthly_cost
        cumulative.append(cumulative[-1] + flow / growth ** (month / 12))
    # The payback month: from then on, to the horizon, the option has paid for itself (0: from the start).
    payback = None
    for month in range(horizon, -1, -1):
        if cumulative[month] < 0:
            break
        payback = month
    total = cumulative[-1]
    return ValueOverTime(total, payback, horizon, hours_freed_per_year,
                         one_off_cost + monthly_cost * horizon)


def default_horizon_months(*, remaining_programme_months: int, amortisation_years: float) -> int:
    """The programme's remaining months plus the amortisation period (DESIGN §3's default horizon)."""
    return max(int(remaining_programme_months), 0) + round(max(amortisation_years, 0) * 12)
