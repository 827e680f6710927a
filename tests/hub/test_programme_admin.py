"""The admin creates, edits, archives and restores a programme, or starts one from a previous programme."""

from __future__ import annotations

from datetime import date, timezone
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from hub.core.models import AuditEntry, Milestone, Programme, ProgrammeTheme
from irritants.models import ScoringParameters
from participants import registry
from tests import factories
from workshops import service_list
from workshops.models import Hypothesis


def _programme_form(**values) -> dict:
    data = {"name": "Expérimentation IA 2026 — Grand Est", "agency": "Agence numérique du Grand Est",
            "region_name": "Grand Est", "departements": "08, 10, 51, 52, 54, 55, 57, 67, 68, 88",
            "launch_date": "15/01/2026", "launch_place": "Reims", "duration_months": "12", "tool_name": "Albert",
            "description": "Douze mois avec les collectivités du Grand Est.",
            "milestones-0-kind": "launch", "milestones-0-label": "Journée de lancement à Reims",
            "milestones-0-starts_on": "15/01/2026",
            "milestones-1-kind": "workshops", "milestones-1-label": "Ateliers « vis ma vie »",
            "milestones-1-starts_on": "2026-02-01", "milestones-1-ends_on": "2026-04-30",
            "milestones-2-kind": "other", "milestones-2-label": "",  # an empty row: ignored
            "themes-0-label": "Classement documentaire", "themes-1-label": "Relation avec les citoyens",
            "themes-2-label": ""}
    data.update(values)
    return data


def _by_slug(db, slug: str) -> Programme:
    return db.exec(select(Programme).where(Programme.slug == slug)).one()


def test_the_admin_creates_a_programme_with_its_milestones_and_themes(client_as, world, db):
    admin = client_as("admin")
    response = admin.post("/programmes/nouveau", data=_programme_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/programmes/experimentation-ia-2026-grand-est")
    created = _by_slug(db, "experimentation-ia-2026-grand-est")
    assert (created.agency, created.region_name, created.launch_date, created.launch_place, created.tool_name) == (
        "Agence numérique du Grand Est", "Grand Est", date(2026, 1, 15), "Reims", "Albert")
    assert created.region_departements == ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]
    milestones = db.exec(select(Milestone).where(Milestone.programme_id == created.id)
                         .order_by(Milestone.starts_on)).all()
    assert [(m.kind, m.label, m.starts_on, m.ends_on) for m in milestones] == [
        ("launch", "Journée de lancement à Reims", date(2026, 1, 15), None),
        ("workshops", "Ateliers « vis ma vie »", date(2026, 2, 1), date(2026, 4, 30))]
    themes = db.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == created.id)
                     .order_by(ProgrammeTheme.id)).all()
    assert [(t.code, t.label) for t in themes] == [("classement_documentaire", "Classement documentaire"),
                                                   ("relation_avec_les_citoyens", "Relation avec les citoyens")]
    audited = db.exec(select(AuditEntry).where(AuditEntry.user_id == world.users["admin"].id,
                                               AuditEntry.action == "insert")).all()
    assert ("programme", created.id) in {(a.table_name, a.row_id) for a in audited}
    assert {m.id for m in milestones} <= {a.row_id for a in audited if a.table_name == "milestone"}
    assert {t.id for t in themes} <= {a.row_id for a in audited if a.table_name == "programme_theme"}
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Programme créé." in page and "Journée de lancement à Reims" in page


