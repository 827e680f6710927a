"""The report's charts: which figures get a picture, and the alt text that carries their numbers."""

from __future__ import annotations

from flask_babel import gettext as _

from hub.core.charts import bar_chart, line_chart, png_data_uri
from hub.core.i18n import number, percent, semicolons
from hub.core.labels import label


def _chart(spec: dict, alt_text: str) -> dict:
    return {"img": png_data_uri(spec), "alt": alt_text}


def _bars(rows: list[tuple[str, int]], title: str, category: str, value: str, *, sort: str | None = "-x") -> dict:
    values = [{"c": name, "v": n} for name, n in rows]
    alt_text = _("%(title)s : %(values)s.", title=title, values=semicolons(f"{name} {number(n)}" for name, n in rows))
    return _chart(bar_chart(values, category="c", value="v", category_title=category, value_title=value, sort=sort),
                  alt_text)


def report_charts(data: dict) -> dict[str, dict]:
    """Each chart the report's data can fill, by key; a section with no data gets none."""
    charts: dict[str, dict] = {}
    if data["by_departement"]:
        charts["departements"] = _bars(list(data["by_departement"].items()), _("Collectivités par département"),
                                       _("Département"), _("Collectivités"))
    if data["irritants_by_theme"]:
        charts["themes"] = _bars([(r["label"], r["count"]) for r in data["irritants_by_theme"]],
                                 _("Irritants par thématique"), _("Thématique"), _("Irritants"))
    if data["funnel"][0]["count"]:
        charts["funnel"] = _bars([(label("funnel", r["step"]), r["count"]) for r in data["funnel"]],
                                 _("Entonnoir de qualification"), _("Étape"), _("Irritants"), sort=None)
    if data["recommendations"]["by_family"]:
        charts["families"] = _bars([(label("family", family), n) for family, n in
                                    sorted(data["recommendations"]["by_family"].items())],
                                   _("Recommandations par famille de remède"), _("Famille"), _("Irritants"))
    months = [m for m in data["usage"]["months"] if m["rate"] is not None]
    if len(months) >= 2:
        alt_text = _("%(title)s : %(values)s.", title=_("Taux d'adoption de l'outil par mois"), values=semicolons(
            f"{m['month'][5:7]}/{m['month'][:4]} {percent(m['rate'])}" for m in months))
        charts["adoption"] = _chart(line_chart([{"m": m["month"], "r": m["rate"]} for m in months], x="m", y="r",
                                               x_title=_("Mois"), y_title=_("Adoption"), percent=True), alt_text)
    return charts
