"""Each role's home says what to do next, within the role's scope: the team's blocks, the référent's news and
requests, the committee's dashboard and the irritants behind each of its figures."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from hub.core.models import Invitation, User
from irritants.models import Comment, Decision, DecisionIrritant, IrritantEvent
from participants.models import SurveyWave
from tests import factories
from tests.conftest import logged_in
from tests.sql_statements import page_queries, statements_run


def _block(html: str, block_id: str) -> str:
    """The HTML of one block of a home, from its heading to the end of its <article> or <section>."""
    start = html.index(f'id="{block_id}"')
    ends = [i for i in (html.find("</article>", start), html.find("</section>", start)) if i != -1]
    return html[start:min(ends)]


def _count(block: str) -> int:
    return int(re.search(r'class="badge badge-count">([\d\u202f\u00a0 ]+)<', block).group(1).replace("\u202f", "")
               .replace("\u00a0", "").replace(" ", ""))


def _html(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # Entities decoded: a title from the records is escaped, a translated sentence is not.
    return html.unescape(response.get_data(as_text=True))


# --- the team ------------------------------------------------------------------------------------------------------

def test_proposals_to_review_oldest_first_with_their_collectivity_and_age(client_as, world, db):
    now = datetime.now(timezone.utc)
    newer = factories.irritant(db, world.programme, world.own, status="proposed", title="Proposition récente",
                               created_at=now - timedelta(days=1))
    older = factories.irritant(db, world.programme, world.foreign, status="proposed", title="Proposition ancienne",
                               created_at=now - timedelta(days=9))
    db.commit()
    block = _block(_html(client_as("facilitator")), "bloc-propositions")
    assert _count(block) == 2
    assert block.index("Proposition ancienne") < block.index("Proposition récente")
    assert f'href="/irritants/{older.id}"' in block and f'href="/irritants/{newer.id}"' in block
    assert "Lormes" in block and "il y a 9 jours" in block and "il y a 1 jour" in block
    assert 'href="/a-faire?liste=propositions"' in block


def test_a_referents_proposal_shows_up_in_the_teams_home_within_the_request(client_as, world):
    data = {"collectivity_id": world.own.id, "kind": "irritant", "title": "Ordres de mission retapés",
            "description": "Questions répétées", "service": "accueil", "theme": "rh", "occurrences_per_month": "40",
            "minutes_per_occurrence": "10", "agents_affected": "2"}
    assert client_as("participant").post("/irritants/nouveau", data=data).status_code == 302
    block = _block(_html(client_as("facilitator")), "bloc-propositions")
    assert _count(block) == 1 and "Ordres de mission retapés" in block and "Chéroy" in block
    assert "aujourd'hui" in block


def test_an_empty_block_says_so_in_one_line(client_as, world):
    block = _block(_html(client_as("facilitator")), "bloc-propositions")
    assert _count(block) == 0
    assert "Aucune proposition de référent n'attend votre examen." in block
    assert "<li>" not in block


def test_workshops_of_today_and_next_each_one_tap_from_capture(client_as, world, db):
    today = date.today()
    factories.workshop(db, world.programme, world.own, held_on=today + timedelta(days=20), place="Salle B")
    first = factories.workshop(db, world.programme, world.foreign, held_on=today, place="Salle A")
    factories.workshop(db, world.programme, world.own, held_on=today + timedelta(days=3), status="held")
    db.commit()
    block = _block(_html(client_as("facilitator")), "bloc-ateliers")
    assert _count(block) == 2  # the held one is done; the world's planned ones of 2024 are past
    assert block.index("Aujourd'hui") < block.index("Salle B")
    assert f'href="/ateliers/{first.id}/saisie"' in block
    # The world's two workshops are still « planned » on a day gone by.
    assert "2 ateliers dont la date est passée sont encore « planifiés »" in block


def test_irritants_to_qualify_to_score_and_decisions_due(client_as, world, db):
    to_score = factories.irritant(db, world.programme, world.own, status="qualified", title="Sans option")
    to_decide = factories.irritant(db, world.programme, world.own, status="scored", title="Recommandé sans décision")
    factories.option(db, to_decide)
    decided = factories.irritant(db, world.programme, world.foreign, status="scored", title="Recommandé et décidé")
    factories.option(db, decided)
    decision = db.exec(sa.select(Decision)).scalars().first()
    db.add(DecisionIrritant(decision_id=decision.id, irritant_id=decided.id, collectivity_id=decided.collectivity_id))
    db.commit()
    page = _html(client_as("facilitator"))
    to_qualify = _block(page, "bloc-a-qualifier")
    # The world's two irritants are identified: they wait for their qualification.
    assert _count(to_qualify) == 2 and "Recherche d'anciens arrêtés" in to_qualify
    scoring = _block(page, "bloc-a-chiffrer")
    assert _count(scoring) == 1 and f'href="/irritants/{to_score.id}"' in scoring
    due = _block(page, "bloc-a-decider")
    assert _count(due) == 1 and "Recommandé sans décision" in due and "Recommandé et décidé" not in due
    assert "Recommandation : Formation" in due


def test_figures_awaiting_validation_and_corrections(client_as, world, db):
    world.own_usage.validated = True
    world.own_usage.correction = {"values": {"active_users": 8}, "by_user_id": None, "at": "2024-11-02T10:00:00"}
    db.add(world.own_usage)
    db.commit()
    block = _block(_html(client_as("facilitator")), "bloc-chiffres")
    assert "1 mois à valider" in block and "1 correction en attente" in block
    assert "2 résultats à valider" in block
    assert f'href="/programmes/{world.programme.slug}/usages"' in block
    assert f'href="/programmes/{world.programme.slug}/enquetes"' in block


def test_a_block_names_the_programme_only_when_its_items_come_from_several(client_as, world, db):
    factories.irritant(db, world.programme, world.own, status="proposed", title="Proposition A")
    db.commit()
    alone = _block(_html(client_as("facilitator")), "bloc-propositions")
    assert world.programme.name not in alone
    other = factories.programme(db, name="Programme voisin")
    factories.irritant(db, other, factories.collectivity(db, other), status="proposed", title="Proposition B")
    db.commit()
    several = _block(_html(client_as("facilitator")), "bloc-propositions")
    assert f"({world.programme.name})" in several and "(Programme voisin)" in several


def test_an_archived_programme_leaves_the_blocks(client_as, world, db):
    other = factories.programme(db, archived_at=datetime.now(timezone.utc))
    owner = factories.collectivity(db, other)
    factories.irritant(db, other, owner, status="proposed", title="Proposition d'un programme archivé")
    db.commit()
    assert "Proposition d'un programme archivé" not in _html(client_as("facilitator"))


def test_a_todo_list_in_full_its_own_order_and_filtered_by_programme(client_as, world, db):
    other = factories.programme(db)
    owner = factories.collectivity(db, other)
    factories.irritant(db, other, owner, title="Identifié d'un autre programme")
    db.commit()
    client = client_as("facilitator")
    everything = _html(client, "/a-faire?liste=a-qualifier")
    assert "3 irritants" in everything and "Identifié d'un autre programme" in everything
    one = _html(client, f"/a-faire?liste=a-qualifier&programme={world.programme.slug}")
    assert "2 irritants" in one and "Identifié d'un autre programme" not in one
    assert client.get("/a-faire?liste=inconnue").status_code == 404


def test_the_admin_sees_programmes_and_accounts_at_a_glance(client_as, world, db):
    db.add(Invitation(user_id=world.users["participant"].id, token_hash="h" * 64,
                      expires_at=datetime.now(timezone.utc) + timedelta(days=3)))
    db.add(Invitation(user_id=world.users["steering"].id, token_hash="e" * 64,
                      expires_at=datetime.now(timezone.utc) - timedelta(days=3)))
    db.commit()
    block = _block(_html(client_as("admin")), "administration")
    assert 'href="/comptes"' in block
    assert re.search(r"Invitations en attente</dt><dd>1<", block)
    assert re.search(r"Référent collectivité</dt><dd>2<", block)
    assert 'id="administration"' not in _html(client_as("facilitator"))


# --- the référent --------------------------------------------------------------------------------------------------

def test_the_referent_has_a_home_with_their_board_and_their_sheet(client_as, world):
    response = client_as("participant").get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="/mon-tableau"' in body
    assert (f'href="/programmes/{world.programme.slug}/collectivites/{world.own.slug}/fiche.pdf"') in body
    assert f'href="/collectivites/{world.own.id}"' in body
    assert "Chéroy" in body and "Lormes" not in body


def _news_world(db, world):
    """Changes on both collectivities' irritants by the team, and one by the référent themself."""
    team = world.users["facilitator"]
    for irritant, note in ((world.own_irritant, "Qualifié en atelier"), (world.foreign_irritant, "Autre commune")):
        db.add(IrritantEvent(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id, by_user_id=team.id,
                             from_status="identified", to_status="qualified", note=note))
        db.add(Comment(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id, author_id=team.id,
                       body=f"Question de l'équipe sur {irritant.title}"))
    db.add(Comment(irritant_id=world.own_irritant.id, collectivity_id=world.own.id,
                   author_id=world.users["participant"].id, body="Mon propre commentaire"))
    db.commit()


