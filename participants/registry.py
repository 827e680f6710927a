"""France's official registry of communes, EPCI and départements, and the search that starts an enrolment.

The source is Etalab's découpage administratif (MIT licence), as published on npm
(``npm pack @etalab/decoupage-administratif``): the project ships version 6.0.0 of the package as it was published
(``participants/data/``), and ``hub registry load --source`` takes a newer one, as the package file or its
``data`` folder. Only current communes are loaded (not delegated or associated ones, nor Paris, Lyon and Marseille's
arrondissements), with their SIREN, postcodes, population and EPCI; each EPCI with its kind and the département
where most of its people live (the data give its members, not its seat).
"""

from __future__ import annotations

import json
import tarfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from participants.models import Collectivity, RegistryEntry

SHIPPED = Path(__file__).resolve().parent / "data" / "etalab-decoupage-administratif-6.0.0.tgz"
SHIPPED_VERSION = "6.0.0"
# The registry's EPCI kinds, in the words of the collectivity form (participants.models.EPCI_SUBKINDS).
EPCI_SUBKINDS = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "metropole", "MET69": "metropole"}
SEARCH_LIMIT = 10
BATCH = 2000


@dataclass
class Loaded:
    """What a load put in the registry."""

    communes: int
    epci: int
    departements: int
    regions: int


