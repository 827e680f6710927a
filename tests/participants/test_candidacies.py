"""Candidacies, the selection grid with the hub's proposal, and the cohort's coverage."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select

from participants.models import Enrolment, EnrolmentEvent
from tests import factories
from tests.conftest import logged_in
from tests.hub.fuzz_support import post_forms


def test_the_team_records_a_candidacy_with_motivation_and_date(client_as, world, db):
    candidate = factories.collectivity(db, name="Lormes-le-Neuf", departement_code="21")
    db.commit()
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/candidatures", data={
        "collectivity_id": candidate.id, "motivation": "Accueil saturé", "applied_on": "2024-02-12"})
    assert response.status_code == 302
    enrolment = db.exec(select(Enrolment).where(Enrolment.collectivity_id == candidate.id)).one()
    assert (enrolment.status, enrolment.applied_on, enrolment.motivation) == ("candidacy", date(2024, 2, 12),
                                                                               "Accueil saturé")
    event = db.exec(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id == enrolment.id)).one()
    assert event.to_status == "candidacy" and event.by_user_id == world.users["facilitator"].id


def test_a_candidacy_needs_its_motivation_and_keeps_what_was_typed(client_as, world, db):
    candidate = factories.collectivity(db, name="Sans motivation")
    db.commit()
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/candidatures", data={
        "collectivity_id": candidate.id, "motivation": "", "applied_on": "31/02/2024"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Résumez la motivation de la collectivité." in page
    date_field = re.search(r'<input[^>]*id="applied_on"[^>]*>', page).group(0)
    # Marked wrong, ready to take the focus when it is the first wrong field, and what was typed is kept.
    assert 'aria-invalid="true"' in date_field and "autofocus" in date_field and 'value="31/02/2024"' in date_field


def test_a_french_date_is_understood(client_as, world, db):
    candidate = factories.collectivity(db, name="Date à la française")
    db.commit()
    client_as("facilitator").post(f"/programmes/{world.programme.slug}/candidatures", data={
        "collectivity_id": candidate.id, "motivation": "Oui", "applied_on": "12/02/2024"})
    enrolment = db.exec(select(Enrolment).where(Enrolment.collectivity_id == candidate.id)).one()
    assert enrolment.applied_on == date(2024, 2, 12)


def test_motivation_scores_go_from_0_to_5(client_as, world, db):
    enrolment = world.enrolment(db, world.own)
    url = f"/programmes/{world.programme.slug}/candidatures/{enrolment.id}/note"
    client = client_as("facilitator")
    refused = client.post(url, data={f"s{enrolment.id}-score": "7"})
    assert refused.status_code == 422
    assert "La note va de 0 à 5." in refused.get_data(as_text=True)
    assert 'value="7"' in refused.get_data(as_text=True)
    assert client.post(url, data={f"s{enrolment.id}-score": "4"}).status_code == 302
    db.expire_all()
    assert db.get(Enrolment, enrolment.id).motivation_score == 4


def _grid(client, world, seats=None):
    suffix = f"?places={seats}" if seats is not None else ""
    return client.get(f"/programmes/{world.programme.slug}/candidatures{suffix}").get_data(as_text=True)


def test_the_grid_shows_what_each_candidacy_adds_and_the_proposal_explained(client_as, world, db):
    newcomer = factories.collectivity(db, name="Syndicat du Doubs", kind="syndicat_mixte", departement_code="25")
    db.add(Enrolment(programme_id=world.programme.id, collectivity_id=newcomer.id, applied_on=date(2024, 2, 1),
                     motivation_score=1))
    db.commit()
    page = _grid(client_as("facilitator"), world, seats=1)
    row = page.split("Syndicat du Doubs")[1].split("</tr>")[0]
    assert "Département nouveau (25)" in row and "Type nouveau" in row
    assert "Rang 1" in row
    assert "apporte le département 25, absent de la cohorte (motivation 1/5)" in row
    assert page.count("Non proposée :") == 2


def test_the_proposal_decides_nothing(client_as, world, db):
    before = {e.id: e.status for e in db.exec(select(Enrolment))}
    _grid(client_as("facilitator"), world, seats=0)
    db.expire_all()
    assert {e.id: e.status for e in db.exec(select(Enrolment))} == before


def test_coverage_names_missing_departements_with_a_chart(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/couverture").get_data(as_text=True)
    assert "2 / 8" in page
    assert "Départements de la région sans collectivité : 21, 25, 39, 70, 71, 90." in page
    assert 'alt="Collectivités retenues par département : 21 0 ; 25 0 ; 39 0 ; 58 1 ;' in page


def test_coverage_names_the_departements_once_the_registry_is_loaded(client_as, world, db):
    from participants import registry

    registry.load(db, region="27")
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/couverture").get_data(as_text=True)
    assert ("Départements de la région sans collectivité : Côte-d&#39;Or (21), Doubs (25), Jura (39), "
            "Haute-Saône (70), Saône-et-Loire (71), Territoire de Belfort (90).") in page
    assert "<td>Nièvre (58)</td>" in page


def test_demo_coverage_is_4_of_8_departements_and_3_kinds(app, runner, db):
    from hub.core.models import Programme, User

    result = runner.invoke(args=["demo"], env={"HUB_DEMO_PASSWORD": "mot-de-passe-demo"})
    assert result.exit_code == 0, result.output
    slug = "experimentation-ia-2024-bfc"
    assert db.exec(select(Programme).where(Programme.slug == slug)).one()
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(db.exec(select(User.id).where(User.email == "comite@demo.hub")).one())
        flask_session["_epoch"] = 0  # a new account's first session (hub.core.auth)
    page = client.get(f"/programmes/{slug}/couverture").get_data(as_text=True)
    assert "<dd>4 / 8</dd>" in page
    assert "<dd>3</dd>" in page  # commune, EPCI, syndicat mixte
    assert "Départements de la région sans collectivité : 25, 39, 70, 90." in page


def test_the_grid_is_paginated_but_the_proposal_weighs_every_candidacy(app, client_as, world):
    app.config["PAGE_SIZE"] = 1
    client = client_as("facilitator")
    first = _grid(client, world, seats=1)
    assert "Page 1 sur 2" in first
    second = client.get(f"/programmes/{world.programme.slug}/candidatures?places=1&page=2").get_data(as_text=True)
    # One seat in all: exactly one of the two pages shows the proposed candidacy.
    assert (first.count("Rang 1<") + second.count("Rang 1<")) == 1


def test_the_proposal_s_reasons_follow_the_reader_s_language(client_as, world, db):
    newcomer = factories.collectivity(db, name="Syndicat du Doubs", kind="syndicat_mixte", departement_code="25",
                                      population=12500)
    db.add(Enrolment(programme_id=world.programme.id, collectivity_id=newcomer.id, applied_on=date(2024, 2, 1),
                     motivation_score=1))
    db.commit()
    client = client_as("facilitator")
    french = _grid(client, world, seats=1)
    assert "Proposée : apporte le département 25, absent de la cohorte (motivation 1/5)." in french
    assert "Non proposée : apporterait le département" in french
    assert "mais la place va à une candidature classée avant elle" in french

    client.post("/langue", data={"lang": "en"})
    english = _grid(client, world, seats=1)
    assert "Proposed: brings département 25, not yet in the cohort (motivation 1/5)." in english
    assert "but the place goes to an application ranked higher (new département first, then new type" in english
    assert "Not proposed: would bring département" in english
    two_seats = _grid(client, world, seats=2)
    assert "but the 2 places go to applications ranked higher" in two_seats
    assert "Proposed: brings département 58, not yet in the cohort (motivation not scored)." in two_seats
    for french_only in ("Proposée :", "Non proposée :", "absent de la cohorte", "candidature classée"):
        assert french_only not in english


def test_a_grid_page_holds_20_candidacies_each_with_its_two_forms(client_as, world, db):
    for n in range(22):
        candidate = factories.collectivity(db, name=f"Candidate {n:02d}", departement_code="21")
        db.add(Enrolment(programme_id=world.programme.id, collectivity_id=candidate.id, applied_on=date(2024, 2, 1)))
    db.commit()
    first = _grid(client_as("facilitator"), world)
    assert first.count('/note"') == 20 and "Page 1 sur 2" in first  # one score form per row, 20 rows


def _newcomer(db, world, score: int | None = None) -> Enrolment:
    """A syndicat mixte of the Doubs (a département the cohort lacks) applies, with this motivation score."""
    newcomer = factories.collectivity(db, name="Syndicat du Doubs", kind="syndicat_mixte", departement_code="25")
    enrolment = Enrolment(programme_id=world.programme.id, collectivity_id=newcomer.id, applied_on=date(2024, 2, 1),
                          motivation_score=score)
    db.add(enrolment)
    db.commit()
    return enrolment


def test_the_weighed_selection_follows_every_change_of_a_candidacy(client_as, world, db):
    # The proposal is weighed once per state of the candidacies: a new score must show at once, never a stale one.
    enrolment = _newcomer(db, world, score=1)
    client = client_as("facilitator")
    assert "absent de la cohorte (motivation 1/5)" in _grid(client, world, seats=1)
    assert client.post(f"/programmes/{world.programme.slug}/candidatures/{enrolment.id}/note",
                       data={f"s{enrolment.id}-score": "4"}).status_code == 302
    again = _grid(client, world, seats=1)
    assert "absent de la cohorte (motivation 4/5)" in again and "(motivation 1/5)" not in again


def _grid_forms(make_app, world, db):
    """A CSRF-checking client of the team, the candidacy it acts on, and the grid's post forms as the page holds
    them (the rows' forms are written by the template, not by WTForms: their names must be those the views read)."""
    enrolment = _newcomer(db, world)
    app = make_app(WTF_CSRF_ENABLED=True)
    client = logged_in(app, world.users["facilitator"])
    page = f"http://localhost/programmes/{world.programme.slug}/candidatures"
    forms = {form.action.removeprefix("http://localhost"): form
             for form in post_forms(client.get(page).get_data(as_text=True), page)}
    return client, enrolment, forms


def test_the_grid_s_score_form_posts_as_the_page_writes_it(make_app, world, db):
    client, enrolment, forms = _grid_forms(make_app, world, db)
    form = forms[f"/programmes/{world.programme.slug}/candidatures/{enrolment.id}/note"]
    data = {**form.baseline(), f"s{enrolment.id}-score": "3"}
    assert f"s{enrolment.id}-csrf_token" in data  # the page carries the prefixed token the form checks
    assert client.post(form.action, data=data).status_code == 302
    db.refresh(enrolment)
    assert enrolment.motivation_score == 3


def test_the_grid_s_status_form_posts_as_the_page_writes_it_and_comes_back_to_the_grid(make_app, world, db):
    client, enrolment, forms = _grid_forms(make_app, world, db)
    form = forms[f"/collectivites/{enrolment.collectivity_id}/inscriptions/{enrolment.id}/statut"]
    menu = next(f for f in form.fields if f.name == f"e{enrolment.id}-to_status")
    assert menu.options == ["", "selected", "not_selected"]  # a placeholder, then the steps a candidacy may take
    data = {**form.baseline(), f"e{enrolment.id}-to_status": "not_selected",
            f"e{enrolment.id}-reason": "Hors du périmètre de la région"}
    response = client.post(form.action, data=data)
    assert response.status_code == 302 and "/candidatures" in response.headers["Location"]
    db.refresh(enrolment)
    assert enrolment.status == "not_selected"


def test_a_refused_score_comes_back_in_its_row_with_what_was_typed_and_its_error(client_as, world, db):
    enrolment = _newcomer(db, world, score=2)
    response = client_as("facilitator").post(
        f"/programmes/{world.programme.slug}/candidatures/{enrolment.id}/note", data={f"s{enrolment.id}-score": "9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La note va de 0 à 5." in page and 'value="9"' in page and 'aria-invalid="true"' in page
