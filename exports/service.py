"""Publishing the programme report: numbered versions that never change once rendered.

A publication is asked for in a request (a pending version with its number) and rendered by a
job in the worker process (exports/jobs.py) that commits its progress as it goes, so the page that
polls it can show where it is. The version row is the rendering's lease: a worker claims it with one
conditional UPDATE (so two jobs for one version never both render), keeps it with a heartbeat, and a
version whose heartbeat stopped (its worker died) is claimed again by the next sweep (the rule is
hub/core/jobs.py's lease, shared with the hub's background jobs). A failed
rendering keeps its number and its reason until it is retried; the previous published version
stays readable all along.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from exports import opendata, rendering
from exports.assembly import assemble_report
from exports.models import ReportVersion
from exports.report_charts import report_charts
from hub.core import jobs
from hub.core.models import Programme, utcnow
from hub.core.refusals import Refused

__all__ = ["assemble_report", "PublicationRefused", "request_publication", "render_version", "versions"]

log = logging.getLogger(__name__)

# A rendering silent for stale_after() (RENDERING_STALE_SECONDS, two minutes by default) died with its worker and
# is claimed again; a live one beats eight times in that span, so a slow step never looks dead.
DEFAULT_STALE_SECONDS = 120
UNDER_WAY = ("pending", "rendering")


class PublicationRefused(Refused):
    """A publication cannot be asked for now; the message says why, in French."""


def _light():
    # Lists and links need a version's number and state, not its PDF, HTML or snapshot.
    return (defer(ReportVersion.pdf), defer(ReportVersion.html), defer(ReportVersion.snapshot))


def versions(session: Session, *, programme_id: int, ready_only: bool = False) -> list[ReportVersion]:
    """The programme's versions, latest first, without loading their PDF, HTML or snapshot."""
    statement = select(ReportVersion).options(*_light()).where(ReportVersion.programme_id == programme_id)
    if ready_only:
        statement = statement.where(ReportVersion.status == "ready")
    return list(session.exec(statement.order_by(ReportVersion.number.desc())))


def version_or_none(session: Session, *, programme_id: int, number: int) -> ReportVersion | None:
    """One version by its number."""
    return session.exec(select(ReportVersion).where(ReportVersion.programme_id == programme_id,
                                                    ReportVersion.number == number)).first()


def stale_after() -> timedelta:
    """How long a rendering may stay silent before it is taken for dead."""
    return timedelta(seconds=current_app.config.get("RENDERING_STALE_SECONDS", DEFAULT_STALE_SECONDS))


# The version row is the rendering's lease; reading rows to fail them never loads their PDF, HTML or snapshot.
RENDERING = jobs.Lease(ReportVersion, running="rendering", stale_after=stale_after,
                       deferred=("pdf", "html", "snapshot"))


def is_stale(version: ReportVersion) -> bool:
    """Whether a rendering under way stopped reporting: its process died, it may be retried."""
    return version.status in UNDER_WAY and utcnow() - version.updated_at > stale_after()


def request_publication(session: Session, *, programme: Programme, user_id: int | None,
                        as_of: date | None = None) -> ReportVersion:
    """A pending version to render: a new number, or the last one again when its rendering failed."""
    latest = session.exec(select(ReportVersion).where(ReportVersion.programme_id == programme.id)
                          .order_by(ReportVersion.number.desc())).first()
    if latest is not None and latest.status in UNDER_WAY and not is_stale(latest):
        raise PublicationRefused(_l("La version %(n)s est déjà en cours de rendu : attendez qu'elle aboutisse.",
                                    n=latest.number))
    if latest is not None and latest.status != "ready":
        version = latest  # a failed or interrupted rendering is retried under its own number
    else:
        version = ReportVersion(programme_id=programme.id, number=(latest.number + 1) if latest else 1)
    version.status, version.progress, version.step, version.error = "pending", 0, "", ""
    version.as_of = as_of or date.today()
    version.published_by_id = user_id
    version.published_at = version.updated_at = utcnow()
    version.attempts = 0
    session.add(version)
    try:
        # Committed here, not by the caller: two requests at once both read the same latest version, and the
        # second one's number then collides (or SQLite's write lock is taken). It gets a refusal, not a 500.
        session.commit()
    except (IntegrityError, OperationalError) as collided:
        session.rollback()
        log.info("Concurrent publication refused: %s", collided)
        raise PublicationRefused(_l("Une autre publication vient d'être demandée au même moment : suivez-la dans "
                                    "la liste des versions.")) from collided
    return version


