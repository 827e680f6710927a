"""The programme's hypotheses: the library, each workshop's outcome with evidence, and how often each held."""

from __future__ import annotations

from sqlmodel import select

from tests import factories
from workshops.hypotheses import statistics
from workshops.models import Hypothesis, HypothesisTest


def test_the_team_adds_a_hypothesis_once(client_as, world, db):
    client = client_as("facilitator")
    url = f"/programmes/{world.programme.slug}/hypotheses"
    statement = "Rédiger une réponse aux messages des citoyens ferait gagner du temps."
    assert client.post(url, data={"statement": statement, "theme": "citoyens"}).status_code == 302
    again = client.post(url, data={"statement": "  " + statement.upper(), "theme": ""})
    assert again.status_code == 422
    assert "déjà dans la bibliothèque" in again.get_data(as_text=True)
    assert len(db.exec(select(Hypothesis).where(Hypothesis.theme == "citoyens")).all()) == 1


def test_a_validated_hypothesis_needs_its_evidence(client_as, world, db):
    hypothesis = db.exec(select(Hypothesis)).first()
    url = f"/ateliers/{world.foreign_workshop.id}/hypotheses"
    client = client_as("facilitator")
    refused = client.post(url, data={"hypothesis_id": hypothesis.id, "outcome": "validated", "evidence": "",
                                     "agents_count": "3"})
    assert refused.status_code == 422
    assert "Décrivez ce qui a été observé" in refused.get_data(as_text=True)
    done = client.post(url, data={"hypothesis_id": hypothesis.id, "outcome": "validated",
                                  "evidence": "Trois agents ont cherché un arrêté de 2009 pendant 20 minutes.",
                                  "agents_count": "3"})
    assert done.status_code == 302
    test = db.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == world.foreign_workshop.id)).one()
    assert (test.outcome, test.agents_count) == ("validated", 3)


def test_statistics_count_outcomes_across_workshops(world, db):
    hypothesis = db.exec(select(Hypothesis)).first()  # validated by the own workshop already
    for outcome in ("validated", "invalidated", "unclear"):
        extra = factories.collectivity(db, world.programme)
        workshop = factories.workshop(db, world.programme, extra)
        db.add(HypothesisTest(workshop_id=workshop.id, collectivity_id=extra.id, hypothesis_id=hypothesis.id,
                              outcome=outcome, evidence="observé"))
    untested = Hypothesis(programme_id=world.programme.id, statement="Jamais testée")
    db.add(untested)
    db.commit()
    rows = {row.hypothesis.id: row for row in statistics(db, programme_id=world.programme.id)}
    row = rows[hypothesis.id]
    assert (row.validated, row.invalidated, row.unclear, row.tested) == (2, 1, 1, 4)
    assert row.validated_share == 0.5
    assert rows[untested.id].validated_share is None


def test_the_library_page_shows_the_share_validated(client_as, world):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/hypotheses").get_data(as_text=True)
    assert "Retrouver un arrêté prend plus de 10 minutes." in page
    assert "100" in page and "sur 1 atelier)" in page
    assert "Ajouter une hypothèse" not in page  # the committee reads
