"""The lists sort by their columns in SQL (?tri=…&ordre=asc|desc), keep their filters and pages, and never break."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

import pytest

from hub.core.sorting import Sort, Sortable
from irritants.models import Decision, DecisionIrritant, Irritant
from tests import factories
from tests.conftest import logged_in


def _order(html: str, names: list[str]) -> list[str]:
    """The names in the order the page shows them (each must be on it)."""
    positions = {name: html.index(name) for name in names}
    return sorted(names, key=positions.__getitem__)


def _aria_sorted(html: str) -> list[tuple[str, str]]:
    """(aria-sort, the header's link text) of the sorted column headers."""
    return [(value, re.sub(r"<[^>]+>|[▲▼]", "", text).strip()) for value, text in
            re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"[^>]*>\s*<a [^>]*>(.*?)</a>', html, re.S)]


@pytest.fixture
def team(make_app, world):
    """A facilitator's client on an app whose pages hold two rows, so that the pager shows."""
    return logged_in(make_app(PAGE_SIZE=2), world.users["facilitator"])


@pytest.fixture
def towns(db, world):
    """A programme of its own with three collectivities, each with a workshop and an irritant."""
    programme = factories.programme(db)
    rows = []
    for name, population, place, hours in (("Bligny", 300, "Mairie annexe", 5), ("Arnay", 2000, "Salle des fêtes", 40),
                                           ("Corgoloin", None, "Bibliothèque", 12)):
        town = factories.collectivity(db, programme, name=name, population=population)
        factories.workshop(db, programme, town, place=place, held_on=date(2024, 5, 10 + len(rows)))
        factories.irritant(db, programme, town, title=f"Irritant de {name}", minutes_per_occurrence=hours)
        rows.append(town)
    db.commit()
    return programme


def test_collectivities_sort_by_population_both_ways_with_unknown_population_last(client_as, towns):
    client = client_as("facilitator")
    html = client.get(f"/collectivites?programme={towns.slug}&tri=population&ordre=desc").get_data(as_text=True)
    assert _order(html, ["Arnay", "Bligny", "Corgoloin"]) == ["Arnay", "Bligny", "Corgoloin"]
    assert _aria_sorted(html) == [("descending", "Population")]
    html = client.get(f"/collectivites?programme={towns.slug}&tri=population&ordre=asc").get_data(as_text=True)
    assert _order(html, ["Arnay", "Bligny", "Corgoloin"]) == ["Bligny", "Arnay", "Corgoloin"]


def test_collectivities_default_to_their_name_and_unknown_sorts_fall_back(client_as, towns):
    client = client_as("facilitator")
    for query in ("", "&tri=population;drop", "&tri=nom&ordre=sideways", "&tri=\x00", "&tri=" + "x" * 5000,
                  "&tri=__class__&ordre=desc", "&ordre=desc"):
        response = client.get(f"/collectivites?programme={towns.slug}{query}")
        assert response.status_code == 200, query
        html = response.get_data(as_text=True)
        assert _order(html, ["Arnay", "Bligny", "Corgoloin"]) == ["Arnay", "Bligny", "Corgoloin"], query
        assert _aria_sorted(html) == [("ascending", "Nom")], query


def test_the_enrolment_column_sorts_only_within_a_programme(client_as, towns):
    client = client_as("facilitator")
    link = "tri=inscription&amp;ordre=asc"
    assert link in client.get(f"/collectivites?programme={towns.slug}").get_data(as_text=True)
    response = client.get("/collectivites?tri=inscription&ordre=desc")  # no programme: no enrolment to sort by
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert link not in html
    assert _aria_sorted(html) == [("ascending", "Nom")]


def test_header_links_keep_the_filters_and_the_pager_keeps_the_sort(team, towns):
    html = team.get(f"/collectivites?programme={towns.slug}&kind=commune&tri=population&ordre=desc"
                    ).get_data(as_text=True)
    header = re.search(r'href="([^"]*tri=nom[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"programme={towns.slug}" in header and "kind=commune" in header and "ordre=asc" in header
    # The sorted column's link reverses it.
    assert re.search(r'href="[^"]*tri=population&amp;ordre=asc', html) or \
        re.search(r'href="[^"]*ordre=asc&amp;[^"]*tri=population', html)
    following = re.search(r'href="([^"]*)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "tri=population" in following and "ordre=desc" in following and "kind=commune" in following
    second = team.get(following).get_data(as_text=True)
    assert "Corgoloin" in second and "Arnay" not in second


def test_workshops_sort_by_place_and_by_collectivity(client_as, towns):
    client = client_as("facilitator")
    html = client.get(f"/ateliers?programme={towns.slug}&tri=lieu&ordre=asc").get_data(as_text=True)
    assert _order(html, ["Bibliothèque", "Mairie annexe", "Salle des fêtes"]) == \
        ["Bibliothèque", "Mairie annexe", "Salle des fêtes"]
    assert _aria_sorted(html) == [("ascending", "Lieu")]
    html = client.get(f"/ateliers?programme={towns.slug}&tri=collectivite&ordre=desc").get_data(as_text=True)
    assert _order(html, ["Arnay", "Bligny", "Corgoloin"]) == ["Corgoloin", "Bligny", "Arnay"]
    html = client.get(f"/ateliers?programme={towns.slug}&tri=nope").get_data(as_text=True)
    assert _order(html, ["Mairie annexe", "Salle des fêtes", "Bibliothèque"]) == \
        ["Mairie annexe", "Salle des fêtes", "Bibliothèque"]  # by date, the default
    assert _aria_sorted(html) == [("ascending", "Date")]


def test_a_referents_workshops_sort_within_their_collectivity(client_as, world, db):
    factories.workshop(db, world.programme, world.own, place="Atelier Z", held_on=date(2024, 6, 1))
    factories.workshop(db, world.programme, world.own, place="Atelier A", held_on=date(2024, 6, 2))
    db.commit()
    html = client_as("participant").get("/ateliers?tri=lieu&ordre=asc").get_data(as_text=True)
    assert _order(html, ["Atelier A", "Atelier Z"]) == ["Atelier A", "Atelier Z"]
    assert world.foreign.name not in html


def test_irritants_sort_by_title_and_hours_keeping_filters(client_as, towns):
    client = client_as("facilitator")
    names = ["Irritant de Arnay", "Irritant de Bligny", "Irritant de Corgoloin"]
    html = client.get(f"/irritants?programme={towns.slug}&tri=intitule&ordre=desc").get_data(as_text=True)
    assert _order(html, names) == list(reversed(names))
    assert _aria_sorted(html) == [("descending", "Intitulé")]
    html = client.get(f"/irritants?programme={towns.slug}&tri=heures&ordre=asc").get_data(as_text=True)
    assert _order(html, names) == ["Irritant de Bligny", "Irritant de Corgoloin", "Irritant de Arnay"]
    html = client.get(f"/irritants?programme={towns.slug}&status=identified&tri=heures&ordre=asc"
                      ).get_data(as_text=True)
    header = re.search(r'href="([^"]*tri=service[^"]*)"', html).group(1)
    assert "status=identified" in header and f"programme={towns.slug}" in header


def test_irritants_default_to_the_priority_order(client_as, towns):
    html = client_as("facilitator").get(f"/irritants?programme={towns.slug}&tri=x&ordre=y").get_data(as_text=True)
    assert _order(html, ["Irritant de Arnay", "Irritant de Corgoloin", "Irritant de Bligny"]) == \
        ["Irritant de Arnay", "Irritant de Corgoloin", "Irritant de Bligny"]  # most hours first at equal priority
    assert _aria_sorted(html) == [("descending", "Priorité (€/an)")]


def test_the_decision_log_sorts_by_collectivity_and_by_kind(client_as, towns, db):
    irritants = {row.title: row for row in db.exec(Irritant.__table__.select().where(
        Irritant.programme_id == towns.id))}
    for title, kind, day in (("Irritant de Arnay", "defer", date(2024, 10, 1)),
                             ("Irritant de Bligny", "ai_pilot", date(2024, 11, 1)),
                             ("Irritant de Corgoloin", "drop", date(2024, 9, 1))):
        decision = Decision(programme_id=towns.id, kind=kind, decided_on=day, rationale=f"Motif {title}")
        db.add(decision)
        db.flush()
        row = irritants[title]
        db.add(DecisionIrritant(decision_id=decision.id, irritant_id=row.id, collectivity_id=row.collectivity_id))
    db.commit()
    client = client_as("steering")
    motifs = ["Motif Irritant de Arnay", "Motif Irritant de Bligny", "Motif Irritant de Corgoloin"]
    html = client.get(f"/programmes/{towns.slug}/decisions").get_data(as_text=True)
    assert _order(html, motifs) == [motifs[1], motifs[0], motifs[2]]  # latest committee first
    assert _aria_sorted(html) == [("descending", "Date du comité")]
    html = client.get(f"/programmes/{towns.slug}/decisions?tri=collectivite&ordre=desc").get_data(as_text=True)
    assert _order(html, motifs) == list(reversed(motifs))
    html = client.get(f"/programmes/{towns.slug}/decisions?tri=decision&ordre=asc").get_data(as_text=True)
    assert _order(html, motifs) == [motifs[1], motifs[0], motifs[2]]  # ai_pilot, defer, drop
    assert client.get(f"/programmes/{towns.slug}/decisions?tri=justification").status_code == 200


def test_sortable_reads_only_its_whitelist():
    import sqlalchemy as sa

    column = sa.column("name")
    sortable = Sortable({"nom": (column,)}, sa.column("id"), default=Sort("nom"))
    assert sortable.read({"tri": "nom", "ordre": "desc"}) == Sort("nom", True)
    assert sortable.read({"tri": "id", "ordre": "desc"}) == Sort("nom")
    assert sortable.read({"tri": "nom", "ordre": "DESC"}) == Sort("nom")
    assert sortable.order(Sort("nom")) is None  # the default is the list's own order, which its index gives
    assert sortable.order(Sort("x", True)) is None
    assert [str(clause) for clause in sortable.order(Sort("nom", True))] == ["name DESC NULLS LAST", "id DESC"]
    assert Sort("nom").link("nom") == {"tri": "nom", "ordre": "desc"}
    assert Sort("nom", True).link("nom") == {"tri": "nom", "ordre": "asc"}
    assert Sort("nom").link("autre") == {"tri": "autre", "ordre": "asc"}
    assert Sort("nom").aria("autre") is None and Sort("nom", True).aria("nom") == "descending"


@pytest.mark.parametrize("role", ["facilitator", "steering", "participant"])
def test_no_hostile_query_string_breaks_the_lists_or_the_search(client_as, towns, role):
    from tests.hub.fuzz_support import QUERY, Fuzzer, query_names

    fuzzer = Fuzzer(client_as(role), role)
    urls = [f"/collectivites?programme={towns.slug}", f"/ateliers?programme={towns.slug}",
            f"/irritants?programme={towns.slug}", f"/programmes/{towns.slug}/decisions", "/recherche?q=Arnay"]
    for url in urls:
        base = url.split("?")[0]
        if role == "facilitator":  # the sort links are there to be fuzzed one by one
            assert {"tri", "ordre"} <= query_names(client_as(role).get(url).get_data(as_text=True)) or \
                base == "/recherche"
        for name in ("tri", "ordre", "q", "kind", "programme", "page"):
            for payload in [*QUERY, '"', "NEAR(", "-:*", "a OR b", "title:x"]:
                query = urlencode({"tri": "nom", "programme": towns.slug, "q": "Arnay", name: payload})
                fuzzer.send("GET", f"{base}?{query}", f"{name} = {payload[:20]!r}")
    assert not fuzzer.failures, "\n".join(fuzzer.failures)
