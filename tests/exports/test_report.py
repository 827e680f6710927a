"""The programme report: figures from the records, a tagged French PDF, and a fetcher that fetches nothing else."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from exports.assembly import assemble_report
from exports.rendering import render_report_pdf
from hub.core.pdf import BASE_URL, RefusedResource, StaticOnlyFetcher
from participants.models import UsageMonth
from tests import factories


def test_report_data_comes_from_the_records(world, db):
    data = assemble_report(db, world.programme)
    assert data["summary"]["collectivities"] == 2
    assert data["by_departement"] == {"58": 1, "89": 1}
    assert data["missing_departements"] == ["21", "25", "39", "70", "71", "90"]
    assert [row["count"] for row in data["irritants_by_theme"]] == [2]
    # Each world irritant: 10 × 12 × 30 / 60 × 2 = 120 h, so 240 h for the theme.
    assert data["irritants_by_theme"][0]["hours"] == 240


def test_the_footprint_counts_only_the_ai_option_each_irritant_is_recommended(world, db):
    # 600 h a year, qualified: the cheaper of two AI variants wins; the other, with a million requests, was never
    # chosen and must add nothing (it used to add 240 kWh and 30 kg CO2e to the programme's total).
    irritant = factories.irritant(db, world.programme, world.own, occurrences_per_month=60, minutes_per_occurrence=25,
                                  evidence_level=2, actionability=2)
    factories.option(db, irritant, family="ia_generative", label="Assistant relu", reduction_pct=60,
                     requests_per_year=10_000, energy_wh_per_request=0.5, footprint_source="Mesure de l'éditeur")
    factories.option(db, irritant, family="ia_generative", label="Variante coûteuse", reduction_pct=60,
                     one_off_cost=20_000, requests_per_year=1_000_000)
    db.commit()
    footprint = assemble_report(db, world.programme)["recommendations"]["footprint"]
    assert footprint["options"] == 1 and footprint["requests"] == 10_000
    assert footprint["kwh"] == 5.0  # 10,000 × 0.5 Wh, the option's own figure
    # The option gave its energy only: its emissions come from the grid's intensity, never from Google's CO2e per Wh
    # (0.03 / 0.24 = 125 g per kWh would give 0.6 kg); 5 kWh × 41.44 g = 0.2 kg, and the source names both.
    assert footprint["co2e_kg"] == 0.2
    assert footprint["sources"] == ["énergie : Mesure de l'éditeur ; émissions : intensité carbone du réseau, "
                                    "EcoLogits 0.11.3, mix électrique français : 41,4 g CO2e par kWh"]


def test_the_footprint_also_counts_the_requests_measured_up_to_the_report_s_date(world, db):
    # The test world's two collectivities asked 120 requests each in October 2024; January 2025 comes after the date.
    db.add(UsageMonth(programme_id=world.programme.id, collectivity_id=world.own.id, month=date(2025, 1, 1),
                      active_users=8, requests=5_000))
    db.commit()
    early = 240
    report = assemble_report(db, world.programme, as_of=date(2024, 12, 31))
    measured = report["recommendations"]["footprint"]["measured"]
    assert measured["requests"] == early
    # The programme's default factor: 0.24 Wh and 0.03 g a request, with its source.
    assert measured["kwh"] == round(early * 0.24 / 1000, 1) and measured["co2e_kg"] == round(early * 0.03 / 1000, 1)
    assert measured["source"].startswith("Google, août 2025")


def test_report_page_shows_figures_and_charts_with_their_numbers(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport").get_data(as_text=True)
    assert "2 départements sur 8 représentés." in page
    assert 'alt="Irritants par thématique : Classement documentaire et trouvabilité 2."' in page
    assert 'src="data:image/png;base64,' in page


def test_an_empty_section_says_so_instead_of_an_empty_chart(client_as, db, world):
    empty = factories.programme(db)
    db.commit()
    page = client_as("steering").get(f"/programmes/{empty.slug}/rapport").get_data(as_text=True)
    assert "Aucun irritant n'a encore été relevé" in page
    assert "data:image/png" not in page


def _render(app, db, programme, **kwargs) -> PdfReader:
    with app.test_request_context("/"):
        pdf = render_report_pdf(assemble_report(db, programme), **kwargs)
    return PdfReader(io.BytesIO(pdf))


def test_report_has_every_section_of_the_method(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport").get_data(as_text=True)
    for heading in ("Chiffres clés", "Participants et représentativité", "Ateliers tenus et hypothèses",
                    "Irritants et entonnoir de qualification", "IA ou frugal", "Groupes de mutualisation régionaux",
                    "Décisions du comité de pilotage", "Usage de l'outil et impact", "Prochaines étapes",
                    "Annexe : la méthode et ses paramètres", "Annexes : une page par collectivité"):
        assert heading in page, heading
    # The annex pages name both collectivities; the method annex prints the parameters used.
    assert world.own.name in page and world.foreign.name in page
    assert "Paramètres par défaut de la méthode" in page


def test_funnel_counts_each_test_in_turn(world, db):
    data = assemble_report(db, world.programme)
    counts = {row["step"]: row["count"] for row in data["funnel"]}
    assert counts["identified"] == 2
    assert counts["identified"] >= counts["real"] >= counts["major"] >= counts["actionable"]
    world.own_irritant.evidence_level = 3
    world.own_irritant.actionability = 3
    db.add(world.own_irritant)
    db.flush()
    after = {row["step"]: row["count"] for row in assemble_report(db, world.programme)["funnel"]}
    assert after["real"] == counts["real"] + (1 if counts["real"] < 2 else 0)


def test_pdf_is_tagged_in_french_with_contents_and_page_numbers(app, db, world):
    reader = _render(app, db, world.programme)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert world.programme.name in text
    assert f"Page 2 / {len(reader.pages)}" in text
    assert "Sommaire" in text and "Chiffres clés" in text and "Prochaines étapes" in text


def test_annexes_rendered_in_parts_are_joined_into_one_tagged_document(app, db, world):
    whole = _render(app, db, world.programme)
    in_parts = _render(app, db, world.programme, annexes_per_part=1)
    assert len(in_parts.pages) == len(whole.pages)
    total = len(in_parts.pages)
    # Each collectivity's annex is one page, numbered on from the main part.
    last_two = in_parts.pages[-2].extract_text() + in_parts.pages[-1].extract_text()
    assert world.foreign.name in last_two and world.own.name in last_two
    assert f"Page {total} / {total}" in in_parts.pages[-1].extract_text()
    assert f"Page {total - 1} / {total}" in in_parts.pages[-2].extract_text()
    # Every page's content belongs to the one tag tree: its key is in the parent tree.
    tree = in_parts.trailer["/Root"]["/StructTreeRoot"]
    keys = set(tree["/ParentTree"]["/Nums"][0::2])
    assert all(page["/StructParents"] in keys for page in in_parts.pages)
    # And the outline lists the annexes, one entry per collectivity.
    titles = [item.title for item in in_parts.outline if not isinstance(item, list)]
    assert "Annexes : une page par collectivité" in titles


def test_table_of_contents_gives_the_pages_of_the_sections(app, db, world):
    reader = _render(app, db, world.programme)
    contents = reader.pages[1].extract_text()
    # Sections flow (no page left mostly blank): the heading stands on a line of its own, anywhere on its page.
    decisions_page = next(i + 1 for i, page in enumerate(reader.pages) if i > 1 and re.search(
        r"^Décisions du comité de pilotage$", page.extract_text(), re.M))
    assert re.search(rf"Décisions du comité de pilotage\W*{decisions_page}\b", contents)


def test_cli_writes_the_report(runner, world, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = runner.invoke(args=["report", "--programme", world.programme.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "écrit" in result.output
    assert "Rapport" in result.output  # the progress bar's label


def test_cli_writes_one_collectivity_sheet(runner, world, tmp_path):
    out = tmp_path / "fiche.pdf"
    result = runner.invoke(args=["report", "--programme", world.programme.slug, "--out", str(out),
                                 "--collectivity", world.own.slug])
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert world.own.name in text and "Fiche de la collectivité" in text
    assert world.foreign.name not in text


def test_cli_names_an_unknown_collectivity(runner, world, tmp_path):
    result = runner.invoke(args=["report", "--programme", world.programme.slug, "--out", str(tmp_path / "x.pdf"),
                                 "--collectivity", "inconnue"])
    assert result.exit_code != 0
    assert "Collectivité inconnue dans ce programme : inconnue" in result.output


def test_cli_names_an_unknown_programme(runner, world, tmp_path):
    result = runner.invoke(args=["report", "--programme", "inconnu", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert "Programme inconnu : inconnu" in result.output


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "https://exemple.org/logo.png",
    f"{BASE_URL}static/../../hub/config.py",
    f"{BASE_URL}autre/chose.css",
    "http://hub.invalid/static/report.css",
])
def test_fetcher_refuses_anything_but_our_static_files(app, url):
    fetcher = StaticOnlyFetcher(app.static_folder)
    with pytest.raises((RefusedResource, ValueError)):
        fetcher.fetch(url)


def test_fetcher_serves_our_stylesheet_and_inline_images(app):
    fetcher = StaticOnlyFetcher(app.static_folder)
    css = fetcher.fetch(f"{BASE_URL}static/report.css")
    assert b"@page" in css.read()
    image = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert image.read().startswith(b"\x89PNG")


def test_the_method_annex_describes_the_robustness_analysis_the_answers_come_from(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport").get_data(as_text=True)
    assert "500 tirages font varier ensemble chaque donnée estimée" in page
    assert "au moins 80\u00a0% des tirages" in page and "±20" not in page


def test_the_report_counts_each_irritant_s_estimate_once(client_as, world, db):
    from datetime import date

    from sqlmodel import select

    from irritants.impact import add_measure
    from irritants.models import Decision, DecisionIrritant

    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    for metric in ("Délai", "Temps de rédaction", "Réclamations"):
        add_measure(db, decision=db.get(Decision, link.decision_id), irritant=world.own_irritant, metric=metric,
                    unit="jours", baseline_value=7, baseline_on=date(2024, 10, 1), validated=True)
    db.commit()
    # The world's irritant: 120 h a year, the decided formation removes 30 %: 36 h, once for three metrics.
    assert assemble_report(db, world.programme)["usage"]["time_saved"]["estimated"] == 36
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport").get_data(as_text=True)
    assert "comptée une seule fois quel que soit le nombre d" in page


def test_time_saved_reads_not_yet_measured_instead_of_zero_over_zero(app, db, world):
    # Before any measure (a version as of the launch), the key figures said "0 / 0"; now they say what is true.
    from flask import render_template

    report = assemble_report(db, world.programme, as_of=date(2024, 1, 1), annexes=False)
    assert report["usage"]["time_saved"]["estimated"] == 0
    with app.test_request_context():
        html = render_template("exports/sections/summary.html", report=report, s=report["summary"],
                               p=report["programme"])
    assert 'estimées / réalisées</th><td class="number">pas encore mesuré</td>' in html