def test_the_referents_news_are_their_own_collectivitys_by_others(client_as, world, db):
    _news_world(db, world)
    block = _block(_html(client_as("participant")), "nouvelles")
    assert "Qualifié en atelier" in block and "Question de l'équipe sur Recherche" in block
    assert "Autre commune" not in block and "Questions RH" not in block
    assert "Mon propre commentaire" not in block
    assert "« Identifié » à « Qualifié »" in block


def test_a_decision_is_told_once_and_a_new_irritant_is_news(client_as, world, db):
    decision = db.exec(sa.select(Decision)).scalars().first()
    decision.decided_on = date.today()
    db.add(decision)
    db.add(IrritantEvent(irritant_id=world.own_irritant.id, collectivity_id=world.own.id, from_status="scored",
                         to_status="decided", note="Décision du comité de pilotage"))
    added = factories.irritant(db, world.programme, world.own, title="Relevé en atelier")
    db.add(IrritantEvent(irritant_id=added.id, collectivity_id=world.own.id, to_status="identified"))
    db.commit()
    block = _block(_html(client_as("participant")), "nouvelles")
    assert "décision du comité : Engager une action frugale" in block
    assert "« Évalué » à « Décidé »" not in block
    assert re.search(r"Relevé en atelier</a> —\s+ajouté à votre tableau \(« Identifié »\)", block)
    assert _count(block) == 2


