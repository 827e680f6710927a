"""The report opens on its executive summary: two pages at most, plain words, « pas encore mesuré » over « 0 / 0 »."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlmodel import select

from exports.assembly import assemble_report
from exports.rendering import render_report_pdf, report_html
from hub.core.models import Programme
from irritants.models import Irritant, priority_order
from participants.models import Collectivity

DEMO = "experimentation-ia-2024-bfc"


@pytest.fixture
def demo(runner, db) -> Programme:
    """The demonstration programme, the richest report the hub has."""
    result = runner.invoke(args=["demo"], env={"HUB_DEMO_PASSWORD": "mot-de-passe-demo"})
    assert result.exit_code == 0, result.output
    return db.exec(select(Programme).where(Programme.slug == DEMO)).one()


def _summary(html: str) -> str:
    return html[html.index('id="synthese"'):html.index('id="participants"')]


def _text(items: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", items)).replace("&#39;", "'")


def test_the_summary_follows_the_contents_and_fits_in_two_pages(app, db, demo):
    with app.test_request_context("/"):
        reader = PdfReader(io.BytesIO(render_report_pdf(assemble_report(db, demo))))
    pages = [page.extract_text().lstrip() for page in reader.pages]
    assert pages[1].startswith("Sommaire")
    assert pages[2].startswith("Synthèse\n")
    details = next(i for i, text in enumerate(pages) if text.startswith("Participants et représentativité"))
    assert details - 2 <= 2  # the detailed sections start at most two pages after the summary's first
    assert re.search(r"Synthèse et chiffres clés\W*3\b", pages[1])
    # Sections flow: the contents give each section's page, wherever on the page its heading falls.
    for heading in ("Décisions du comité de pilotage", "Usage de l'outil et impact", "Prochaines étapes"):
        listed = int(re.search(rf"{re.escape(heading)}\W*(\d+)", pages[1]).group(1))
        assert re.search(rf"^{re.escape(heading)}$", pages[listed - 1], re.MULTILINE), heading


def test_a_figure_without_a_measure_says_so(app, db, world):
    # As of the programme's start: no survey, no usage, no estimate, nothing realised.
    report = assemble_report(db, world.programme, as_of=date(2024, 1, 1), annexes=False)
    with app.test_request_context("/"):
        summary = _summary(report_html(report))
    assert summary.count("pas encore mesuré") >= 4  # satisfaction, hours estimated and realised, adoption
    assert "0 / 0" not in summary and not re.search(r"(?:^| )0 h\b", _text(summary))


def test_the_five_recommendations_that_matter_most_come_highest_priority_first(app, db, demo):
    report = assemble_report(db, demo, annexes=False)
    with app.test_request_context("/"):
        summary = _summary(report_html(report))
    items = re.findall(r"<li><strong>(.*?)</strong> — (.*?)\.\s", summary.split('class="top-five"')[1])
    expected = db.exec(select(Irritant.title, Collectivity.name)
                       .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                       .where(Irritant.programme_id == demo.id, Irritant.priority_value.is_not(None))
                       .order_by(*priority_order()).limit(5)).all()
    assert [(_text(t), _text(c)) for t, c in items] == [(t, c) for t, c in expected]
    first = _text(summary.split('class="top-five"')[1].split("</li>")[0])
    assert "Remède recommandé : IA générative" in first and "Pourquoi : 960 heures perdues par an" in first


def test_the_decisions_taken_are_counted_and_listed(app, db, demo):
    report = assemble_report(db, demo, annexes=False)
    with app.test_request_context("/"):
        summary = _text(_summary(report_html(report)))
    assert f"Le comité de pilotage a pris {len(report['decisions'])} décisions" in summary
    latest = max(report["decisions"], key=lambda d: d["decided_on"])
    assert latest["irritants"][0] in summary
    assert f"Et {len(report['decisions']) - 5} autres décisions" in summary
    # What comes next: the steps the records leave, in words.
    assert "irritants restent à qualifier" in summary


def test_the_screen_report_opens_on_the_summary(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport").get_data(as_text=True)
    body = page[page.index("</nav>", page.index('class="contents"')):]
    assert body.index('id="synthese"') < body.index('id="participants"')
    assert "Les cinq recommandations qui comptent le plus" in page
