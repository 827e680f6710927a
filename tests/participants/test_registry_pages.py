"""Adding a collectivity starts with a search of the official registry, whose chosen answer fills the form."""

from __future__ import annotations

import io

from sqlmodel import select

from participants import registry
from participants.models import Collectivity, RegistryEntry

BFC = "27"


def _entry(db, siren: str) -> RegistryEntry:
    return db.exec(select(RegistryEntry).where(RegistryEntry.siren == siren)).one()


def test_the_search_lists_the_registry_answers_as_links_that_fill_the_form(client_as, db):
    registry.load(db, region=BFC)
    chalon = _entry(db, "217100767")
    page = client_as("facilitator").get("/collectivites/nouvelle?q=chalon").get_data(as_text=True)
    assert f'href="/collectivites/nouvelle?registre={chalon.id}"' in page
    assert "Chalon-sur-Saône</a>" in page and "Saône-et-Loire (71)" in page and "SIREN 217100767" in page
    fragment = client_as("admin").get("/registre/recherche?q=71076").get_data(as_text=True)
    assert "Chalon-sur-Saône" in fragment and 'data-count="1"' in fragment and "<html" not in fragment


def test_a_chosen_answer_fills_kind_departement_siren_and_population(client_as, db):
    registry.load(db, region=BFC)
    grand_chalon = _entry(db, "247100589")
    page = client_as("facilitator").get(f"/collectivites/nouvelle?registre={grand_chalon.id}").get_data(as_text=True)
    assert 'value="CA Le Grand Chalon"' in page and 'value="247100589"' in page and 'value="71"' in page
    assert f'value="{grand_chalon.population}"' in page
    assert '<option selected value="epci">' in page and '<option selected value="CA">' in page
    assert "Identité reprise du registre officiel" in page


def test_a_collectivity_added_from_the_registry_is_not_added_twice(client_as, db):
    registry.load(db, region=BFC)
    nevers = registry.search(db, "nevers")[0]
    client = client_as("facilitator")
    posted = client.post("/collectivites/nouvelle", data={**registry.collectivity_values(nevers),
                                                          "contact_name": "Secrétariat général"})
    assert posted.status_code == 302
    created = db.exec(select(Collectivity).where(Collectivity.siren == nevers.siren)).one()
    assert (created.name, created.kind, created.departement_code, created.population) == (
        "Nevers", "commune", "58", nevers.population)
    again = client.get(f"/collectivites/nouvelle?registre={nevers.id}").get_data(as_text=True)
    assert "Cette collectivité est déjà enregistrée" in again and f"/collectivites/{created.id}" in again


def test_without_a_registry_the_page_says_how_to_load_it_and_the_form_still_works(client_as):
    page = client_as("facilitator").get("/collectivites/nouvelle?q=chalon").get_data(as_text=True)
    assert "Le registre officiel n'est pas chargé (commande hub registry load)" in page
    assert 'name="name"' in page


def test_odd_search_parameters_are_ignored(client_as, db):
    registry.load(db, region=BFC)
    client = client_as("facilitator")
    for query in ("registre=abc", "registre=-3", "registre=99999999999999999999", "q=%00chalon", "q=" + "a" * 500):
        assert client.get(f"/collectivites/nouvelle?{query}").status_code == 200, query
    department = db.exec(select(RegistryEntry).where(RegistryEntry.kind == "departement")).first()
    page = client.get(f"/collectivites/nouvelle?registre={department.id}").get_data(as_text=True)
    assert "Identité reprise du registre officiel" not in page  # a département is entered by hand


def test_a_commune_page_names_its_epci_and_an_epci_page_lists_its_members(client_as, db, world):
    registry.load(db, region=BFC)
    world.own.siren, world.own.name = "218901007", "Chéroy"  # the world's own collectivity is Chéroy (89)
    grand_chalon = Collectivity(name="Le Grand Chalon", slug="le-grand-chalon-test", kind="epci", epci_subkind="CA",
                                departement_code="71", siren="247100589")
    chalon = Collectivity(name="Chalon-sur-Saône", slug="chalon-test", kind="commune", departement_code="71",
                          siren="217100767")
    db.add_all([grand_chalon, chalon])
    db.flush()
    team = client_as("facilitator")
    epci_page = team.get(f"/collectivites/{grand_chalon.id}").get_data(as_text=True)
    assert "Communes membres (51), d'après le registre officiel" in epci_page
    assert f'<a href="/collectivites/{chalon.id}">Chalon-sur-Saône</a>' in epci_page
    assert "<li>Saint-Rémy</li>" in epci_page
    assert "Saône-et-Loire (71)" in epci_page and "247100589" in epci_page
    commune_page = team.get(f"/collectivites/{chalon.id}").get_data(as_text=True)
    assert f'<a href="/collectivites/{grand_chalon.id}">CA Le Grand Chalon</a>' in commune_page
    own_page = client_as("participant").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    assert "Yonne (89)" in own_page and "CC du Gâtinais en Bourgogne" in own_page
    assert '<a href="/collectivites/' not in own_page.split("<dt>EPCI</dt>")[1].split("</div>")[0]


def test_a_whole_regions_official_list_imports_through_the_form_without_duplicating_anyone(client_as, db, world):
    registry.load(db, region=BFC)
    chalon = Collectivity(name="Chalon-sur-Saône", slug="chalon-deja-la", kind="commune", departement_code="71",
                          siren="217100767")  # already registered, under the same SIREN
    db.add(chalon)
    db.flush()
    before = db.exec(select(Collectivity.id)).all()
    client = client_as("facilitator")
    assert f"/registre/regions/{BFC}/collectivites.csv" in client.get("/collectivites/import").get_data(as_text=True)
    official = client.get(f"/registre/regions/{BFC}/collectivites.csv")
    assert official.status_code == 200 and official.mimetype == "text/csv"
    lines = official.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "nom;type;type_epci;departement;siren;population;contact_nom;contact_email"
    assert len(lines) - 1 == 3685 + 113

    preview = client.post("/collectivites/import", data={"file": (io.BytesIO(official.get_data()), "bfc.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    # Chéroy and Lormes of the test world carry no SIREN: matched by name and département instead.
    assert "3798 lignes lues : 3795 nouvelles, 3 déjà connues, 0 en erreur." in page.replace("\u202f", "")
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    done = client.post("/collectivites/import/confirmer", data={"payload": payload})
    assert done.status_code == 302
    sirens = db.exec(select(Collectivity.siren).where(Collectivity.siren.is_not(None))).all()
    assert len(sirens) == len(set(sirens)) == 3798 - 2  # every SIREN once; the world's two kept without one
    assert len(db.exec(select(Collectivity.id)).all()) == len(before) + 3795
    assert db.get(Collectivity, chalon.id).slug == "chalon-deja-la"  # the one already there is untouched