@pytest.mark.parametrize("values, message, kept", [
    ({"name": ""}, "Indiquez le nom du programme.", 'value="Agence numérique du Grand Est"'),
    ({"launch_date": "pas une date"}, "N&#39;est pas une date valide.", 'value="pas une date"'),
    ({"launch_date": ""}, "Indiquez la date de la journée de lancement (jj/mm/aaaa).", 'value="Reims"'),
    ({"duration_months": "0"}, "La durée est comprise entre 1 et 120 mois.", 'value="0"'),
    ({"duration_months": "1000"}, "La durée est comprise entre 1 et 120 mois.", 'value="1000"'),
    ({"departements": "21, 99, 2C"}, "Code de département inconnu : 99, 2C", 'value="21, 99, 2C"'),
    ({"name": "N" * 201}, "Le nom compte 200 caractères au plus.", 'value="' + "N" * 201 + '"'),
    ({"description": "D" * 5001}, "La description compte 5 000 caractères au plus.", "D" * 5001),
    ({"milestones-1-label": "J" * 201}, "L&#39;intitulé d&#39;un jalon compte 200 caractères au plus.", "J" * 201),
    ({"milestones-1-starts_on": ""}, "Indiquez la date de début du jalon (jj/mm/aaaa).",
     'value="Ateliers « vis ma vie »"'),
    ({"milestones-1-ends_on": "2026-01-20"}, "La fin du jalon précède son début.", 'value="2026-01-20"'),
    ({"milestones-2-kind": "launch", "milestones-2-label": "Second lancement", "milestones-2-starts_on": "2026-03-01"},
     "Un programme n&#39;a qu&#39;un jalon de ce type.", 'value="Second lancement"'),
    ({"themes-2-label": "relation avec  les citoyens"}, "Cette thématique figure déjà.", 'value="relation avec'),
    ({"region_name": ""}, "Choisissez la région dans la liste ou saisissez son nom.", 'value="Reims"'),
])
def test_a_refused_form_keeps_what_was_typed_with_a_french_message(client_as, world, db, values, message, kept):
    response = client_as("admin").post("/programmes/nouveau", data=_programme_form(**values))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and kept in page
    assert 'value="Classement documentaire"' in page  # the other rows too
    assert db.exec(select(Programme).where(Programme.name.like("%Grand Est%"))).first() is None


def test_a_name_gives_a_unique_slug_and_never_the_new_programme_route(client_as, world, db):
    admin = client_as("admin")
    assert admin.post("/programmes/nouveau", data=_programme_form(name="Nouveau")).status_code == 302
    assert admin.post("/programmes/nouveau", data=_programme_form(name="Nouveau")).status_code == 302
    assert {p.slug for p in db.exec(select(Programme).where(Programme.name == "Nouveau"))} == {"nouveau-2",
                                                                                               "nouveau-3"}
    page = admin.get("/programmes/nouveau").get_data(as_text=True)
    assert "<h1>Nouveau programme</h1>" in page and 'name="milestones-4-kind"' in page


def _edit_data(world, db, **values) -> dict:
    milestone = Milestone(programme_id=world.programme.id, kind="mid_term", label="Comité de mi-parcours",
                          starts_on=date(2024, 10, 15))
    db.add(milestone)
    db.commit()
    themes = db.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == world.programme.id)
                     .order_by(ProgrammeTheme.id)).all()
    data = _programme_form(name="Programme renommé", launch_date="12/04/2024", **{
        "milestones-0-id": str(milestone.id), "milestones-0-kind": "mid_term",
        "milestones-0-label": "Comité de pilotage de mi-parcours", "milestones-0-starts_on": "2024-10-16",
        "milestones-1-label": "", "milestones-1-starts_on": "", "milestones-1-ends_on": ""})
    for index, theme in enumerate(themes):
        data[f"themes-{index}-id"] = str(theme.id)
        data[f"themes-{index}-label"] = theme.label
    data.update(values)
    return data


def test_editing_changes_the_programme_and_keeps_its_address(client_as, world, db):
    slug, old_name = world.programme.slug, world.programme.name
    data = _edit_data(world, db, **{"themes-2-label": "Ressources humaines"})
    page = client_as("admin").get(f"/programmes/{slug}/modifier").get_data(as_text=True)
    assert f'value="{old_name}"' in page and 'value="Classement documentaire et trouvabilité"' in page
    response = client_as("admin").post(f"/programmes/{slug}/modifier", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/programmes/{slug}")
    db.expire_all()
    edited = _by_slug(db, slug)
    assert (edited.name, edited.region_name, edited.launch_place) == ("Programme renommé", "Grand Est", "Reims")
    milestone = db.exec(select(Milestone).where(Milestone.programme_id == edited.id)).one()
    assert (milestone.label, milestone.starts_on) == ("Comité de pilotage de mi-parcours", date(2024, 10, 16))
    themes = db.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == edited.id)).all()
    assert {t.code: t.label for t in themes}["rh"] == "Ressources humaines"  # the code stays, the label changes
    audited = db.exec(select(AuditEntry).where(AuditEntry.table_name == "programme", AuditEntry.row_id == edited.id,
                                               AuditEntry.action == "update")).all()
    assert any(a.changes.get("name") == [old_name, "Programme renommé"] for a in audited)


def test_a_milestone_or_an_unused_theme_is_removed_with_its_checkbox(client_as, world, db):
    data = _edit_data(world, db, **{"milestones-0-remove": "y", "themes-2-remove": "y"})
    assert client_as("admin").post(f"/programmes/{world.programme.slug}/modifier", data=data).status_code == 302
    assert db.exec(select(Milestone).where(Milestone.programme_id == world.programme.id)).first() is None
    codes = set(db.exec(select(ProgrammeTheme.code).where(ProgrammeTheme.programme_id == world.programme.id)))
    assert codes == {"classement", "citoyens"}


