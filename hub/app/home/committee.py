"""The steering committee's dashboard: the qualification funnel, AI or frugal, the tool's adoption and the decisions.

Each figure is counted by the very condition its drill-down lists (``FIGURES``), so that the irritants behind a bar
are exactly the bar's number. The charts are the report's own (exports.report_charts), drawn offline in the
reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from exports.report_charts import LABEL_WIDTH, SMALL_BAR, SMALL_WIDTH, summary_charts
from hub.core.charts import BLUE, png_data_uri
from hub.core.i18n import number, semicolons
from hub.core.labels import label
from hub.core.models import Programme
from hub.core.pagination import Page, paginate
from irritants import answers
from irritants.models import DECISION_KINDS, QUALIFIED_STATUSES, Decision, DecisionIrritant, Irritant, priority_order
from irritants.scoring import AI_FAMILIES, FRUGAL_FAMILIES
from participants import usage
from participants.models import Collectivity

FUNNEL = ("identifies", "reels", "majeurs", "actionnables", "qualifies")
FAMILIES = ("ia", "frugal", "a-reformuler")
FUNNEL_LABELS = dict(zip(FUNNEL, ("identified", "real", "major", "actionable", "qualified")))
FAMILY_LABELS = {"ia": _l("IA"), "frugal": _l("Frugal, sans IA"), "a-reformuler": _l("À reformuler ou estimer")}


def _conditions(params: dict) -> dict[str, sa.ColumnElement]:
    """Each figure's condition on Irritant, as the report counts it (exports.assembly): a proposal not yet reviewed
    is no finding."""
    recorded = Irritant.status != "proposed"
    real = sa.and_(recorded, Irritant.evidence_level >= params["min_evidence_level"])
    major = sa.and_(real, sa.or_(Irritant.hours_per_year >= params["major_threshold_hours"], Irritant.impact_citizens,
                                 Irritant.compliance_risk, Irritant.mental_load))
    figures = {
        "identifies": recorded, "reels": real, "majeurs": major,
        "actionnables": sa.and_(major, Irritant.actionability >= params["min_actionability"]),
        "qualifies": Irritant.status.in_(QUALIFIED_STATUSES),
        "ia": Irritant.recommended_family.in_(AI_FAMILIES),
        "frugal": Irritant.recommended_family.in_(FRUGAL_FAMILIES),
        "a-reformuler": sa.and_(Irritant.recommended_family.is_not(None),
                                Irritant.recommended_family.not_in(AI_FAMILIES + FRUGAL_FAMILIES)),
    }
    for kind in DECISION_KINDS:
        figures[f"decision-{kind}"] = sa.exists().where(
            DecisionIrritant.irritant_id == Irritant.id, DecisionIrritant.decision_id == Decision.id,
            Decision.kind == kind)
    return figures


FIGURES = (*FUNNEL, *FAMILIES, *(f"decision-{kind}" for kind in DECISION_KINDS))


def figure_title(key: str) -> str:
    """The words of a figure, for its drill-down's heading."""
    if key in FUNNEL_LABELS:
        return _("Entonnoir de qualification : %(step)s", step=label("funnel", FUNNEL_LABELS[key]))
    if key in FAMILY_LABELS:
        return _("Recommandations : %(family)s", family=FAMILY_LABELS[key])
    return _("Décisions du comité : %(kind)s", kind=label("decision", key.removeprefix("decision-")))


def figure_page(session: Session, *, programme: Programme, key: str, number: int, size: int) -> Page:
    """The programme's irritants behind one figure, highest priority first: (irritant, collectivity name)."""
    _version, params = answers.parameters(session, programme_id=programme.id)
    statement = (select(Irritant, Collectivity.name).join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                 .where(Irritant.programme_id == programme.id, _conditions(params)[key])
                 .order_by(*priority_order()))
    count = select(sa.func.count(Irritant.id)).where(Irritant.programme_id == programme.id, _conditions(params)[key])
    return paginate(session, statement, number, size, count=count)


