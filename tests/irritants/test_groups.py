"""Regional mutual groups: French-aware text similarity, the team's decision, and what sharing changes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from irritants import answers, mutual
from irritants.models import MutualGroup, MutualGroupMember
from irritants.similarity import Item, french_terms, propose_groups
from tests import factories


def test_french_terms_fold_accents_drop_stop_words_and_stem():
    assert french_terms("Recherche des anciens arrêtés") == french_terms("rechercher un ancien arrete")
    assert "des" not in french_terms("Recherche des anciens arrêtés")


def test_a_group_spans_several_collectivities_above_the_threshold():
    items = [Item(1, 1, "Recherche d'anciens arrêtés"), Item(2, 2, "Retrouver un ancien arrêté"),
             Item(3, 3, "Recherche des arrêtés anciens"), Item(4, 1, "Recherche d'anciens arrêtés municipaux"),
             Item(5, 4, "Anomalies de paie")]
    groups = propose_groups(items, threshold=0.3)
    assert [g.ids for g in groups] == [(1, 2, 3, 4)] and groups[0].collectivities == 3
    assert 0.3 <= groups[0].similarity <= 1
    stricter = propose_groups(items, threshold=0.9)
    assert all(2 not in g.ids for g in stricter)  # « retrouver » is not « rechercher »: it drops out first
    assert propose_groups([Item(1, 1, "Paie"), Item(2, 1, "Paie")], threshold=0.1) == []  # same collectivity


def test_proposals_replace_pending_ones_and_keep_decided_ones(world, db):
    third = factories.collectivity(db, world.programme, name="Héry")
    factories.irritant(db, world.programme, third, title="Recherche d'anciens arrêtés")
    factories.irritant(db, world.programme, world.foreign, title="Retrouver les anciens arrêtés")
    first = mutual.propose(db, programme_id=world.programme.id, threshold=0.5)
    assert len(first) == 1
    members = db.exec(select(MutualGroupMember.collectivity_id).where(MutualGroupMember.group_id == first[0].id)).all()
    assert len(set(members)) == 3
    mutual.set_status(db, group=first[0], status="confirmed")
    again = mutual.propose(db, programme_id=world.programme.id, threshold=0.5)
    assert again == []  # its members are settled in a confirmed group
    assert db.get(MutualGroup, first[0].id).status == "confirmed"


def _three_members(db, world, third, shareable: bool = True):
    """The same irritant in three collectivities: 600 h a year, a filing plan and a costly semantic search."""
    members = []
    for owner in (world.own, world.foreign, third):
        irritant = factories.irritant(db, world.programme, owner, occurrences_per_month=60, minutes_per_occurrence=25,
                                      evidence_level=2, actionability=2)
        factories.option(db, irritant, family="outil_classique", label="Plan de classement", reduction_pct=50,
                         one_off_cost=1500)
        factories.option(db, irritant, family="ia_specialisee", label="Recherche sémantique", reduction_pct=90,
                         one_off_cost=30000, shareable=shareable)
        members.append((irritant, owner.name))
    return members


def test_sharing_a_one_off_cost_can_change_the_answer(world, db):
    # 600 h a year (18,000 €) in each of three collectivities; an AI option costing 30,000 € once. Frugal:
    # 8,500 × 0.85 delivery = 7,225 €, so AI needs 1.25 × 7,225 = 9,031 €. Alone: (16,200 − 10,000) × 0.75 = 4,650 €:
    # frugal. Shared by 3 with 1,500 € of coordination each: (16,200 − 11,500 / 3) × 0.75 = 9,275 €: AI.
    members = _three_members(db, world, factories.collectivity(db, world.programme, name="Héry"))
    _version, params = answers.parameters(db, programme_id=world.programme.id)
    shared = mutual.shared_answers(db, members=members, params=params)
    assert all(a.local.family == "outil_classique" and a.shared.family == "ia_specialisee" for a in shared)
    assert all(a.differs for a in shared)


def test_members_are_counted_by_collectivity_not_by_name(world, db):
    # Two communes of the same name are two members; the same answer whatever the names shown.
    members = _three_members(db, world, factories.collectivity(db, world.programme, name=world.own.name))
    _version, params = answers.parameters(db, programme_id=world.programme.id)
    by_name = mutual.shared_answers(db, members=members, params=params)
    renamed = mutual.shared_answers(db, members=[(irritant, "Nom changé") for irritant, _name in members],
                                    params=params)
    # Shared by three: (16,200 − (10,000 + 1,500) / 3) × 0.75 = 9,275 € each; counted by name it would be shared by
    # two only: (16,200 − 16,500 / 3) × 0.75 = 8,025 € < 9,031 €, frugal.
    assert [a.shared.family for a in by_name] == ["ia_specialisee"] * 3
    assert all(a.shared.value == pytest.approx(9275, abs=1) for a in by_name)
    assert [a.shared.value for a in by_name] == [a.shared.value for a in renamed]


def test_an_option_not_shareable_keeps_its_whole_cost_in_a_group(world, db):
    # Training one's own agents is not shared: marked not shareable, the costly option is not split, so the
    # group changes nothing (it is worth 4,650 € alone and in the group).
    members = _three_members(db, world, factories.collectivity(db, world.programme, name="Héry"), shareable=False)
    _version, params = answers.parameters(db, programme_id=world.programme.id)
    shared = mutual.shared_answers(db, members=members, params=params)
    assert all(a.shared.family == a.local.family == "outil_classique" and not a.differs for a in shared)
    ai = [a for answer in shared for a in answer.shared.assessments if a.option.is_ai]
    assert all(a.one_off_share == 30000 and a.net_value == pytest.approx(6200) for a in ai)


def test_the_team_confirms_and_the_committee_reads(client_as, world, db):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/groupes").get_data(as_text=True)
    assert "Irritants semblables" in page and "Décision de l&#39;équipe" not in page
    assert client_as("facilitator").post(f"/groupes/{world.group.id}/statut",
                                         data={"status": "confirmed"}).status_code == 302
    db.expire_all()
    assert db.get(MutualGroup, world.group.id).status == "confirmed"
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/groupes").get_data(as_text=True)
    assert "Réponse locale et réponse partagée" in page


def test_a_threshold_out_of_range_is_refused_in_french(client_as, world):
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/groupes/propositions",
                                             data={"threshold": "3"})
    assert response.status_code == 422 and "Un seuil entre 0,05 et 1." in response.get_data(as_text=True)


def test_a_decision_on_a_confirmed_group_covers_every_member(client_as, world, db):
    from irritants.models import Decision, DecisionIrritant

    client = client_as("facilitator")
    data = {f"g{world.group.id}-kind": "mutualise", f"g{world.group.id}-decided_on": "15/10/2024",
            f"g{world.group.id}-rationale": "Une recherche partagée", f"g{world.group.id}-owner": "ARNia"}
    client.post(f"/groupes/{world.group.id}/decisions", data=data)
    assert db.exec(select(Decision).where(Decision.mutual_group_id == world.group.id)).all() == []  # not yet
    client.post(f"/groupes/{world.group.id}/statut", data={"status": "confirmed"})
    assert client.post(f"/groupes/{world.group.id}/decisions", data=data).status_code == 302
    decision = db.exec(select(Decision).where(Decision.mutual_group_id == world.group.id)).one()
    assert decision.kind == "mutualise"
    covered = db.exec(select(DecisionIrritant.irritant_id).where(DecisionIrritant.decision_id == decision.id)).all()
    assert set(covered) == {world.own_irritant.id, world.foreign_irritant.id}
