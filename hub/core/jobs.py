"""Long work runs in a separate worker process (``hub worker``), from a queue kept by Huey.

Why Huey: a small, well-kept task queue whose storage can be a SQLite file (the embedded default: no other service
to run, the queue sits next to ``instance/hub.db``) or the PostgreSQL database the hub already uses (production:
``SELECT … FOR UPDATE SKIP LOCKED``, so each queued job is claimed by exactly one worker).

A domain declares its jobs with ``@job("name")`` and its recovery sweeps with ``@sweep``; ``init_app`` binds them to
the app's queue. A job runs inside the app, in French (what it writes is published), as the person who asked.
The queue only carries the order to work: the state a person follows (a version's progress, a proposal's step) is
kept by the domain in its own table, which is also how a job whose worker died is found and queued again by a sweep
(run when a worker starts and every minute after). That row is a lease (``Lease``): one rule for claiming it, finding
it silent and failing it after MAX_ATTEMPTS, shared by the hub's background jobs and the report's renderings.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey, crontab
from sqlalchemy.engine import make_url
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from hub.core.models import BackgroundJob, utcnow
from hub.core.refusals import Refused
from hub.core.scoping import Scope

log = logging.getLogger(__name__)

_JOBS: dict[str, Callable] = {}
_SWEEPS: list[Callable] = []
_BACKGROUND: dict[str, Callable] = {}
QUEUE_NAME = "hub"
RUN_BACKGROUND = "background_job"
# A background job is short (seconds): one silent this long died with its worker and is queued again.
BACKGROUND_STALE_AFTER = timedelta(minutes=10)
# A claimed job that killed its worker this many times is failed rather than tried again for ever.
MAX_ATTEMPTS = 3


class JobRefused(Refused):
    """A background job cannot be started now; the message says why, in French."""


def job(name: str) -> Callable[[Callable], Callable]:
    """Declare ``function(session, **arguments)`` as a job the worker runs; ``enqueue(name, …)`` queues it."""
    def register(function: Callable) -> Callable:
        _JOBS[name] = function
        return function
    return register


def sweep(function: Callable) -> Callable:
    """Declare ``function(session)`` as a recovery sweep: it queues again the work a dead worker left behind."""
    _SWEEPS.append(function)
    return function


def queue_url(config: dict, instance_path: str | Path = "instance") -> str:
    """Where the queue is kept: ``JOBS_URL`` if set, else beside the database (SQLite file or the same PostgreSQL)."""
    url = config.get("JOBS_URL") or ""
    if url:
        return url
    database = make_url(config["DATABASE_URL"])
    if database.get_backend_name() == "postgresql":
        return database.set(drivername="postgresql").render_as_string(hide_password=False)
    on_disk = database.database not in (None, "", ":memory:")
    # An in-memory database has no folder: the queue goes to the instance folder, never the working directory.
    folder = Path(database.database).parent if on_disk else Path(instance_path)
    return f"sqlite:///{folder / 'jobs.db'}"


def make_queue(url: str) -> Huey:
    """A Huey queue on ``url``: ``immediate`` (run at once, in the caller), ``sqlite:///path`` or ``postgresql://…``."""
    if url == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresHuey(QUEUE_NAME, dsn=url, results=False, table_prefix="hub_jobs")
    raise ValueError(f"JOBS_URL non reconnue : {url!r} (immediate, sqlite:///… ou postgresql://…)")


def init_app(app: Flask) -> None:
    """Bind every declared job and sweep to this app's queue (after the domains are imported)."""
    queue = make_queue(queue_url(app.config, app.instance_path))
    tasks = {name: queue.task(name=name)(_in_app(app, function)) for name, function in _JOBS.items()}
    sweeps = _in_app(app, _run_sweeps)
    queue.periodic_task(crontab(minute="*"), name="sweeps")(sweeps)
    queue.on_startup(name="sweeps-at-start")(lambda: sweeps(user_id=None))
    app.extensions["hub.jobs"] = (queue, tasks)


def queue() -> Huey:
    """The current app's queue."""
    return current_app.extensions["hub.jobs"][0]


def enqueue(name: str, *, user_id: int | None, **arguments) -> None:
    """Queue a declared job; in ``immediate`` mode it runs now, in the caller's thread."""
    current_app.extensions["hub.jobs"][1][name](user_id=user_id, **arguments)


def _run_sweeps(session) -> None:
    for function in _SWEEPS:
        try:
            function(session)
            session.commit()
        except Exception:  # one sweep failing must not stop the others, nor the worker
            log.exception("Sweep %s failed", function.__name__)
            session.rollback()


def _in_app(app: Flask, function: Callable) -> Callable:
    def work(user_id: int | None, arguments: dict):
        from flask_babel import force_locale

        from hub.core.db import new_session

        with app.app_context(), force_locale("fr"), new_session(scope=Scope.all(), user_id=user_id) as session:
            return function(session, **arguments)

    def run(*, user_id: int | None = None, **arguments):
        # An empty context, as in the worker: run at once (immediate mode), nothing of the request that queued
        # the job (the logged-in person, their session) leaks into it.
        return contextvars.Context().run(work, user_id, arguments)
    run.__name__ = function.__name__
    return run


def run_worker(*, workers: int = 1) -> None:
    """Consume the queue until stopped (SIGTERM or Ctrl-C end it after the job under way)."""
    from huey.consumer import Consumer

    from hub.core import charts

    charts.warm_up()  # every report draws charts: the engine's start is paid here, not by the first publication
    consumer = Consumer(queue(), workers=workers, worker_type="thread", periodic=True, check_worker_health=True)
    consumer.run()


# --- leases: a row that one worker at a time holds while it does the row's work ----------------------------------

