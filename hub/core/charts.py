"""Charts drawn with Altair and rendered on the server by vl-convert, offline.

Each chart comes with an alt text that carries its numbers, so that nothing is lost without
the picture (DESIGN §4); the report also prints each chart's figures in a table.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import lru_cache, wraps
from types import MappingProxyType

import altair as alt
import vl_convert

from hub.core.i18n import formatting_locale
from hub.core.translations import locale_key

BLUE = "#1d4ed8"


def bar_chart(rows: list[dict], *, category: str, value: str, category_title: str, value_title: str,
              sort: str | None = "-x") -> dict:
    """A horizontal bar chart spec (Vega-Lite), largest bar first unless told otherwise."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(f"{category}:N", title=category_title, sort=sort),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title)],
        )
        .properties(width=460, height=max(60, 28 * len(rows)))
    )
    # No schema validation when drawing: Altair checks every spec against Vega-Lite's JSON schema, 20 ms a chart on
    # the report; the hub's specs are fixed code, and vl-convert refuses an invalid one (the tests draw them all).
    return chart.to_dict(validate=False)


def line_chart(rows: list[dict], *, x: str, y: str, x_title: str, y_title: str, percent: bool = False) -> dict:
    """A line over months, with its points marked."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(color=BLUE, point=True)
        .encode(
            x=alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%m/%Y")),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=".0%" if percent else "d")),
        )
        .properties(width=460, height=180)
    )
    return chart.to_dict(validate=False)


def warm_up() -> None:
    """Start the chart engine now: its first chart costs about a second (a JavaScript runtime starts), the next ones
    some 50 ms, so a long-lived process (the job worker) pays it once at start rather than in its first report."""
    vl_convert.vegalite_to_png(bar_chart([{"c": "-", "v": 1}], category="c", value="v", category_title="-",
                                         value_title="-"), **locale_options())


# Vega's own d3 locales: months, decimal comma and thin spaces as the reader's language writes them.
VEGA_LOCALES = {"fr": "fr-FR", "en": "en-US"}


def locale_options() -> dict:
    """vl-convert's number and date locales for the reader's language (French outside a request)."""
    name = VEGA_LOCALES.get(formatting_locale().language, "fr-FR")
    return {"format_locale": name, "time_format_locale": name}


def svg(spec: dict) -> str:
    """The chart as SVG, in the reader's language."""
    return vl_convert.vegalite_to_svg(spec, **locale_options())


def png_data_uri(spec: dict) -> str:
    """The chart as a PNG data URI, for an ``<img>`` in the page and in the PDF, in the reader's language."""
    locales = locale_options()
    return _png(json.dumps(spec, sort_keys=True, default=str), locales["format_locale"],
                locales["time_format_locale"])


@lru_cache(maxsize=128)
def _png(spec_json: str, format_locale: str, time_format_locale: str) -> str:
    # Rasterising costs 100 to 200 ms (an irritant's tornado chart, the committee's funnel) and gives the same
    # bytes for the same spec and language: each worker draws a chart once per content, never a stale one.
    png = vl_convert.vegalite_to_png(spec_json, scale=2, format_locale=format_locale,
                                     time_format_locale=time_format_locale)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def drawn_once(build: Callable[..., dict]) -> Callable[..., MappingProxyType]:
    """Memoise a chart builder (its picture and alt text) by its arguments and the reader's language.

    Building a chart with Altair costs some 10 ms before its PNG (memoised in ``_png``) is even looked up: the
    report's five small charts were half of its page. The arguments must be hashable plain values (tuples of names
    and figures), so that any change of a figure is a new key and a drawing is never stale; the answer is read-only,
    as one mapping is shared by every page that shows the same chart.
    """

    @lru_cache(maxsize=128)
    def drawn(_language: tuple, *args) -> MappingProxyType:
        return MappingProxyType(build(*args))

    @wraps(build)
    def cached(*args) -> MappingProxyType:
        return drawn(locale_key(formatting_locale()), *args)

    cached.cache_clear = drawn.cache_clear
    return cached
