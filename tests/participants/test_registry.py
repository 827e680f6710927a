"""The official registry (Etalab's découpage administratif): loaded whole or by région, searched as people type."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import select

from hub.app.demo import arnia
from participants import registry
from participants.models import RegistryEntry

BFC = "27"


def _count(db, kind: str) -> int:
    return db.exec(select(sa.func.count()).select_from(RegistryEntry).where(RegistryEntry.kind == kind)).one()


def test_the_shipped_registry_loads_the_whole_of_france(runner, db):
    result = runner.invoke(args=["registry", "load"])
    assert result.exit_code == 0, result.output
    assert "34969 communes, 1255 EPCI, 109 départements, 26 régions" in result.output
    assert (_count(db, "commune"), _count(db, "epci"), _count(db, "departement")) == (34969, 1255, 109)


def test_one_region_loads_alone_and_a_reload_replaces_it(runner, db):
    for _ in range(2):
        assert runner.invoke(args=["registry", "load", "--region", BFC]).exit_code == 0
    assert _count(db, "commune") == 3685 and _count(db, "departement") == 8 and _count(db, "region") == 1
    departements = set(db.exec(select(RegistryEntry.departement_code).where(RegistryEntry.kind != "region")
                               .distinct()).all())
    assert departements == {"21", "25", "39", "58", "70", "71", "89", "90"}


def test_a_search_finds_a_commune_by_name_code_siren_or_postcode_and_fills_its_identity(db):
    registry.load(db, region=BFC)
    for typed in ("chalon", "CHALON SUR SAONE", "71076", "217100767", "71100"):
        found = registry.search(db, typed)[0]
        assert (found.name, found.kind, found.siren, found.departement_code) == (
            "Chalon-sur-Saône", "commune", "217100767", "71"), typed
        assert found.population > 40000 and found.epci_siren == "247100589"
    assert registry.search(db, "cheroy")[0].name == "Chéroy"
    assert registry.search(db, "   ") == [] and registry.search(db, "%_") == []


def test_a_search_puts_the_closest_names_first_then_the_most_populous(db):
    registry.load(db)
    hery = registry.search(db, "héry")
    assert [(e.name, e.departement_code) for e in hery[:3]] == [("Héry", "89"), ("Héry-sur-Alby", "74"),
                                                                 ("Héry", "58")]
    assert [e.departement_code for e in registry.search(db, "héry", departements=["58"])] == ["58"]


def test_an_epci_carries_its_kind_and_its_member_communes(db):
    registry.load(db, region=BFC)
    grand_chalon = registry.by_siren(db, "247100589")
    assert (grand_chalon.kind, grand_chalon.epci_subkind, grand_chalon.departement_code) == ("epci", "CA", "71")
    members = [commune.name for commune in registry.members(db, "247100589")]
    assert "Chalon-sur-Saône" in members and len(members) > 40
    assert registry.departement_names(db, ["58", "71"]) == {"58": "Nièvre", "71": "Saône-et-Loire"}


def test_the_demo_collectivities_carry_their_real_siren(db):
    registry.load(db, region=BFC)
    for name, kind, _subkind, departement, *_rest in arnia.COLLECTIVITIES:
        if kind == "syndicat_mixte":
            assert name not in arnia.SIRENS  # not in the registry: left empty rather than guessed
            continue
        entry = registry.by_siren(db, arnia.SIRENS[name])
        assert entry is not None and entry.departement_code == departement and entry.kind == kind, name


def test_a_registry_folder_is_read_and_an_epci_goes_to_the_departement_of_most_of_its_people(db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    communes = [
        {"code": "71001", "nom": "Petite-Ville", "type": "commune-actuelle", "departement": "71", "region": "27",
         "siren": "210000001", "codesPostaux": ["71000"], "population": 100},
        {"code": "58001", "nom": "Grande-Ville", "type": "commune-actuelle", "departement": "58", "region": "27",
         "siren": "210000002", "codesPostaux": ["58000"], "population": 9000},
        {"code": "58002", "nom": "Ancienne", "type": "commune-deleguee", "departement": "58", "region": "27"},
    ]
    epci = [{"code": "200000001", "nom": "CC Exemple", "type": "METRO", "populationMunicipale": 9100,
             "membres": [{"code": "71001", "populationMunicipale": 100},
                         {"code": "58001", "populationMunicipale": 9000}]}]
    departements = [{"code": "58", "nom": "Nièvre", "region": "27"}, {"code": "71", "nom": "Saône-et-Loire",
                                                                      "region": "27"}]
    regions = [{"code": "27", "nom": "Bourgogne-Franche-Comté"}]
    for name, rows in (("communes", communes), ("epci", epci), ("departements", departements), ("regions", regions)):
        (data / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
    loaded = registry.load(db, source=tmp_path)
    assert (loaded.communes, loaded.epci, loaded.departements, loaded.regions) == (2, 1, 2, 1)  # no delegated one
    entry = registry.by_siren(db, "200000001")
    assert (entry.departement_code, entry.epci_subkind) == ("58", "metropole")
    assert registry.by_siren(db, "210000001").epci_siren == "200000001"


def test_an_unreadable_source_is_refused_with_a_clear_message(runner, tmp_path):
    wrong = tmp_path / "registre.tgz"
    wrong.write_bytes(b"pas une archive")
    result = runner.invoke(args=["registry", "load", "--source", str(wrong)])
    assert result.exit_code == 1 and "Source du registre illisible" in result.output
    assert "Traceback" not in result.output