def test_news_are_those_since_the_previous_visit(app, world, db):
    referent = world.users["participant"]
    old = datetime.now(timezone.utc) - timedelta(days=2)
    db.add(Comment(irritant_id=world.own_irritant.id, collectivity_id=world.own.id, body="Avant la visite",
                   created_at=old))
    db.commit()
    first = _block(_html(logged_in(app, referent)), "nouvelles")
    assert "Ces 30 derniers jours" in first and "Avant la visite" in first
    db.expire_all()
    seen = db.get(User, referent.id).home_seen_at
    assert seen is not None
    db.add(Comment(irritant_id=world.own_irritant.id, collectivity_id=world.own.id, body="Après la visite",
                   created_at=datetime.now(timezone.utc) + timedelta(seconds=1)))
    db.commit()
    second = _block(_html(logged_in(app, referent)), "nouvelles")
    assert "Depuis votre dernière visite" in second
    assert "Après la visite" in second and "Avant la visite" not in second


def test_reloading_the_home_keeps_the_news_of_the_session(app, world, db):
    _news_world(db, world)
    client = logged_in(app, world.users["participant"])
    assert "Qualifié en atelier" in _block(_html(client), "nouvelles")
    assert "Qualifié en atelier" in _block(_html(client), "nouvelles")


def test_what_the_team_asks_of_the_referent(client_as, world, db):
    db.add(SurveyWave(programme_id=world.programme.id, label="Usagers, mars 2025", audience="users",
                      opened_on=date(2025, 3, 1)))
    db.commit()
    block = _block(_html(client_as("participant")), "demandes")
    # Seats from September 2024, October declared, the programme over after April 2025: seven months to declare.
    assert "Déclarer l'usage de l'outil pour 7 mois" in block
    assert "septembre 2024, novembre 2024" in block and "octobre 2024" not in block
    assert "Saisir les résultats de l'enquête « Usagers, mars 2025 »" in block
    assert "Agents, décembre 2024" not in block  # already answered
    assert "Donner une valeur à la mesure d'impact « Délai »" in block


