"""Charts drawn with Altair and rendered on the server by vl-convert, offline."""

from __future__ import annotations

import base64

import altair as alt
import vl_convert


def bar_chart(rows: list[dict], *, category: str, value: str, category_title: str, value_title: str) -> dict:
    """A horizontal bar chart spec (Vega-Lite), largest bar first."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#1d4ed8")
        .encode(
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(f"{category}:N", title=category_title, sort="-x"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title)],
        )
        .properties(width=460, height=max(60, 28 * len(rows)))
    )
    return chart.to_dict()


def png_data_uri(spec: dict) -> str:
    """The chart as a PNG data URI, for an ``<img>`` in the page and in the PDF."""
    png = vl_convert.vegalite_to_png(spec, scale=2)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
