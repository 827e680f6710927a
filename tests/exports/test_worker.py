"""Renderings run in the worker process (`hub worker`): one claim per version, a dead worker's job taken up again.

These tests need committed data that a second process reads: they run on a database of their own (a SQLite file,
or a PostgreSQL database created beside the test one when the suite runs on PostgreSQL, whose queue is then kept
in PostgreSQL too, as in production).
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import timedelta, timezone

import sqlalchemy as sa
from flask_babel import force_locale
from sqlmodel import select

from exports import service
from exports.models import ReportVersion
from hub.core.db import new_session
from hub.core.models import utcnow
from hub.core.scoping import Scope
from tests.worker_support import STALE_SECONDS, Worker, admin_of, wait_for


def _follow(client, slug: str, number: int, *, until, timeout: float = 180) -> tuple[dict, set[int]]:
    """Poll the version's state as its progress page does, until ``until`` holds: that state, the progress seen."""
    state, states = wait_for(lambda: client.get(f"/programmes/{slug}/rapport/versions/{number}/etat").get_json(),
                             until, timeout=timeout)
    return state, {seen["progress"] for seen in states}


def _finished(state: dict) -> bool:
    return state["status"] in ("ready", "failed")


def _new_version(session) -> ReportVersion:
    """Version 1 of the world's programme, saved and not claimed yet."""
    programme_id = session.exec(sa.text("SELECT id FROM programme")).scalar_one()
    version = ReportVersion(programme_id=programme_id, number=1)
    session.add(version)
    session.commit()
    return version


def test_the_worker_process_renders_a_version_and_the_page_follows_its_progress(worker_hub):
    slug, admin = worker_hub.config["test.slug"], admin_of(worker_hub)
    response = admin.post(f"/programmes/{slug}/rapport/publier")
    assert response.status_code == 302
    assert admin.get(f"/programmes/{slug}/rapport/versions/1/etat").get_json()["status"] == "pending"
    with Worker(worker_hub) as worker:
        state, seen = _follow(admin, slug, 1, until=_finished)
    assert state["status"] == "ready", (state, worker.output)
    assert len(seen) >= 2  # the bar moved while the page polled
    assert admin.get(f"/programmes/{slug}/rapport/versions/1.pdf").data.startswith(b"%PDF")
    # The open data was frozen with it, and is served as the file written then.
    catalogue = worker_hub.test_client().get(f"/donnees-ouvertes/{slug}/versions/1/irritants.csv")
    assert catalogue.status_code == 200 and catalogue.data.startswith(b"identifiant,")
    assert "immutable" in catalogue.headers["Cache-Control"]


def test_a_rendering_whose_worker_was_killed_is_taken_up_again_by_another(worker_hub):
    slug, admin = worker_hub.config["test.slug"], admin_of(worker_hub)
    admin.post(f"/programmes/{slug}/rapport/publier")
    with Worker(worker_hub, stop_with=signal.SIGKILL):  # mid-rendering: the job leaves the queue with the process
        _follow(admin, slug, 1, until=lambda s: s["status"] == "rendering" and s["progress"] >= 2)
    assert admin.get(f"/programmes/{slug}/rapport/versions/1/etat").get_json()["status"] == "rendering"
    time.sleep(STALE_SECONDS + 1)  # its lease runs out
    with Worker(worker_hub) as second:
        state, _seen = _follow(admin, slug, 1, until=_finished)
    assert state["status"] == "ready", (state, second.output)
    with worker_hub.app_context(), new_session(Scope.all()) as session:
        version = session.exec(select(ReportVersion)).one()
        assert (version.number, version.attempts) == (1, 2)  # the same version, claimed a second time


def test_two_publish_requests_at_once_give_one_version_and_a_clear_message(worker_hub):
    slug = worker_hub.config["test.slug"]
    for round_number in range(1, 4):
        barrier, answers = threading.Barrier(2), []

        def publish():
            client = admin_of(worker_hub)
            barrier.wait()
            response = client.post(f"/programmes/{slug}/rapport/publier")
            answers.append((response.status_code, response.headers.get("Location", ""),
                            client.get(response.headers["Location"]).get_data(as_text=True)
                            if response.status_code == 302 else ""))

        threads = [threading.Thread(target=publish) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(code for code, _location, _page in answers) == [302, 302], answers
        progress = [page for _code, location, page in answers if location.endswith("/progression")]
        refused = [page for _code, location, page in answers if location.endswith("/versions")]
        assert len(progress) == 1 and len(refused) == 1, [location for _code, location, _page in answers]
        assert ("déjà en cours de rendu" in refused[0]
                or "Une autre publication vient d&#39;être demandée" in refused[0]), refused[0]
        with worker_hub.app_context(), new_session(Scope.all()) as session:
            versions = session.exec(select(ReportVersion)).all()
            assert [v.number for v in versions] == list(range(1, round_number + 1))
            for version in versions:  # as if rendered, so that the next round may publish again
                version.status = "ready"
                session.add(version)
            session.commit()


def test_a_version_is_claimed_once_and_one_that_keeps_killing_its_worker_fails_with_a_reason(worker_hub):
    # In French, as the worker runs its jobs (hub/core/jobs.py).
    with worker_hub.app_context(), force_locale("fr"), new_session(Scope.all()) as session:
        version = _new_version(session)
        assert service.claim(session, version.id) is True
        assert service.claim(session, version.id) is False  # a second job for it: held by a live worker
        for attempt in (2, 3):
            session.execute(sa.update(ReportVersion).values(updated_at=utcnow() - timedelta(minutes=5)))
            session.commit()
            assert service.claim(session, version.id) is True, attempt  # its worker went silent: taken again
        session.execute(sa.update(ReportVersion).values(updated_at=utcnow() - timedelta(minutes=5)))
        session.commit()
        assert service.claim(session, version.id) is False  # three attempts: no more
        service.fail_exhausted(session)
        session.commit()
        session.refresh(version)
        assert version.status == "failed" and "interrompu 3 fois" in version.error


def test_a_rendering_under_way_keeps_its_lease_fresh(worker_hub):
    worker_hub.config["RENDERING_STALE_SECONDS"] = 1  # a beat every 1/8 s
    with worker_hub.app_context(), new_session(Scope.all()) as session:
        version = _new_version(session)
        assert service.claim(session, version.id)
        with service.heartbeat(session, version.id):
            old = utcnow() - timedelta(minutes=5)
            session.execute(sa.update(ReportVersion).values(updated_at=old))
            session.commit()
            time.sleep(0.6)  # a long step of the rendering (a big layout), during which nothing else writes
            beaten = session.exec(select(ReportVersion.updated_at)).one()
    beaten = beaten if beaten.tzinfo else beaten.replace(tzinfo=timezone.utc)  # SQLite keeps no offset
    assert utcnow() - beaten < timedelta(seconds=1)  # the heartbeat wrote while the rendering was busy
