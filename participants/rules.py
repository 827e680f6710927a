"""The rules a collectivity's identity must follow, shared by the form and the CSV import."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from slugify import slugify
from stdnum.fr import siren as stdnum_siren

from hub.core.query import parse_int
from participants.models import KINDS

# Metropolitan départements 01–95 (Corsica is 2A and 2B since 1976, never 20), and overseas 971–976.
DEPARTEMENT_CODES = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)

# What a spreadsheet may say for each kind, once slugified, and for each EPCI subkind.
KIND_WORDS = {
    "commune": "commune", "epci": "epci", "syndicat_mixte": "syndicat_mixte", "syndicat": "syndicat_mixte",
    "departement": "departement", "region": "region", "autre": "other", "other": "other",
}
SUBKIND_WORDS = {
    "cc": "CC", "communaute_de_communes": "CC", "ca": "CA", "communaute_d_agglomeration": "CA",
    "cu": "CU", "communaute_urbaine": "CU", "metropole": "metropole",
}


def normalise_departement(raw: str) -> str:
    """« 1 », « 01 », « 2a » → « 01 », « 01 », « 2A »."""
    value = (raw or "").strip().upper()
    return value.zfill(2) if value.isdigit() and len(value) < 2 else value


def is_departement_code(code: str) -> bool:
    """Whether the code names a French département (01–95, 2A, 2B, 971–976)."""
    return code in DEPARTEMENT_CODES


def normalise_siren(raw: str) -> str:
    """Digits only: « 213 100 546 » → « 213100546 »."""
    return stdnum_siren.compact(raw or "")


def is_siren(value: str) -> bool:
    """Nine digits that pass the Luhn check (python-stdnum)."""
    return len(value) == 9 and value.isdigit() and stdnum_siren.is_valid(value)


def parse_kind(raw: str) -> str | None:
    """A kind code from a code or a French word, or None."""
    word = slugify(raw or "", separator="_")
    return KIND_WORDS.get(word) if word not in KINDS else word


def parse_subkind(raw: str) -> str | None:
    """An EPCI subkind code from a code or a French phrase, or None."""
    word = slugify(raw or "", separator="_")
    return SUBKIND_WORDS.get(word)


@dataclass
class CheckedCollectivity:
    """A collectivity's fields once checked: cleaned values and French messages by field."""

    values: dict
    errors: dict

    @property
    def valid(self) -> bool:
        """No field has an error."""
        return not self.errors


def check_collectivity(raw: dict) -> CheckedCollectivity:
    """Clean and check name, kind, subkind, département, SIREN, population and contact."""
    errors: dict[str, str] = {}
    name = " ".join((raw.get("name") or "").split())
    if not name:
        errors["name"] = _l("Indiquez le nom de la collectivité.")
    elif len(name) > 200:
        errors["name"] = _l("Le nom compte 200 caractères au plus.")
    kind = parse_kind(raw.get("kind") or "")
    if kind is None:
        errors["kind"] = _l("Type inconnu : commune, EPCI, syndicat mixte, département, région ou autre.")
    subkind = parse_subkind(raw.get("epci_subkind") or "") if raw.get("epci_subkind") else None
    if kind == "epci" and subkind is None:
        errors["epci_subkind"] = _l("Précisez le type d'EPCI : CC, CA, CU ou métropole.")
    elif kind != "epci" and raw.get("epci_subkind"):
        errors["epci_subkind"] = _l("Seul un EPCI a un type d'EPCI.")
    departement = normalise_departement(raw.get("departement_code") or "")
    if not is_departement_code(departement):
        errors["departement_code"] = _l("Code de département inconnu : 01 à 95, 2A, 2B ou 971 à 976.")
    siren = normalise_siren(raw.get("siren") or "")
    if siren and not is_siren(siren):
        errors["siren"] = _l("Un SIREN compte 9 chiffres et passe la clé de contrôle (Luhn) : vérifiez-le.")
    population = raw.get("population")
    if isinstance(population, str):
        digits = population.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        population = None if not digits else parse_int(digits, minimum=0)
        population = -1 if digits and population is None else population  # « ² », « 1e27 »: refused below
    if population is not None and not 0 <= population <= 100_000_000:
        errors["population"] = _l("La population est un nombre entier positif.")
    email = (raw.get("contact_email") or "").strip()
    if email and ("@" not in email or len(email) > 254):
        errors["contact_email"] = _l("Cette adresse électronique n'est pas valide.")
    values = {"name": name, "kind": kind, "epci_subkind": subkind if kind == "epci" else None,
              "departement_code": departement, "siren": siren or None, "population": population,
              "contact_name": (raw.get("contact_name") or "").strip()[:200], "contact_email": email}
    return CheckedCollectivity(values=values, errors=errors)