def test_the_referent_learns_the_fate_of_their_corrections(app, client_as, world, db):
    world.own_usage.validated = True
    db.add(world.own_usage)
    db.commit()
    referent = logged_in(app, world.users["participant"])
    assert referent.post(f"/programmes/{world.programme.slug}/usages/mois", data={
        "collectivity_id": world.own.id, "month": "2024-10", "active_users": "9", "requests": "120"},
    ).status_code in (200, 302)
    db.expire_all()
    waiting = _block(_html(logged_in(app, world.users["participant"])), "demandes")
    assert "1 correction que vous avez proposée attend la réponse de l'équipe projet." in waiting
    assert client_as("facilitator").post(f"/usages/{world.own_usage.id}/correction",
                                         data={"decision": "accept"}).status_code in (200, 302)
    settled = _block(_html(logged_in(app, world.users["participant"])), "demandes")
    assert "Votre correction d'un mois d'usage a été acceptée par l'équipe projet" in settled


def test_the_referents_proposals_waiting_and_set_aside_with_why(client_as, world, db):
    waiting = factories.irritant(db, world.programme, world.own, status="proposed", title="Ma proposition")
    aside = factories.irritant(db, world.programme, world.own, status="rejected", title="Proposition écartée")
    db.add(IrritantEvent(irritant_id=aside.id, collectivity_id=world.own.id, from_status="proposed",
                         to_status="rejected", note="Déjà traité par la DSI"))
    factories.irritant(db, world.programme, world.foreign, status="proposed", title="Proposition de Lormes")
    db.commit()
    block = _block(_html(client_as("participant")), "propositions")
    assert f'href="/irritants/{waiting.id}"' in block and "en attente de l'examen" in block
    assert "Déjà traité par la DSI" in block
    assert "Proposition de Lormes" not in block


# --- the committee -------------------------------------------------------------------------------------------------

def test_the_committee_dashboard_is_dated_charted_and_drills_down(client_as, world, db):
    page = _html(client_as("steering"))
    assert f"Données au {date.today().day}" in page or "Données au 1er" in page
    funnel = _block(page, "entonnoir")
    assert '<img src="data:image/png;base64,' in funnel and 'alt="Entonnoir de qualification : Identifiés 2' in funnel
    assert f'href="/programmes/{world.programme.slug}/chiffres?chiffre=identifies"' in funnel
    decisions = _block(page, "decisions")
    assert f'href="/programmes/{world.programme.slug}/chiffres?chiffre=decision-frugal_action"' in decisions
    assert "Engager une action frugale" in decisions
    assert "Déclarer un mois" not in page and "<form" not in page.split('id="contenu"')[1].split("</main>")[0]


