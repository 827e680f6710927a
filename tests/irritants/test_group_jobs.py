"""Proposing mutual groups is long work: the page queues it, the worker does it, the page says where it stands."""

from __future__ import annotations

from sqlmodel import select

from hub.core.db import new_session
from hub.core.models import BackgroundJob
from hub.core.scoping import Scope
from irritants.models import MutualGroup
from tests.worker_support import Worker, admin_of, wait_for


def test_a_proposal_run_at_once_reports_its_groups(client_as, db, world):
    client = client_as("facilitator")
    response = client.post(f"/programmes/{world.programme.slug}/groupes/propositions", data={"threshold": "0.3"})
    assert response.status_code == 302
    job = db.exec(select(BackgroundJob).where(BackgroundJob.programme_id == world.programme.id)).one()
    assert job.status == "done" and job.result["threshold"] == 0.3 and job.attempts == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    groups = job.result["groups"]
    plural = 's' if groups > 1 else ''  # French: « 0 groupe proposé », « 2 groupes proposés »
    assert f"{groups} groupe{plural} proposé{plural} au seuil 0,30." in page
    assert "Dernière proposition le" in page and "au seuil 0,30" in page


def test_a_second_proposal_waits_for_the_one_under_way(client_as, db, world):
    db.add(BackgroundJob(kind="propose_groups", programme_id=world.programme.id, arguments={"threshold": 0.3}))
    db.commit()
    client = client_as("facilitator")
    response = client.post(f"/programmes/{world.programme.slug}/groupes/propositions", data={"threshold": "0.4"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Un calcul est déjà en cours pour ce programme" in page and 'value="0.4"' in page
    assert "Proposition de groupes en cours" in page


def _the_job(app) -> BackgroundJob:
    with app.app_context(), new_session(Scope.all()) as session:
        return session.exec(select(BackgroundJob)).one()


def test_the_worker_process_does_the_proposal_the_page_asked_for(worker_hub):
    slug, admin = worker_hub.config["test.slug"], admin_of(worker_hub)
    response = admin.post(f"/programmes/{slug}/groupes/propositions", data={"threshold": "0.05"})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Proposition de groupes lancée" in page and "Proposition de groupes en cours" in page
    with Worker(worker_hub) as worker:
        job, _seen = wait_for(lambda: _the_job(worker_hub), lambda job: job.status in ("done", "failed"),
                              timeout=60, interval=0.2)
    assert job.status == "done", (job, worker.output)
    with worker_hub.app_context(), new_session(Scope.all()) as session:
        proposed = session.exec(select(MutualGroup).where(MutualGroup.status == "proposed")).all()
    assert len(proposed) == job.result["groups"]
    assert "Dernière proposition le" in admin.get(f"/programmes/{slug}/groupes").get_data(as_text=True)


def test_the_lowest_threshold_the_form_names_is_accepted(client_as, world):
    # The field gives a Decimal, and Decimal("0.05") is below the float 0.05: the bound itself used to be refused.
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/groupes/propositions",
                                             data={"threshold": "0,05"})
    assert response.status_code == 302
