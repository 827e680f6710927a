"""The report's long work, run by the worker process (``hub worker``, hub/core/jobs.py): rendering a version.

A request only queues the order; the version row carries the state, the progress and the worker's lease
(exports/service.py). The sweep queues again any version whose worker went silent, so a rendering interrupted by
a worker's restart resumes by itself, under its own number.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from exports import service
from exports.models import ReportVersion
from hub.core import jobs
from hub.core.models import utcnow

log = logging.getLogger(__name__)

RENDER = "render_report_version"


@jobs.job(RENDER)
def render(session: Session, *, version_id: int) -> None:
    """Render one version, if no other worker holds it."""
    service.render_version(session, version_id=version_id)


@jobs.sweep
def requeue_stale_renderings(session: Session) -> None:
    """Queue again the versions whose worker died; fail those that died too often."""
    service.fail_exhausted(session)
    for version_id in service.stale_versions(session):
        version = session.get(ReportVersion, version_id)
        # Waiting for a worker again (the claim takes pending versions); the next sweep waits for a new silence.
        version.status, version.updated_at = "pending", utcnow()
        version.step = str(_l("Reprise : le processus de rendu s'était arrêté"))
        session.add(version)
        session.commit()
        log.warning("Rendering of report version %s went silent: queued again", version_id)
        jobs.enqueue(RENDER, user_id=version.published_by_id, version_id=version_id)


def submit_rendering(version_id: int, user_id: int | None) -> None:
    """Queue the rendering of a saved version (run at once when the queue is ``immediate``, as in the tests)."""
    jobs.enqueue(RENDER, user_id=user_id, version_id=version_id)