def normalised(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: « Chalon-sur-Saône » and « chalon sur saone » meet."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    for mark in "-'’_,.()/":
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def read_source(source: Path | None = None) -> dict[str, list[dict]]:
    """The registry's JSON files (communes, epci, departements, regions) from the npm package file or its folder."""
    source = source or SHIPPED
    names = ("communes", "epci", "departements", "regions")
    if source.is_dir():
        folder = source / "data" if (source / "data").is_dir() else source
        return {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in names}
    with tarfile.open(source) as package:
        return {name: json.load(package.extractfile(f"package/data/{name}.json")) for name in names}


def registry_rows(data: dict[str, list[dict]], region: str | None = None) -> list[dict]:
    """The rows of the registry table, for the whole of France or one région (its INSEE code, e.g. 27)."""
    departements = {d["code"]: d for d in data["departements"]}
    communes = [c for c in data["communes"] if c.get("type") == "commune-actuelle"
                and (region is None or c.get("region") == region)]
    commune_departement = {c["code"]: c["departement"] for c in data["communes"] if c.get("type") == "commune-actuelle"}
    epci_of = {}
    rows = []
    for epci in data["epci"]:
        weights = Counter()
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
            weights[commune_departement.get(member["code"], "")] += member.get("populationMunicipale") or 0
        departement = weights.most_common(1)[0][0] if weights else ""
        region_code = departements.get(departement, {}).get("region", "")
        if region is not None and region_code != region:
            continue
        rows.append(_row("epci", epci["code"], epci["code"], epci["nom"], departement, region_code,
                         epci_subkind=EPCI_SUBKINDS.get(epci["type"]), population=epci.get("populationMunicipale")))
    for commune in communes:
        rows.append(_row("commune", commune["code"], commune.get("siren"), commune["nom"], commune["departement"],
                         commune["region"], population=commune.get("population"),
                         postcodes=" ".join(commune.get("codesPostaux", [])), epci_siren=epci_of.get(commune["code"])))
    for departement in data["departements"]:
        if region is None or departement["region"] == region:
            rows.append(_row("departement", departement["code"], None, departement["nom"], departement["code"],
                             departement["region"]))
    for each in data["regions"]:
        if region is None or each["code"] == region:
            rows.append(_row("region", each["code"], None, each["nom"], "", each["code"]))
    return rows


def _row(kind, code, siren, name, departement, region, *, epci_subkind=None, population=None, postcodes="",
         epci_siren=None) -> dict:
    return {"kind": kind, "code": code, "siren": siren, "name": name[:200], "departement_code": departement or "",
            "region_code": region or "", "epci_subkind": epci_subkind, "population": population,
            "postcodes": postcodes[:200], "epci_siren": epci_siren,
            "search_text": normalised(" ".join(filter(None, (name, code, siren, postcodes))))[:400]}


def load(session: Session, source: Path | None = None, region: str | None = None) -> Loaded:
    """Replace the registry (or one région's part of it) by the source's, in the caller's transaction."""
    rows = registry_rows(read_source(source), region)
    table = RegistryEntry.__table__
    delete = sa.delete(table)
    if region is not None:
        delete = delete.where(table.c.region_code == region)
    session.execute(delete)
    for start in range(0, len(rows), BATCH):
        session.execute(sa.insert(table), rows[start:start + BATCH])
    kinds = Counter(row["kind"] for row in rows)
    return Loaded(kinds["commune"], kinds["epci"], kinds["departement"], kinds["region"])


def search(session: Session, query: str, departements: list[str] | None = None,
           limit: int = SEARCH_LIMIT) -> list[RegistryEntry]:
    """Communes and EPCI whose name, INSEE code, SIREN or postcode hold every word typed, the most populous first."""
    words = normalised(query).split()[:6]
    if not words:
        return []
    statement = select(RegistryEntry).where(RegistryEntry.kind.in_(("commune", "epci")))
    for word in words:
        statement = statement.where(RegistryEntry.search_text.contains(word, autoescape=True))
    if departements:
        statement = statement.where(RegistryEntry.departement_code.in_(departements))
    # The name typed exactly first, then names that start with it, then a word that does, then the rest.
    typed, text = " ".join(words), RegistryEntry.search_text
    closeness = sa.case((text.startswith(typed + " ", autoescape=True), 0),
                        (text.startswith(typed, autoescape=True), 1),
                        (text.contains(" " + typed, autoescape=True), 2), else_=3)
    order = (closeness, sa.case((RegistryEntry.population.is_(None), 1), else_=0), RegistryEntry.population.desc(),
             RegistryEntry.name)
    return list(session.exec(statement.order_by(*order).limit(limit)))


def is_loaded(session: Session) -> bool:
    """Whether ``hub registry load`` has filled the registry."""
    return session.exec(select(RegistryEntry.id).limit(1)).first() is not None


def entry(session: Session, entry_id: int | None) -> RegistryEntry | None:
    """One commune or EPCI of the registry, by its row id."""
    found = session.get(RegistryEntry, entry_id) if entry_id else None
    return found if found is not None and found.kind in ("commune", "epci") else None


def collectivity_values(found: RegistryEntry) -> dict:
    """The identity a registry entry gives the collectivity form: name, kind, EPCI kind, département, SIREN…"""
    return {"name": found.name, "kind": found.kind, "epci_subkind": found.epci_subkind or "",
            "departement_code": found.departement_code, "siren": found.siren or "",
            "population": "" if found.population is None else str(found.population)}


def by_siren(session: Session, siren: str | None) -> RegistryEntry | None:
    """The commune or EPCI with this SIREN, if the registry is loaded and has it."""
    if not siren:
        return None
    return session.exec(select(RegistryEntry).where(RegistryEntry.siren == siren,
                                                    RegistryEntry.kind.in_(("commune", "epci")))).first()


def members(session: Session, epci_siren: str) -> list[RegistryEntry]:
    """An EPCI's member communes, by name."""
    return list(session.exec(select(RegistryEntry).where(RegistryEntry.epci_siren == epci_siren,
                                                         RegistryEntry.kind == "commune")
                             .order_by(RegistryEntry.name)))


def regions(session: Session) -> list[RegistryEntry]:
    """The régions the registry holds, by name."""
    return list(session.exec(select(RegistryEntry).where(RegistryEntry.kind == "region").order_by(RegistryEntry.name)))


def import_rows(session: Session, region: str) -> list[dict]:
    """A région's communes and EPCI as rows of the collectivity import (participants/csv_import.py's columns)."""
    entries = session.exec(select(RegistryEntry).where(RegistryEntry.region_code == region,
                                                       RegistryEntry.kind.in_(("commune", "epci")))
                           .order_by(RegistryEntry.kind.desc(), RegistryEntry.departement_code, RegistryEntry.name))
    return [{"nom": e.name, "type": "EPCI" if e.kind == "epci" else "commune", "type_epci": e.epci_subkind or "",
             "departement": e.departement_code, "siren": e.siren or "",
             "population": "" if e.population is None else e.population, "contact_nom": "", "contact_email": ""}
            for e in entries]


def departement_names(session: Session, codes: list[str]) -> dict[str, str]:
    """The names of these départements (empty if the registry is not loaded)."""
    rows = session.exec(select(RegistryEntry.code, RegistryEntry.name).where(
        RegistryEntry.kind == "departement", RegistryEntry.code.in_(codes)))
    return dict(rows.all())


@dataclass
class Neighbours:
    """What the registry says around a collectivity: its département's name, its EPCI, or its member communes.

    Each EPCI or member is (name, the id of the hub's collectivity with that SIREN, or None).
    """

    departement_name: str
    epci: tuple[str, int | None] | None
    members: list[tuple[str, int | None]]


def neighbours(session: Session, collectivity: Collectivity) -> Neighbours:
    """The registry's view of a collectivity, for its page (empty parts when the registry does not know it)."""
    names = departement_names(session, [collectivity.departement_code])
    found = by_siren(session, collectivity.siren)
    epci, member_communes = None, []
    if found is not None and found.kind == "commune" and found.epci_siren:
        group = by_siren(session, found.epci_siren)
        if group is not None:
            epci = (group.name, _registered(session, [group.siren]).get(group.siren))
    elif found is not None and found.kind == "epci":
        communes = members(session, found.siren)
        registered = _registered(session, [c.siren for c in communes if c.siren])
        member_communes = [(commune.name, registered.get(commune.siren)) for commune in communes]
    return Neighbours(names.get(collectivity.departement_code, ""), epci, member_communes)


def _registered(session: Session, sirens: list[str]) -> dict[str, int]:
    """The hub's collectivities with these SIRENs that this session may see, by SIREN."""
    if not sirens:
        return {}
    return dict(session.exec(select(Collectivity.siren, Collectivity.id).where(Collectivity.siren.in_(sirens))).all())
