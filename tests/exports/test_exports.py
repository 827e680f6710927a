"""The lists as CSV, XLSX and JSON (filtered and scoped like the screen), and the open-data catalogue."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import frictionless
import pytest
from openpyxl import load_workbook

from exports import datasets, opendata
from hub.core.scoping import Scope
from hub.core.tabular import to_csv, to_json, to_xlsx
from irritants.models import Decision, DecisionIrritant
from irritants.service import IrritantFilters
from tests import factories
from tests.conftest import session_on


def _csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _sheet(response):
    return load_workbook(io.BytesIO(response.data)).active


# --- the writers ------------------------------------------------------------------------------------------------

def test_csv_keeps_numbers_as_numbers_with_a_french_decimal_mark():
    text = to_csv(["a", "b", "c", "d"], [(-5, 2.5, True, date(2024, 5, 14))])
    assert text == "\ufeffa;b;c;d\r\n-5;2,5;oui;2024-05-14\r\n"
    assert to_csv(["a"], [(2.5,)], delimiter=",", bom=False) == "a\r\n2.5\r\n"


def test_xlsx_keeps_types_and_neutralises_formulas():
    data = to_xlsx(["Texte", "Nombre", "Date", "Heure"],
                   [("=1+1", -3.5, date(2024, 5, 14), datetime(2024, 5, 14, 8, 30, tzinfo=timezone.utc)),
                    ("@SOMME(A1)", 4, None, None)])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["Texte", "Nombre", "Date", "Heure"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@SOMME(A1)"
    assert sheet["B2"].value == -3.5 and sheet["B3"].value == 4
    assert sheet["C2"].value == datetime(2024, 5, 14) and sheet["C2"].is_date
    assert sheet["D2"].value == datetime(2024, 5, 14, 8, 30)


def test_json_is_a_list_of_objects_with_iso_dates_and_accents():
    parsed = json.loads(to_json(["Collectivité", "Date"], [("Chéroy", date(2024, 5, 14))]))
    assert parsed == [{"Collectivité": "Chéroy", "Date": "2024-05-14"}]
    assert "Chéroy" in to_json(["Collectivité"], [("Chéroy",)])  # not \u00e9


# --- the irritant export ----------------------------------------------------------------------------------------

def test_irritant_csv_is_excel_friendly_by_default_and_comma_on_request(client_as, world):
    url = f"/exports/irritants.csv?programme={world.programme.slug}"
    # The day is read around the request, not when the module was imported: a run may cross midnight.
    before = date.today().isoformat()
    response = client_as("facilitator").get(url)
    days = {before, date.today().isoformat()}
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert any(f"irritants-{world.programme.slug}-{day}.csv" in disposition for day in days)
    rows = _csv_rows(response)
    assert rows[0][:4] == ["Identifiant", "Intitulé", "Type", "Collectivité"]
    assert {row[1] for row in rows[1:]} == {"Recherche d'anciens arrêtés", "Questions RH récurrentes"}

    comma = client_as("facilitator").get(url + "&sep=virgule").data.decode("utf-8")
    assert comma.startswith("\ufeffIdentifiant,Intitulé,Type,Collectivité,")


def test_formula_injection_is_neutralised_in_csv_and_xlsx(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title='=HYPERLINK("http://x")', service="+cmd")
    db.commit()
    url = f"/exports/irritants.{{fmt}}?programme={world.programme.slug}"
    rows = _csv_rows(client_as("admin").get(url.format(fmt="csv")))
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[1] == "'=HYPERLINK(\"http://x\")" and row[4] == "'+cmd"

    sheet = _sheet(client_as("admin").get(url.format(fmt="xlsx")))
    titles = [cell.value for cell in sheet["B"]]
    cell = next(c for c in sheet["B"] if "HYPERLINK" in str(c.value))
    assert cell.value.startswith("'") and cell.data_type == "s", titles
    assert any(c.value == "'+cmd" for c in sheet["E"])


def test_xlsx_opens_with_its_header_and_numbers(client_as, world):
    response = client_as("facilitator").get(f"/exports/irritants.xlsx?programme={world.programme.slug}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = _sheet(response)
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Identifiant", "Intitulé"] and "Heures par an" in header
    assert sheet[1][0].font.bold
    hours = header.index("Heures par an")
    assert isinstance(sheet[2][hours].value, (int, float))
    assert isinstance(sheet[2][header.index("Créé le")].value, datetime)


def test_json_export_parses(client_as, world):
    response = client_as("facilitator").get(f"/exports/irritants.json?programme={world.programme.slug}")
    assert response.mimetype == "application/json"
    parsed = json.loads(response.data)
    assert len(parsed) == 2 and {"Intitulé", "Collectivité", "Statut"} <= parsed[0].keys()
    assert {row["Collectivité"] for row in parsed} == {"Chéroy", "Lormes"}


def test_the_list_filters_apply_to_the_export(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Déjà qualifié", status="qualified", theme="rh")
    db.commit()
    base = f"/exports/irritants.json?programme={world.programme.slug}"
    everything = json.loads(client_as("facilitator").get(base).data)
    qualified = json.loads(client_as("facilitator").get(base + "&status=qualified").data)
    assert len(everything) == 3
    assert [row["Intitulé"] for row in qualified] == ["Déjà qualifié"]
    own = json.loads(client_as("facilitator").get(base + f"&collectivity={world.own.id}").data)
    assert {row["Collectivité"] for row in own} == {"Chéroy"} and len(own) == 2
    by_name = json.loads(client_as("facilitator").get(base + "&collectivity_name=lorm").data)
    assert [row["Intitulé"] for row in by_name] == ["Questions RH récurrentes"]
    theme = json.loads(client_as("facilitator").get(base + "&theme=rh").data)
    assert [row["Thématique"] for row in theme] == ["Questions RH"]


def test_the_list_links_to_its_exports_with_its_filters(client_as, world):
    page = client_as("facilitator").get(f"/irritants?programme={world.programme.slug}&status=identified")
    html = page.get_data(as_text=True)
    for fmt in ("csv", "xlsx", "json"):
        assert f"/exports/irritants.{fmt}?programme={world.programme.slug}&amp;status=identified" in html
    assert f"/donnees-ouvertes/{world.programme.slug}" in html


# --- other datasets, roles and scope ---------------------------------------------------------------------------

def test_a_referent_exports_only_their_own_collectivity(client_as, world, connection):
    for dataset in ("workshops", "usage"):
        response = client_as("participant").get(f"/exports/{dataset}.json?programme={world.programme.slug}")
        assert response.status_code == 200, dataset
        parsed = json.loads(response.data)
        assert parsed and {row["Collectivité"] for row in parsed} == {"Chéroy"}, dataset
        assert "Lormes" not in response.data.decode("utf-8")
    # Without a programme, a référent's workshops of every programme, still only theirs.
    everywhere = client_as("participant").get("/exports/workshops.csv").data.decode("utf-8")
    assert "Chéroy" in everywhere and "Lormes" not in everywhere
    # The datasets rely on the session's scope alone: scoped to Chéroy, the foreign irritant is not there.
    scoped = session_on(connection, Scope.collectivity(world.own.id))
    table = datasets.irritants(scoped, filters=IrritantFilters(programme_id=world.programme.id))
    titles = [row[1] for row in table.rows]
    assert titles == ["Recherche d'anciens arrêtés"] and "Questions RH récurrentes" not in titles
    scoped.close()


@pytest.mark.parametrize(("dataset", "allowed"), [
    ("irritants", {"admin", "facilitator"}),
    ("workshops", {"admin", "facilitator", "participant"}),
    ("decisions", {"admin", "facilitator", "steering"}),
    ("usage", {"admin", "facilitator", "steering", "participant"}),
])
def test_each_export_has_the_roles_of_its_list(client_as, world, dataset, allowed):
    for role in ("admin", "facilitator", "steering", "participant"):
        response = client_as(role).get(f"/exports/{dataset}.csv?programme={world.programme.slug}")
        assert response.status_code == (200 if role in allowed else 403), (dataset, role)
    anonymous = client_as("anonymous").get(f"/exports/{dataset}.csv")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]


def test_decisions_and_usage_exports(client_as, world, db):
    decision = Decision(programme_id=world.programme.id, kind="defer", decided_on=date(2024, 11, 5),
                        rationale="Attendre le budget 2025")
    db.add(decision)
    db.flush()
    db.add(DecisionIrritant(decision_id=decision.id, irritant_id=world.own_irritant.id,
                            collectivity_id=world.own.id))
    db.commit()
    base = f"/exports/decisions.json?programme={world.programme.slug}"
    every = json.loads(client_as("steering").get(base).data)
    deferred = json.loads(client_as("steering").get(base + "&kind=defer").data)
    assert len(every) == 3 and every[0]["Date du comité"] == "2024-11-05"
    assert [row["Justification"] for row in deferred] == ["Attendre le budget 2025"]
    foreign = json.loads(client_as("steering").get(base + f"&collectivity={world.foreign.id}").data)
    assert [row["Irritant"] for row in foreign] == ["Questions RH récurrentes"]

    sheet = _sheet(client_as("steering").get(f"/exports/usage.xlsx?programme={world.programme.slug}"))
    assert [c.value for c in sheet[1]][:4] == ["Collectivité", "Mois", "Utilisateurs actifs", "Requêtes"]
    assert [(r[0].value, r[1].value, r[2].value) for r in sheet.iter_rows(min_row=2)] == [
        ("Chéroy", "2024-10", 6), ("Lormes", "2024-10", 6)]


@pytest.mark.parametrize("path", ["/exports/inconnu.csv", "/exports/irritants.pdf", "/exports/irritants.xls",
                                  "/exports/irritants", "/exports/usage.csv?programme=inconnu"])
def test_unknown_dataset_format_or_programme_is_404(client_as, world, path):
    assert client_as("admin").get(path).status_code == 404


# --- open data --------------------------------------------------------------------------------------------------

FREE_TEXT = {"titre", "intitule", "title", "description", "souhait", "wish", "service", "remonte_par", "raised_by",
             "commentaire", "collectivite", "nom", "siren", "population", "agents_concernes"}


def _catalogue_world(db, world):
    factories.irritant(db, world.programme, world.own, title="Proposition pas encore vue", status="proposed")
    factories.irritant(db, world.programme, world.foreign, title="Écarté pour hors sujet", status="rejected")
    qualified = factories.irritant(db, world.programme, world.own, title="Courriers en double saisie",
                                   status="qualified", evidence_level=3, actionability=3,
                                   occurrences_per_month=200, minutes_per_occurrence=12, agents_affected=3)
    factories.option(db, qualified, family="ia_generative", label="Brouillons relus", reduction_pct=60,
                     ai_act_class="limited", one_off_cost=500)
    db.commit()
    return qualified


def test_open_data_csv_is_public_anonymised_and_only_taken_up_irritants(client_as, world, db):
    qualified = _catalogue_world(db, world)
    response = client_as("anonymous").get(f"/donnees-ouvertes/{world.programme.slug}/irritants.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert not FREE_TEXT & set(rows[0])
    assert {int(row["identifiant"]) for row in rows} == {world.own_irritant.id, world.foreign_irritant.id,
                                                          qualified.id}
    for secret in ("Recherche d'anciens arrêtés", "Questions RH récurrentes", "Courriers en double saisie",
                   "Proposition pas encore vue", "Écarté", "Chéroy", "Lormes", "accueil", "Brouillons relus"):
        assert secret not in text
    row = next(r for r in rows if int(r["identifiant"]) == qualified.id)
    assert row["qualifie"] == "true" and row["famille_recommandee"] == "ia_generative"
    assert row["classe_ai_act"] == "limited" and row["heures_par_an"] == "1440"  # 1,440 h, already a ten
    assert row["departement"] == "89" and row["type_collectivite"] == "commune"
    assert row["thematique_libelle"] == "Classement documentaire et trouvabilité"
    own = next(r for r in rows if int(r["identifiant"]) == world.own_irritant.id)
    assert own["mois_atelier"] == "2024-05" and own["heures_par_an"] == "120"


def test_population_bands_and_rounding():
    assert [opendata.population_band(p) for p in (None, 0, 1999, 2000, 49_999, 200_000)] == [
        None, "0-1999", "0-1999", "2000-9999", "10000-49999", "200000+"]
    assert [opendata.rounded_hours(h) for h in (4.9, 5.1, 123.4, 1436)] == [0, 10, 120, 1440]


def test_open_data_validates_against_its_own_datapackage(client_as, world, db, tmp_path):
    _catalogue_world(db, world)
    anonymous = client_as("anonymous")
    descriptor = anonymous.get(f"/donnees-ouvertes/{world.programme.slug}/datapackage.json")
    assert descriptor.status_code == 200 and descriptor.headers["Access-Control-Allow-Origin"] == "*"
    (tmp_path / "datapackage.json").write_bytes(descriptor.data)
    (tmp_path / "irritants.csv").write_bytes(
        anonymous.get(f"/donnees-ouvertes/{world.programme.slug}/irritants.csv").data)
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] >= 1
    assert package.resources[0].schema.primary_key == ["identifiant"]
    # The schema constrains: a file with a free-text column or a malformed département does not pass.
    rows = list(csv.reader(io.StringIO((tmp_path / "irritants.csv").read_text(encoding="utf-8"))))
    departement = rows[0].index("departement")
    for tamper in ("column", "departement"):
        changed = [row + ["Un titre"] if tamper == "column" else list(row) for row in rows]
        if tamper == "departement":
            changed[1][departement] = "89X"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(changed)
        (tmp_path / "irritants.csv").write_text(buffer.getvalue(), encoding="utf-8")
        assert not frictionless.Package(str(tmp_path / "datapackage.json")).validate().valid, tamper


def test_open_data_page_says_what_is_published_and_withheld(client_as, world, db):
    _catalogue_world(db, world)
    response = client_as("anonymous").get(f"/donnees-ouvertes/{world.programme.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 irritants publiés" in html
    assert f"/donnees-ouvertes/{world.programme.slug}/irritants.csv" in html
    assert f"/donnees-ouvertes/{world.programme.slug}/datapackage.json" in html
    assert "Ce qui n'est pas publié" in html and "tranche_population" in html
    assert "Chéroy" not in html and "Recherche d" not in html


@pytest.mark.parametrize("path", ["", "/irritants.csv", "/datapackage.json"])
def test_open_data_of_an_unknown_programme_is_404(client_as, world, path):
    assert client_as("anonymous").get(f"/donnees-ouvertes/inconnu{path}").status_code == 404
