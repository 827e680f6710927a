"""What a page draws once per content (the robustness verdict, a chart's PNG) follows every change of its inputs."""

from __future__ import annotations

from hub.core.charts import png_data_uri
from tests import factories
from tests.hub.test_french_typography import reading_in


def _robustness_section(client, irritant_id: int) -> str:
    page = client.get(f"/irritants/{irritant_id}").get_data(as_text=True)
    return page.split('id="robustness-title"')[1].split("</section>")[0]


def test_the_robustness_verdict_follows_a_new_option_and_a_changed_one(client_as, world, db):
    irritant = factories.irritant(db, world.programme, world.own, title="Courrier entrant")
    first = factories.option(db, irritant, label="Formation au tri", reduction_pct=30)
    db.commit()
    client = client_as("facilitator")
    before = _robustness_section(client, irritant.id)
    assert "Formation au tri" in before and before == _robustness_section(client, irritant.id)  # drawn again alike
    factories.option(db, irritant, family="processus", label="Circuit du courrier revu", reduction_pct=60)
    db.commit()
    assert "Circuit du courrier revu" in _robustness_section(client, irritant.id)
    first.label = "Formation au tri, renommée"
    db.add(first)
    db.commit()
    assert "Formation au tri, renommée" in _robustness_section(client, irritant.id)


def test_a_chart_is_drawn_once_per_spec_and_language(app):
    spec = {"data": {"values": [{"a": "x", "b": 1.5}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    with reading_in(app, "fr"):
        french = png_data_uri(spec)
        assert png_data_uri(spec) == french
        changed = png_data_uri({**spec, "data": {"values": [{"a": "x", "b": 3}]}})
    with reading_in(app, "en"):
        english = png_data_uri(spec)
    assert changed != french and english != french  # another value, another language: another drawing


def _summary(funnel_counts: list[int], satisfied: list[float]) -> dict:
    """The report data the executive summary's charts read: a qualification funnel and two survey waves."""
    steps = ("identified", "real", "major", "actionable")
    return {"funnel": [{"step": step, "count": n} for step, n in zip(steps, funnel_counts)],
            "recommendations": {"by_family": {}},
            "usage": {"months": [], "time_saved": {"estimated": 0, "measured": 0, "self_reported": 0},
                      "surveys": [{"label": label, "respondents": 20, "share": share}
                                  for label, share in zip(("Enquête 1", "Enquête 2"), satisfied)]}}


def test_the_report_s_charts_are_built_once_per_figures_and_language_and_follow_any_change(app):
    from exports.report_charts import summary_charts

    with reading_in(app, "fr"):
        french = summary_charts(_summary([60, 42, 30, 18], [0.55, 0.72]))
        again = summary_charts(_summary([60, 42, 30, 18], [0.55, 0.72]))
        changed = summary_charts(_summary([60, 42, 30, 17], [0.55, 0.72]))
    with reading_in(app, "en"):
        english = summary_charts(_summary([60, 42, 30, 18], [0.55, 0.72]))
    assert again["funnel"] is french["funnel"]  # the same figures in the same language: built once
    assert "18" in french["funnel"]["alt"] and "17" in changed["funnel"]["alt"]
    assert changed["funnel"]["img"] != french["funnel"]["img"]
    assert changed["satisfaction"] is french["satisfaction"]  # a chart whose figures did not change is kept
    assert english["funnel"]["alt"] != french["funnel"]["alt"]  # another language, another drawing
