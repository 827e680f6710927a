"""The programme report: figures from the records, a tagged French PDF, and a fetcher that fetches nothing else."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from exports.pdf import BASE_URL, RefusedResource, StaticOnlyFetcher
from exports.service import assemble_report
from tests import factories


def test_report_data_comes_from_the_records(world, db):
    data = assemble_report(db, world.programme)
    assert data["summary"]["collectivities"] == 2
    assert data["by_departement"] == {"58": 1, "89": 1}
    assert data["missing_departements"] == ["21", "25", "39", "70", "71", "90"]
    assert [row["count"] for row in data["irritants_by_theme"]] == [2]
    # Each world irritant: 10 × 12 × 30 / 60 × 2 = 120 h, so 240 h for the theme.
    assert data["irritants_by_theme"][0]["hours"] == 240


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


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_pdf_is_tagged_in_french_with_page_numbers_and_contents(client_as, world):
    reader = _pdf(client_as("steering").get(f"/programmes/{world.programme.slug}/rapport.pdf"))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert world.programme.name in text
    assert f"Page 2 / {len(reader.pages)}" in text
    assert "Sommaire" in text and "Chiffres clés" in text


def test_cli_writes_the_report(runner, world, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = runner.invoke(args=["report", "--programme", world.programme.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "écrit" in result.output


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