@dataclass(frozen=True)
class Bar:
    """One figure of the dashboard: its words, its number and the key of the irritants behind it."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """What the committee reads: dated figures, their charts and their tables."""

    as_of: date
    funnel: list[Bar]
    families: list[Bar]
    decisions: list[Bar]
    adoption: list[dict]
    charts: dict


def _decisions_chart(bars: list[Bar]) -> dict:
    """Irritants by decision, drawn like the report's small charts: each bar prints its own number."""
    values = [{"c": bar.label, "v": bar.count, "t": number(bar.count)} for bar in bars]
    top = max(bar.count for bar in bars)
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("c:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_WIDTH, labelFontSize=10)),
        x=alt.X("v:Q", title=None, axis=None, scale=alt.Scale(domain=[0, (top or 1) * 1.3])))
    spec = (base.mark_bar(color=BLUE) + base.mark_text(align="left", dx=3, fontSize=10, color="#111")
            .encode(text="t:N")).properties(width=SMALL_WIDTH - LABEL_WIDTH, height=SMALL_BAR * len(bars)) \
        .configure_view(strokeWidth=0).to_dict(validate=False)
    alt_text = _("%(title)s : %(values)s.", title=_("Irritants par décision du comité"),
                 values=semicolons(f"{bar.label} {number(bar.count)}" for bar in bars))
    return {"img": png_data_uri(spec), "alt": alt_text}


def dashboard(session: Session, *, programme: Programme, today: date) -> Dashboard:
    """The programme's figures on ``today``: one grouped count for the irritants, one for the decisions."""
    _version, params = answers.parameters(session, programme_id=programme.id)
    conditions = _conditions(params)
    counted = (*FUNNEL, *FAMILIES)
    counts = session.exec(select(*(sa.func.count(sa.case((conditions[key], 1))) for key in counted))
                          .where(Irritant.programme_id == programme.id)).one()
    by_key = dict(zip(counted, counts))
    funnel = [Bar(key, label("funnel", FUNNEL_LABELS[key]), by_key[key]) for key in FUNNEL]
    families = [Bar(key, str(FAMILY_LABELS[key]), by_key[key]) for key in FAMILIES if by_key[key]]
    by_kind = dict(session.exec(select(Decision.kind, sa.func.count(sa.distinct(DecisionIrritant.irritant_id)))
                                .join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                                .where(Decision.programme_id == programme.id).group_by(Decision.kind)).all())
    decisions = [Bar(f"decision-{kind}", label("decision", kind), by_kind[kind]) for kind in DECISION_KINDS
                 if by_kind.get(kind)]
    _calendar, _names, _per_collectivity, totals = usage.adoption_table(session, programme=programme)
    adoption = [{"month": m.month.isoformat(), "seats": m.seats, "active_users": m.active_users, "rate": m.rate}
                for m in totals if m.active_users is not None]
    # The report's own small charts, fed with the dashboard's figures (no survey, no time saved: other pages).
    charts = summary_charts({
        "funnel": [{"step": FUNNEL_LABELS[bar.key], "count": bar.count} for bar in funnel],
        "recommendations": {"by_family": _by_family(families)},
        "usage": {"months": adoption, "surveys": [],
                  "time_saved": {"estimated": 0, "measured": 0, "self_reported": 0}},
    })
    if decisions:
        charts["decisions"] = _decisions_chart(decisions)
    return Dashboard(as_of=today, funnel=funnel, families=families, decisions=decisions, adoption=adoption,
                     charts=charts)


def _by_family(families: list[Bar]) -> dict[str, int]:
    """The families' counts in the shape the report's chart groups (one family standing for each group)."""
    stand_in = {"ia": AI_FAMILIES[0], "frugal": FRUGAL_FAMILIES[0], "a-reformuler": "reformulate"}
    return {stand_in[bar.key]: bar.count for bar in families}
