"""The identity rules of a collectivity: département code, SIREN, kind."""

from __future__ import annotations

import pytest

from participants.rules import check_collectivity, is_departement_code, is_siren, normalise_departement

VALID_SIREN = "213100548"  # 21310054 + its Luhn check digit, 8


@pytest.mark.parametrize("code", ["01", "19", "21", "2A", "2B", "58", "95", "971", "974", "976"])
def test_existing_departement_codes(code):
    assert is_departement_code(code)


@pytest.mark.parametrize("code", ["00", "20", "96", "99", "970", "977", "2C", "", "7100"])
def test_departement_codes_that_do_not_exist(code):
    assert not is_departement_code(code)


def test_departement_codes_are_normalised():
    assert normalise_departement("1") == "01"
    assert normalise_departement(" 2a ") == "2A"


def test_siren_needs_nine_digits_and_the_luhn_check():
    assert is_siren(VALID_SIREN)
    assert not is_siren("213100547")  # one digit off: the check fails
    assert not is_siren("21310054")
    assert not is_siren("ABCDEFGHI")


def _check(**values):
    base = {"name": "Héry", "kind": "commune", "departement_code": "89"}
    return check_collectivity({**base, **values})


def test_a_complete_collectivity_is_cleaned():
    checked = _check(siren="213 100 548", population="1 900", name="  Héry  ")
    assert checked.valid
    assert checked.values["siren"] == VALID_SIREN
    assert checked.values["population"] == 1900
    assert checked.values["name"] == "Héry"


@pytest.mark.parametrize("values, field, message", [
    ({"name": ""}, "name", "Indiquez le nom"),
    ({"kind": "mairie"}, "kind", "Type inconnu"),
    ({"kind": "epci"}, "epci_subkind", "Précisez le type d'EPCI"),
    ({"epci_subkind": "CA"}, "epci_subkind", "Seul un EPCI"),
    ({"departement_code": "20"}, "departement_code", "Code de département inconnu"),
    ({"siren": "213100546"}, "siren", "clé de contrôle"),
    ({"population": "beaucoup"}, "population", "nombre entier positif"),
    ({"contact_email": "mairie.fr"}, "contact_email", "n'est pas valide"),
])
def test_each_rule_has_a_french_message(values, field, message):
    checked = _check(**values)
    assert not checked.valid
    assert message in str(checked.errors[field])


def test_kinds_and_subkinds_read_from_french_words():
    checked = _check(kind="EPCI", epci_subkind="Communauté d'agglomération")
    assert checked.valid and checked.values["kind"] == "epci" and checked.values["epci_subkind"] == "CA"
    assert _check(kind="Syndicat mixte").values["kind"] == "syndicat_mixte"
