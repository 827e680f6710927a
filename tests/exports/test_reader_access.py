"""What a référent reads of the report: their own collectivity's sheet and the programme's key figures, nothing more.

The sheet is scoped like every collectivity-owned object: another collectivity's answers 404, as a missing one
does, so a référent cannot learn which collectivities take part. The key figures are read from the latest
published version, reduced to counts before they reach the template: no collectivity's name, irritant or
decision text can show there, whatever the summary section prints tomorrow.
"""

from __future__ import annotations

from tests import factories


def _sheet_url(world, collectivity) -> str:
    return f"/programmes/{world.programme.slug}/collectivites/{collectivity.slug}/fiche.pdf"


def _key_figures_url(world) -> str:
    return f"/programmes/{world.programme.slug}/rapport/chiffres-cles"


def _publish(db, world):
    version = factories.published_version(db, world.programme)
    db.commit()
    return version


def test_a_referent_downloads_their_own_sheet(client_as, world):
    response = client_as("participant").get(_sheet_url(world, world.own))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f"fiche-{world.own.slug}-" in response.headers["Content-Disposition"]


def test_another_collectivitys_sheet_answers_404_like_a_missing_one(client_as, world):
    client = client_as("participant")
    foreign = client.get(_sheet_url(world, world.foreign))
    missing = client.get(f"/programmes/{world.programme.slug}/collectivites/nulle-part/fiche.pdf")
    assert foreign.status_code == missing.status_code == 404
    assert world.foreign.name.encode() not in foreign.data


def test_the_team_and_the_committee_still_read_every_sheet(client_as, world):
    for role in ("admin", "facilitator", "steering"):
        response = client_as(role).get(_sheet_url(world, world.foreign))
        assert response.status_code == 200, role
        assert response.mimetype == "application/pdf"


def test_the_sheet_is_linked_from_the_referents_board_and_collectivity_page(client_as, world):
    client = client_as("participant")
    board = client.get("/mon-tableau").get_data(as_text=True)
    page = client.get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    for html in (board, page):
        assert f'href="{_sheet_url(world, world.own)}"' in html
        assert "Fiche de la collectivité (PDF)" in html
        assert world.foreign.slug not in html
    assert f'href="{_key_figures_url(world)}"' in page


def test_a_referent_reads_the_programmes_key_figures_and_no_other_collectivity(client_as, db, world):
    _publish(db, world)
    response = client_as("participant").get(_key_figures_url(world))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Chiffres clés" in html
    # The programme's figures, not the référent's alone: both collectivities and both irritants are counted.
    assert '<th scope="row">Collectivités engagées</th><td class="number">2</td>' in html
    assert '<th scope="row">Irritants relevés</th><td class="number">2</td>' in html
    for leak in (world.foreign.name, world.foreign.slug, world.foreign_irritant.title, "Test"):
        assert leak not in html, leak
    # Their own sheet is one click away from the figures.
    assert f'href="{_sheet_url(world, world.own)}"' in html


def test_the_key_figures_before_any_publication(client_as, world):
    response = client_as("participant").get(_key_figures_url(world))
    assert response.status_code == 200
    assert "Aucune version du rapport n'est encore publiée" in response.get_data(as_text=True)


def test_a_referent_reads_only_the_key_figures_of_their_own_programmes(client_as, db, world):
    other = factories.programme(db)
    factories.collectivity(db, other, name="Autunois")
    factories.published_version(db, other)
    db.commit()
    response = client_as("participant").get(f"/programmes/{other.slug}/rapport/chiffres-cles")
    assert response.status_code == 404


def test_the_team_and_the_committee_read_the_key_figures(client_as, db, world):
    version = _publish(db, world)
    for role in ("admin", "facilitator", "steering"):
        response = client_as(role).get(_key_figures_url(world))
        assert response.status_code == 200, role
        assert f"/rapport/versions/{version.number}" in response.get_data(as_text=True)


def test_the_whole_report_stays_closed_to_a_referent(client_as, db, world):
    # The on-screen report, a published version and its PDF print every collectivity's annex and top irritants.
    version = _publish(db, world)
    client = client_as("participant")
    base = f"/programmes/{world.programme.slug}/rapport"
    for url in (base, f"{base}/versions", f"{base}/versions/{version.number}",
                f"{base}/versions/{version.number}.pdf", f"{base}/comparer?de={version.number}"):
        assert client.get(url).status_code == 403, url