def test_a_theme_in_use_cannot_be_removed(client_as, world, db):
    # The world's irritants are filed under « classement », the first theme.
    data = _edit_data(world, db, **{"themes-0-remove": "y"})
    response = client_as("admin").post(f"/programmes/{world.programme.slug}/modifier", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ne peut pas être retirée : 2 irritant(s), 0 atelier(s) et 0 hypothèse(s) l&#39;utilisent." in page
    db.expire_all()
    assert _by_slug(db, world.programme.slug).name != "Programme renommé"  # nothing of the form was saved


def test_an_archived_programme_leaves_the_home_list_keeps_its_page_and_is_restored(client_as, world, db):
    admin, slug = client_as("admin"), world.programme.slug
    assert f'href="/programmes/{slug}"' in client_as("facilitator").get("/").get_data(as_text=True)
    assert admin.post(f"/programmes/{slug}/archiver").status_code == 302
    db.expire_all()
    archived_on = _by_slug(db, slug).archived_at
    assert archived_on is not None
    team_home = client_as("facilitator").get("/").get_data(as_text=True)
    assert f'href="/programmes/{slug}"' not in team_home and "Programmes archivés" not in team_home
    admin_home = admin.get("/").get_data(as_text=True)
    listed, archived = admin_home.split("Programmes archivés")
    assert f'href="/programmes/{slug}"' not in listed and f'href="/programmes/{slug}"' in archived
    page = client_as("steering").get(f"/programmes/{slug}")
    assert page.status_code == 200
    as_utc = archived_on if archived_on.tzinfo else archived_on.replace(tzinfo=timezone.utc)
    archived_day = as_utc.astimezone(ZoneInfo("Europe/Paris")).day  # the day on the page's clock, not UTC's
    assert f"Programme archivé le {archived_day}" in page.get_data(as_text=True)
    assert f"/programmes/{slug}/restaurer" in admin.get(f"/programmes/{slug}").get_data(as_text=True)
    assert admin.post(f"/programmes/{slug}/restaurer").status_code == 302
    db.expire_all()
    assert _by_slug(db, slug).archived_at is None
    assert f'href="/programmes/{slug}"' in client_as("facilitator").get("/").get_data(as_text=True)
    assert {a.changes["archived_at"][1] is None for a in db.exec(select(AuditEntry).where(
        AuditEntry.table_name == "programme", AuditEntry.row_id == world.programme.id,
        AuditEntry.action == "update"))} == {False, True}


class _FormReader(HTMLParser):
    """What a browser would post from a page's form: inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "checkbox":
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self.data):
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def test_a_programme_started_from_a_previous_one_copies_its_themes_hypotheses_services_and_parameters(
        client_as, world, db):
    previous = world.programme  # launched 12 April 2024, like the demo's
    db.add_all([Milestone(programme_id=previous.id, kind="launch", label="Journée de lancement",
                          starts_on=date(2024, 4, 12)),
                Milestone(programme_id=previous.id, kind="workshops", label="Ateliers sur site",
                          starts_on=date(2024, 5, 1), ends_on=date(2024, 7, 31)),
                Hypothesis(programme_id=previous.id, statement="Un modèle de courrier ferait gagner du temps.",
                           theme="citoyens"),
                ScoringParameters(programme_id=previous.id, version=1, values={"loaded_hourly_cost": 35}),
                ScoringParameters(programme_id=previous.id, version=2, values={"loaded_hourly_cost": 42})])
    db.commit()
    admin = client_as("admin")
    page = admin.get(f"/programmes/nouveau?depuis={previous.slug}").get_data(as_text=True)
    assert 'value="Relation avec les citoyens"' in page and 'value="Ateliers sur site"' in page
    reader = _FormReader()
    reader.feed(page)
    posted = {**reader.data, "name": "Programme 2026", "launch_date": "2026-01-15", "themes-3-label": "Urbanisme"}
    response = admin.post(f"/programmes/nouveau?depuis={previous.slug}", data=posted)
    assert response.status_code == 302, response.get_data(as_text=True)
    created = _by_slug(db, "programme-2026")
    assert (created.agency, created.region_departements) == (previous.agency, previous.region_departements)
    themes = dict(db.exec(select(ProgrammeTheme.code, ProgrammeTheme.label)
                          .where(ProgrammeTheme.programme_id == created.id)).all())
    assert themes == {"classement": "Classement documentaire et trouvabilité", "citoyens": "Relation avec les citoyens",
                      "rh": "Questions RH", "urbanisme": "Urbanisme"}
    hypotheses = db.exec(select(Hypothesis).where(Hypothesis.programme_id == created.id)).all()
    assert {(h.statement, h.theme) for h in hypotheses} == {
        ("Retrouver un arrêté prend plus de 10 minutes.", ""),
        ("Un modèle de courrier ferait gagner du temps.", "citoyens")}
    assert service_list.names(db, created.id) == service_list.names(db, previous.id) != []
    parameters = db.exec(select(ScoringParameters).where(ScoringParameters.programme_id == created.id)).one()
    assert (parameters.version, parameters.values) == (1, {"loaded_hourly_cost": 42})
    # Left undated, each milestone keeps its distance from launch day: 19 days, then 19 to 110 days after.
    milestones = db.exec(select(Milestone).where(Milestone.programme_id == created.id)
                         .order_by(Milestone.starts_on)).all()
    assert [(m.kind, m.starts_on, m.ends_on) for m in milestones] == [
        ("launch", date(2026, 1, 15), None), ("workshops", date(2026, 2, 3), date(2026, 5, 5))]
    assert db.exec(select(Hypothesis).where(Hypothesis.programme_id == previous.id)).all()  # the previous keeps its own


def test_a_region_chosen_from_the_registry_gives_its_name_and_departements(client_as, world, db):
    registry.load(db, region="27")
    admin = client_as("admin")
    assert '<option value="27">Bourgogne-Franche-Comté</option>' in admin.get("/programmes/nouveau").get_data(
        as_text=True)
    data = _programme_form(region_code="27", region_name="", departements="")
    assert admin.post("/programmes/nouveau", data=data).status_code == 302
    created = _by_slug(db, "experimentation-ia-2026-grand-est")
    assert created.region_name == "Bourgogne-Franche-Comté"
    assert created.region_departements == ["21", "25", "39", "58", "70", "71", "89", "90"]


@pytest.mark.parametrize("role", ["facilitator", "steering", "participant"])
def test_only_the_admin_writes_programmes(client_as, world, db, role):
    client, slug = client_as(role), world.programme.slug
    assert client.get("/programmes/nouveau").status_code == 403
    assert client.post("/programmes/nouveau", data=_programme_form()).status_code == 403
    assert client.get(f"/programmes/{slug}/modifier").status_code == 403
    assert client.post(f"/programmes/{slug}/modifier", data=_programme_form()).status_code == 403
    assert client.post(f"/programmes/{slug}/archiver").status_code == 403
    assert client.post(f"/programmes/{slug}/restaurer").status_code == 403
    db.expire_all()
    assert _by_slug(db, slug).archived_at is None
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "/programmes/nouveau" not in home and "/modifier" not in home


def test_a_new_programme_from_an_unknown_one_is_not_found(client_as, world):
    assert client_as("admin").get("/programmes/nouveau?depuis=inconnu").status_code == 404


def test_the_archived_programme_is_not_the_one_pages_open_on(client_as, world, db):
    newer = factories.programme(db, launch_date=date(2024, 9, 1), name="Programme plus récent")
    db.commit()
    assert "Programme plus récent" in client_as("facilitator").get("/ateliers").get_data(as_text=True)
    client_as("admin").post(f"/programmes/{newer.slug}/archiver")
    assert "Programme plus récent" not in client_as("facilitator").get("/ateliers").get_data(as_text=True)
    assert "Programme plus récent" in client_as("facilitator").get(f"/ateliers?programme={newer.slug}").get_data(
        as_text=True)


def test_a_milestone_keeping_its_default_label_is_read_in_the_readers_language(client_as, world, db):
    from hub.core.models import Milestone

    db.add(Milestone(programme_id=world.programme.id, kind="launch", label="Journée de lancement",
                     starts_on=world.programme.launch_date))
    db.add(Milestone(programme_id=world.programme.id, kind="launch", label="Lancement à Mâcon",
                     starts_on=world.programme.launch_date))
    db.flush()
    client = client_as("facilitator")
    client.post("/langue", data={"lang": "en", "next": "/"})
    page = client.get(f"/programmes/{world.programme.slug}").get_data(as_text=True)
    assert "<td>Launch day</td>" in page and "Journée de lancement" not in page
    assert "<td>Lancement à Mâcon</td>" in page  # a label the admin typed is theirs: shown as typed