def test_a_figures_drill_down_lists_the_programmes_irritants_behind_it(client_as, world, db):
    other = factories.programme(db)
    owner = factories.collectivity(db, other)
    factories.irritant(db, other, owner, title="Irritant d'un autre programme")
    factories.irritant(db, world.programme, world.own, status="proposed", title="Proposition non examinée")
    db.commit()
    client = client_as("steering")
    listed = _html(client, f"/programmes/{world.programme.slug}/chiffres?chiffre=identifies")
    assert "2 irritants derrière ce chiffre" in listed
    assert f'href="/irritants/{world.own_irritant.id}"' in listed
    assert "autre programme" not in listed and "Proposition non examinée" not in listed
    decided = _html(client, f"/programmes/{world.programme.slug}/chiffres?chiffre=decision-frugal_action")
    assert "Recherche d'anciens arrêtés" in decided and "Questions RH récurrentes" in decided
    assert "<form" not in decided.split('id="contenu"')[1].split("</main>")[0]
    assert client.get(f"/programmes/{world.programme.slug}/chiffres?chiffre=inconnu").status_code == 404


def test_each_figure_counts_what_its_drill_down_lists(client_as, world, db):
    for n in range(3):
        row = factories.irritant(db, world.programme, world.own, evidence_level=2 + n % 2, actionability=n,
                                 status="qualified" if n else "identified")
        factories.option(db, row, family="ia_generative" if n == 2 else "processus")
    db.commit()
    client = client_as("steering")
    page = _html(client)
    rows = re.findall(r'chiffre=([\w-]+)">[^<]+</a></td><td class="number">(\d+)<', page)
    assert len(rows) >= 7
    for key, count in rows:
        listed = _html(client, f"/programmes/{world.programme.slug}/chiffres?chiffre={key}")
        assert re.search(rf"\b{count} irritants? derrière ce chiffre", listed), key


# --- bounded queries -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["admin", "participant", "steering"])
def test_a_homes_queries_do_not_grow_with_the_data(connection, client_as, world, db, role):
    client = client_as(role)
    page_queries(connection, client, "/")  # the référent's first visit writes its time: counted from the second
    before = page_queries(connection, client, "/")
    for n in range(15):
        row = factories.irritant(db, world.programme, world.own, status=("proposed", "identified", "qualified")[n % 3])
        factories.workshop(db, world.programme, world.own, held_on=date.today() + timedelta(days=n))
        db.add(Comment(irritant_id=row.id, collectivity_id=world.own.id, body="Commentaire"))
        if n % 3 == 2:
            factories.option(db, row)
    db.commit()
    # The first view after the writes counts again what a worker keeps under the programme's counters
    # (hub.core.revisions); the next one is the same page as before, with more rows.
    page_queries(connection, client, "/")
    assert page_queries(connection, client, "/") == before
    assert before < 25


def test_a_block_past_the_count_cap_says_more_than_the_cap(monkeypatch, client_as, world, db):
    """A block counts to a cap as the lists do (10,000): past it, the home says « plus de », not a wrong total."""
    monkeypatch.setattr("hub.app.home.team.COUNT_CAP", 3)
    for _ in range(3):  # five identified with the world's two
        factories.irritant(db, world.programme, world.own)
    db.commit()
    page = _html(client_as("facilitator"))
    to_qualify = _block(page, "bloc-a-qualifier")
    assert 'class="badge badge-count">plus de 3</span>' in to_qualify
    assert "Tous les irritants à qualifier (plus de 3)" in to_qualify
    assert to_qualify.count("<li>") == 5
    assert _count(_block(page, "bloc-a-chiffrer")) == 0  # under the cap, the exact count
    assert "Plus de 3 irritants." in _html(client_as("facilitator"), "/a-faire?liste=a-qualifier")


def test_a_programme_card_follows_a_status_change_made_by_any_writer(connection, client_as, world, db):
    """The card's irritant counts are kept per worker under the irritant counter and follow a plain SQL write."""
    client = client_as("facilitator")

    def qualified() -> int:
        card = _html(client).split(f">{world.programme.name}</a></h3>")[1]
        return int(re.search(r"Irritants qualifiés</dt><dd>(\d+)</dd>", card).group(1))

    before = qualified()
    with statements_run(connection) as statements:
        assert qualified() == before
    assert not [statement for statement in statements if "irritant_on" in statement], statements
    connection.execute(sa.text("UPDATE irritant SET status = 'qualified' WHERE id = :i"), {"i": world.own_irritant.id})
    assert qualified() == before + 1
