"""Publishing the programme report: numbered versions that never change once rendered.

A publication is asked for in a request (a pending version with its number) and rendered by a
job (exports/jobs.py) that commits its progress as it goes, so the page that polls it can show
where it is. A failed rendering keeps its number and its reason until it is retried; the
previous published version stays readable all along.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from exports import rendering
from exports.assembly import assemble_report
from exports.models import ReportVersion
from hub.core.models import Programme, utcnow
from hub.core.refusals import Refused

__all__ = ["assemble_report", "PublicationRefused", "request_publication", "render_version", "versions"]

log = logging.getLogger(__name__)

# A rendering that has not reported progress for this long died with its process: it may be retried.
STALE_AFTER = timedelta(minutes=10)
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


def is_stale(version: ReportVersion) -> bool:
    """Whether a rendering under way stopped reporting: its process died, it may be retried."""
    return version.status in UNDER_WAY and utcnow() - version.updated_at > STALE_AFTER


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
    session.add(version)
    session.flush()
    return version


def _report_progress(session: Session, version: ReportVersion, percent: int, step: str) -> None:
    version.progress, version.step, version.updated_at = percent, str(step)[:200], utcnow()
    session.add(version)
    session.commit()  # each step is seen at once by the page that polls


def render_version(session: Session, *, version_id: int) -> ReportVersion:
    """Render a pending version: snapshot, HTML, PDF and its sha256; on failure, keep the reason."""
    version = session.get(ReportVersion, version_id)
    if version is None or version.status == "ready":
        return version
    programme = session.get(Programme, version.programme_id)
    version.status = "rendering"
    _report_progress(session, version, 2, _l("Rassemblement des données"))
    try:
        data = assemble_report(session, programme, as_of=version.as_of)
        _report_progress(session, version, 10, _l("Vue à l'écran"))
        with force_locale("fr"):
            html = rendering.report_html(data)

        def progress(done: int, total: int, step: str) -> None:
            _report_progress(session, version, 10 + round(85 * done / total), step)

        pdf = rendering.render_report_pdf(data, version={"number": version.number,
                                                         "published_on": version.published_at.date().isoformat()},
                                          progress=progress)
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


def latest_ready(session: Session, *, programme_id: int) -> ReportVersion | None:
    """The most recent published version."""
    return session.exec(select(ReportVersion).options(*_light())
                        .where(ReportVersion.programme_id == programme_id, ReportVersion.status == "ready")
                        .order_by(ReportVersion.number.desc())).first()