def _report_progress(session: Session, version: ReportVersion, percent: int, step: str) -> None:
    version.progress, version.step, version.updated_at = percent, str(step)[:200], utcnow()
    session.add(version)
    session.commit()  # each step is seen at once by the page that polls


def claim(session: Session, version_id: int) -> bool:
    """Take the rendering of a version for this worker: pending, or under way but silent (its worker died)."""
    return jobs.claim(session, RENDERING, version_id)


@contextmanager
def heartbeat(session: Session, version_id: int):
    """Keep a claimed version's lease alive while the rendering runs, from a thread of its own."""
    # Read here, in the app: the thread below runs outside its context.
    stop, engine, every = threading.Event(), session.get_bind(), stale_after().total_seconds() / 8

    def beat() -> None:
        # A lease, not a change of the version: written past the ORM, so not in the audit log.
        while not stop.wait(every):
            with engine.begin() as connection:
                connection.execute(sa.update(ReportVersion).where(ReportVersion.id == version_id,
                                                                  ReportVersion.status == "rendering")
                                   .values(updated_at=utcnow()))

    thread = threading.Thread(target=beat, name=f"bail-version-{version_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def render_version(session: Session, *, version_id: int) -> ReportVersion | None:
    """Render a version if this worker can claim it: snapshot, HTML, PDF, open data; on failure, keep the reason."""
    if not claim(session, version_id):
        return session.get(ReportVersion, version_id)  # rendered, or being rendered by a live worker
    with heartbeat(session, version_id):
        return _render_claimed(session, version_id)


def _render_claimed(session: Session, version_id: int) -> ReportVersion:
    version = session.get(ReportVersion, version_id)
    session.refresh(version)
    programme = session.get(Programme, version.programme_id)
    _report_progress(session, version, 2, _l("Rassemblement des données"))
    try:
        data = assemble_report(session, programme, as_of=version.as_of)
        _report_progress(session, version, 10, _l("Vue à l'écran"))
        with force_locale("fr"):
            charts = report_charts(data)
            html = rendering.report_html(data, charts)

        def progress(done: int, total: int, step: str) -> None:
            _report_progress(session, version, 10 + round(85 * done / total), step)

        published = {"number": version.number, "published_on": version.published_at.date().isoformat()}
        pdf = rendering.render_report_pdf(data, charts=charts, version=published, progress=progress)
        catalogue, package = opendata.frozen(session, programme, as_of=version.as_of)
    except Exception as error:  # any failure is shown to the admin, who may retry
        log.exception("Rendering report version %s failed", version_id)
        session.rollback()
        version = session.get(ReportVersion, version_id)
        version.status, version.updated_at = "failed", utcnow()
        version.error = f"{type(error).__name__} : {error}"[:1000]
        session.add(version)
        session.commit()
        return version
    version.snapshot, version.html, version.pdf = data, html, pdf
    version.opendata_csv, version.opendata_package = catalogue, package
    version.sha256 = rendering.sha256(pdf)
    version.pages = _page_count(pdf)
    version.status, version.progress, version.step, version.updated_at = "ready", 100, "", utcnow()
    session.add(version)
    session.commit()
    return version


def _page_count(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def stale_versions(session: Session) -> list[int]:
    """Versions waiting or under way whose worker went silent: queued again by the worker's sweep."""
    return jobs.silent(session, RENDERING)


def fail_exhausted(session: Session) -> None:
    """A rendering that killed its worker jobs.MAX_ATTEMPTS times is failed with a reason, for the admin to see."""
    jobs.fail_exhausted(session, RENDERING, lambda attempts: str(_l(
        "Le rendu s'est interrompu %(n)s fois (le processus de rendu s'est arrêté) : relancez-le, et s'il "
        "s'interrompt encore, signalez-le.", n=attempts)))


def frozen_opendata(session: Session, *, programme_id: int, files: bool = True) -> ReportVersion | None:
    """The latest published version that carries its open data; its files loaded only if ``files``."""
    options = _light() if files else (*_light(), defer(ReportVersion.opendata_csv),
                                      defer(ReportVersion.opendata_package))
    return session.exec(select(ReportVersion).options(*options)
                        .where(ReportVersion.programme_id == programme_id, ReportVersion.status == "ready",
                               ReportVersion.opendata_csv.is_not(None))
                        .order_by(ReportVersion.number.desc())).first()


def latest_ready(session: Session, *, programme_id: int) -> ReportVersion | None:
    """The most recent published version."""
    return session.exec(select(ReportVersion).options(*_light())
                        .where(ReportVersion.programme_id == programme_id, ReportVersion.status == "ready")
                        .order_by(ReportVersion.number.desc())).first()
