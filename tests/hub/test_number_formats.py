"""The hub's fast whole-number formatting gives exactly Babel's text, in French and in English."""

from __future__ import annotations

from babel.numbers import format_currency, format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.core.i18n import euros, formatting_locale, number
from tests.hub.test_french_typography import reading_in

AMOUNTS = st.one_of(st.integers(min_value=-10**14, max_value=10**14),
                    st.floats(min_value=-1e14, max_value=1e14, allow_nan=False),
                    st.sampled_from([0, -0.0, 0.5, 1.5, 2.5, -2.5, -0.4, -0.5, 999.5, 1000.4999, 1234567, -1234567,
                                     2.675]))


# The app fixture is only read (a request context per example), so its function scope is harmless here.
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=AMOUNTS, digits=st.integers(min_value=0, max_value=2), up_to=st.booleans())
def test_numbers_and_euros_read_as_babel_writes_them(app, value, digits, up_to):
    for lang in ("fr", "en"):
        with reading_in(app, lang):
            locale = formatting_locale()
            pattern = "#,##0" + ("." + ("#" if up_to else "0") * digits if digits else "")
            assert number(value, digits, up_to=up_to) == format_decimal(value, format=pattern, locale=locale)
            whole_units = locale.currency_formats["standard"].pattern.replace(".00", "")
            assert euros(value) == format_currency(round(value), "EUR", format=whole_units, currency_digits=False,
                                                   locale=locale)


def test_whole_amounts_are_grouped_and_placed_as_each_language_does(app):
    with reading_in(app, "fr"):
        assert euros(14700) == "14\u202f700\xa0€" and number(-1234567) == "-1\u202f234\u202f567"
    with reading_in(app, "en"):
        assert euros(14700) == "€14,700" and euros(-5) == "-€5" and number(1234567) == "1,234,567"
