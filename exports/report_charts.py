"""The report's charts: which figures get a picture, and the alt text that carries their numbers.

Each chart is drawn once: the executive summary's small charts (qualification, AI or frugal, adoption,
satisfaction, time saved) are not drawn again in the detailed sections, whose tables carry the same numbers.
"""

from __future__ import annotations

import altair as alt
from flask_babel import gettext as _

from hub.core.charts import BLUE, bar_chart, drawn_once, png_data_uri
from hub.core.i18n import number, percent, semicolons
from hub.core.labels import label
from irritants.scoring import AI_FAMILIES, FRUGAL_FAMILIES

# The summary's charts sit two to a row on an A4 page: drawn at the size they are printed, their text stays legible.
SMALL_WIDTH = 310
LABEL_WIDTH = 185
SMALL_BAR = 22


def _chart(spec: dict, alt_text: str) -> dict:
    return {"img": png_data_uri(spec), "alt": alt_text}


@drawn_once
def _bars(rows: tuple[tuple[str, int], ...], title: str, category: str, value: str, sort: str | None = "-x") -> dict:
    values = [{"c": name, "v": n} for name, n in rows]
    alt_text = _("%(title)s : %(values)s.", title=title, values=semicolons(f"{name} {number(n)}" for name, n in rows))
    return _chart(bar_chart(values, category="c", value="v", category_title=category, value_title=value, sort=sort),
                  alt_text)


@drawn_once
def _small_bars(rows: tuple[tuple[str, float, str], ...], title: str, share: bool = False) -> dict:
    """A small horizontal bar chart whose every bar prints its own figure: read at a glance, without a scale."""
    values = [{"c": name, "v": value, "t": text} for name, value, text in rows]
    top = max(value for _name, value, _text in rows)
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("c:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_WIDTH, labelFontSize=10)),
        # Room on the right of the longest bar for its figure.
        x=alt.X("v:Q", title=None, axis=None, scale=alt.Scale(domain=[0, 1.3 if share else (top or 1) * 1.3])))
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#111").encode(text="t:N")
    spec = (bars + labels).properties(width=SMALL_WIDTH - LABEL_WIDTH, height=SMALL_BAR * len(rows)).configure_view(
        strokeWidth=0).to_dict(validate=False)
    alt_text = _("%(title)s : %(values)s.", title=title, values=semicolons(f"{name} {text}" for name, _v, text in rows))
    return _chart(spec, alt_text)


@drawn_once
def _small_line(months: tuple[tuple[str, float], ...], title: str) -> dict:
    """The adoption rate month by month (« 2024-03 », rate), small, its first and last points labelled."""
    values = [{"m": month, "r": rate, "t": percent(rate) if i in (0, len(months) - 1) else ""}
              for i, (month, rate) in enumerate(months)]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("m:T", title=None, axis=alt.Axis(format="%m/%y", labelFontSize=10, tickCount=4)),
        y=alt.Y("r:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", labelFontSize=10,
                                                                                  tickCount=3)))
    line = base.mark_line(color=BLUE, point=True)
    labels = base.mark_text(dy=-9, fontSize=11, color="#111").encode(text="t:N")
    spec = ((line + labels).properties(width=SMALL_WIDTH - 40, height=100).configure_view(strokeWidth=0)
            .to_dict(validate=False))  # hub.core.charts says why no validation
    alt_text = _("%(title)s : %(values)s.", title=title, values=semicolons(
        f"{month[5:7]}/{month[:4]} {percent(rate)}" for month, rate in months))
    return _chart(spec, alt_text)


def ai_or_frugal(by_family: dict[str, int]) -> list[tuple[str, int]]:
    """The recommendations in three words: AI, frugal (no AI), or not yet answerable; empty groups left out."""
    groups = [(_("IA"), sum(n for f, n in by_family.items() if f in AI_FAMILIES)),
              (_("Frugal, sans IA"), sum(n for f, n in by_family.items() if f in FRUGAL_FAMILIES)),
              (_("À reformuler ou estimer"),
               sum(n for f, n in by_family.items() if f not in AI_FAMILIES and f not in FRUGAL_FAMILIES))]
    return [(name, n) for name, n in groups if n]


def summary_charts(data: dict) -> dict[str, dict]:
    """The executive summary's small charts, by key; a figure with no measure yet gets none (the page says so)."""
    charts: dict[str, dict] = {}
    if data["funnel"][0]["count"]:
        charts["funnel"] = _small_bars(tuple((label("funnel", r["step"]), r["count"], number(r["count"]))
                                             for r in data["funnel"]), _("Entonnoir de qualification"))
    groups = ai_or_frugal(data["recommendations"]["by_family"])
    if groups:
        charts["families"] = _small_bars(tuple((name, n, number(n)) for name, n in groups),
                                         _("Recommandations : IA ou frugal"))
    months = [m for m in data["usage"]["months"] if m["rate"] is not None]
    if len(months) >= 2:
        charts["adoption"] = _small_line(tuple((m["month"], m["rate"]) for m in months),
                                         _("Taux d'adoption de l'outil par mois"))
    # One survey wave is a figure, not a trend: the summary prints it as a number.
    waves = [w for w in data["usage"]["surveys"] if w["respondents"]]
    if len(waves) >= 2:
        charts["satisfaction"] = _small_bars(tuple((w["label"], w["share"], percent(w["share"])) for w in waves),
                                             _("Part de satisfaits, par enquête"), True)
    saved = data["usage"]["time_saved"]
    rows = [(_("Estimé"), saved["estimated"]), (_("Réalisé, mesuré"), saved["measured"]),
            (_("Réalisé, déclaré"), saved["self_reported"])]
    if saved["estimated"] and saved["measured"] + saved["self_reported"]:
        charts["time_saved"] = _small_bars(tuple((name, v, _("%(h)s h", h=number(v)) if v else _("pas encore mesuré"))
                                                 for name, v in rows), _("Heures gagnées par an"))
    return charts


def report_charts(data: dict) -> dict[str, dict]:
    """Each chart the report's data can fill, by key (the summary's under ``summary``); no data, no chart."""
    charts: dict[str, dict] = {"summary": summary_charts(data)}
    if data["by_departement"]:
        charts["departements"] = _bars(tuple(data["by_departement"].items()), _("Collectivités par département"),
                                       _("Département"), _("Collectivités"))
    if data["irritants_by_theme"]:
        charts["themes"] = _bars(tuple((r["label"], r["count"]) for r in data["irritants_by_theme"]),
                                 _("Irritants par thématique"), _("Thématique"), _("Irritants"))
    return charts
