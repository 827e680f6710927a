"""The robustness analysis on the irritant's page: win shares, the value's spread and a tornado chart.

The analysis (irritants.robustness) is pure; this module words it and draws it, beside the views.
"""

from __future__ import annotations

import altair as alt
from flask_babel import gettext as _

from hub.core.charts import BLUE, png_data_uri
from hub.core.i18n import say
from irritants.robustness import Robustness, rounded_down
from irritants.scoring import REFORMULATE

RED = "#b91c1c"


def tornado_spec(rows: list[dict], *, title: str) -> dict:
    """A diverging bar per input: how many points the winning share gains (or loses) from its lower to upper third."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("change:Q", title=title, axis=alt.Axis(format="d")),
            y=alt.Y("name:N", title=None, sort=None),
            color=alt.condition(alt.datum.change >= 0, alt.value(BLUE), alt.value(RED)),
        )
        .properties(width=380, height=max(60, 28 * len(rows)))
    )
    return chart.to_dict(validate=False)


def robustness_panel(verdict: Robustness) -> dict:
    """What the page shows: the verdict, each answer's share of draws, P10/P50/P90, the inputs that move it most."""
    # Each share to a tenth of a point, rounded down as the verdict's sentence rounds it: the table never reads
    # 60 % beside a sentence that says 59 % (a share of 59.8 %); with 500 draws a tenth is exact.
    shares = [{"label": _("Reformuler ou abandonner") if key == REFORMULATE else verdict.labels[key],
               "share": rounded_down(share, 1000) / 1000,
               "recommended": key == (REFORMULATE if verdict.chosen is None else verdict.chosen)}
              for key, share in verdict.shares.items() if share > 0 or key != REFORMULATE]
    # The three inputs that move the answer most; an input that moves it by less than a point is left out, so a
    # robust answer shows no chart of zeros but a sentence saying nothing moves it.
    rows = [{"name": say(e.name), "lower": round(e.lower_share * 100), "upper": round(e.upper_share * 100),
             "change": round(e.change * 100)} for e in verdict.effects[:3]]
    rows = [row for row in rows if row["change"] != 0]
    chart = alt_text = None
    if rows:
        title = _("Points de part gagnés par l'option recommandée, du tiers bas au tiers haut")
        chart = png_data_uri(tornado_spec(rows, title=title))
        # Each item worded first: pybabel does not extract a gettext call nested in another one's arguments.
        items = [_("%(name)s, %(lower)s %% des tirages gagnés dans son tiers bas, %(upper)s %% dans son tiers haut",
                   name=r["name"], lower=r["lower"], upper=r["upper"]) for r in rows]
        alt_text = _("Données qui font le plus changer la réponse : %(items)s.", items="; ".join(items))
    return {"verdict": verdict, "shares": shares, "effects": rows, "chart": chart, "alt": alt_text}