@dataclass(frozen=True)
class Lease:
    """A table whose rows a worker claims, by their ``status``, ``attempts``, ``updated_at`` and ``error`` columns."""

    model: type
    running: str  # the status of a claimed row ("running", "rendering"); a row waiting for a worker is "pending"
    # Called at each use: a delay read from the app's config follows the app (tests shorten it).
    stale_after: Callable[[], timedelta]
    deferred: tuple[str, ...] = ()  # heavy columns left unloaded when rows are read to be failed
    pending: str = "pending"
    failed: str = "failed"


def claim(session: Session, lease: Lease, row_id: int) -> bool:
    """Take a row for this worker: pending, or held but silent (its worker died); False when done or held alive."""
    model, now = lease.model, utcnow()
    # One conditional UPDATE: of two workers racing for a row, exactly one sees it change.
    claimed = session.execute(
        sa.update(model)
        .where(model.id == row_id, model.attempts < MAX_ATTEMPTS,
               sa.or_(model.status == lease.pending,
                      sa.and_(model.status == lease.running, model.updated_at < now - lease.stale_after())))
        .values(status=lease.running, attempts=model.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    session.commit()
    return claimed.rowcount == 1


def silent(session: Session, lease: Lease) -> list[int]:
    """Rows waiting or held whose worker went silent, to be queued again (after ``fail_exhausted``)."""
    model = lease.model
    return list(session.exec(select(model.id).where(model.status.in_((lease.pending, lease.running)),
                                                    model.updated_at < utcnow() - lease.stale_after())))


def fail_exhausted(session: Session, lease: Lease, reason: Callable[[int], str]) -> None:
    """Fail the silent rows claimed MAX_ATTEMPTS times, with ``reason(attempts)`` for the person who asked."""
    model = lease.model
    for row in session.exec(select(model).options(*(defer(getattr(model, name)) for name in lease.deferred))
                            .where(model.status.in_((lease.pending, lease.running)),
                                   model.attempts >= MAX_ATTEMPTS, model.updated_at < utcnow() - lease.stale_after())
                            .execution_options(populate_existing=True)):  # claims change these rows past the ORM
        row.status, row.error, row.updated_at = lease.failed, reason(row.attempts), utcnow()
        session.add(row)


# --- background jobs: a row a page can follow, the work done by the worker ---------------------------------------

def background(kind: str) -> Callable[[Callable], Callable]:
    """Declare ``function(session, *, programme_id, **arguments) -> dict`` as the work of jobs of ``kind``."""
    def register(function: Callable) -> Callable:
        _BACKGROUND[kind] = function
        return function
    return register


def latest(session: Session, *, kind: str, programme_id: int) -> BackgroundJob | None:
    """The programme's most recent job of that kind, for the page that shows where it stands."""
    return session.exec(select(BackgroundJob).where(BackgroundJob.kind == kind,
                                                    BackgroundJob.programme_id == programme_id)
                        .order_by(BackgroundJob.id.desc())).first()


def under_way(job: BackgroundJob | None) -> bool:
    """Whether a job waits for a worker or runs, and is not silent for too long."""
    return (job is not None and job.status in ("pending", "running")
            and utcnow() - job.updated_at <= BACKGROUND_STALE_AFTER)


def start(session: Session, *, kind: str, programme_id: int, user_id: int | None, **arguments) -> BackgroundJob:
    """Record a job and queue it; refused while one of the same kind is under way for the programme."""
    if under_way(latest(session, kind=kind, programme_id=programme_id)):
        raise JobRefused(_l("Un calcul est déjà en cours pour ce programme : attendez qu'il aboutisse."))
    row = BackgroundJob(kind=kind, programme_id=programme_id, arguments=arguments, requested_by_id=user_id)
    session.add(row)
    session.commit()  # the worker reads the row: it must exist before the order does
    enqueue(RUN_BACKGROUND, user_id=user_id, job_id=row.id)
    session.refresh(row)
    return row


_BACKGROUND_LEASE = Lease(BackgroundJob, running="running", stale_after=lambda: BACKGROUND_STALE_AFTER)


@job(RUN_BACKGROUND)
def _run_background(session: Session, *, job_id: int) -> None:
    if not claim(session, _BACKGROUND_LEASE, job_id):
        return  # done, or held by a live worker
    row = session.exec(select(BackgroundJob).where(BackgroundJob.id == job_id)
                       .execution_options(populate_existing=True)).one()
    try:
        result = _BACKGROUND[row.kind](session, programme_id=row.programme_id, **row.arguments)
    except Refused as refused:
        session.rollback()
        status, result, error = "failed", {}, str(refused)
    except Exception as failure:  # shown to the person who asked, who may start it again
        log.exception("Background job %s (%s) failed", job_id, row.kind)
        session.rollback()
        status, result, error = "failed", {}, f"{type(failure).__name__} : {failure}"
    else:
        status, error = "done", ""
    row = session.get(BackgroundJob, job_id)
    row.status, row.result, row.error, row.updated_at = status, result or {}, error[:1000], utcnow()
    session.add(row)
    session.commit()


@sweep
def _requeue_silent_jobs(session: Session) -> None:
    fail_exhausted(session, _BACKGROUND_LEASE,
                   lambda attempts: str(_l("Le calcul s'est interrompu %(n)s fois : relancez-le.", n=attempts)))
    session.commit()
    for job_id in silent(session, _BACKGROUND_LEASE):
        row = session.get(BackgroundJob, job_id)
        row.status, row.updated_at = "pending", utcnow()  # waiting for a worker again; the claim takes it
        session.add(row)
        session.commit()
        log.warning("Background job %s went silent: queued again", row.id)
        enqueue(RUN_BACKGROUND, user_id=row.requested_by_id, job_id=row.id)
