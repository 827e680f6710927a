"""Finding programmes and their themes, and rows the scope lets a person see: shared by every package.

A page under ``/programmes/<slug>/…`` does not take the slug: ``init_app`` takes it out of the view's arguments,
and the view asks ``current_programme()``, loaded once per request. Only programme URLs name a variable ``slug``
(a collectivity's is ``collectivity_slug``).
"""

from __future__ import annotations

from datetime import date

from flask import Flask, abort, current_app, g, has_request_context
from flask import session as flask_session
from sqlmodel import Session, select

from hub.core import revisions
from hub.core.db import db
from hub.core.models import Programme, ProgrammeTheme


def all_programmes(session: Session) -> list[Programme]:
    """Every programme not archived, most recent launch first: the lists and menus offer these."""
    return list(session.exec(select(Programme).where(Programme.archived_at.is_(None))
                             .order_by(Programme.launch_date.desc(), Programme.id)))


def archived_programmes(session: Session) -> list[Programme]:
    """The archived programmes, most recently archived first (still readable by their URL)."""
    return list(session.exec(select(Programme).where(Programme.archived_at.is_not(None))
                             .order_by(Programme.archived_at.desc(), Programme.id)))


def visible_or_404(session: Session, model: type, row_id: int):
    """The row with this id if the session's scope lets it be seen, else a 404.

    A query rather than ``session.get``: the scope's criteria apply to queries, so a
    référent asking for another collectivity's row gets the same 404 as for a missing one.
    """
    found = session.exec(select(model).where(model.id == row_id)).first()
    if found is None:
        abort(404)
    return found


def programme_or_404(session: Session, slug: str) -> Programme:
    """The programme with this slug, or a 404."""
    programme = session.exec(select(Programme).where(Programme.slug == slug)).first()
    if programme is None:
        abort(404)
    return programme


REMEMBERED = "programme"


def remember(programme: Programme) -> None:
    """Keep this programme as the one its reader works on: lists and menus open on it until another is chosen."""
    if has_request_context() and flask_session.get(REMEMBERED) != programme.slug:
        flask_session[REMEMBERED] = programme.slug


def remembered_slug() -> str | None:
    """The slug of the programme its reader last worked on in this session, if any."""
    return flask_session.get(REMEMBERED) if has_request_context() else None


def chosen_programme(session: Session, slug: str | None) -> Programme | None:
    """The programme named in the query string, else the one last worked on, else the latest already launched (else
    the next one).

    An archived programme is shown only when named: it is no longer the one a page opens on.
    """
    if slug:
        programme = programme_or_404(session, slug)
        remember(programme)
        return programme
    remembered = remembered_slug()
    if remembered:
        programme = session.exec(select(Programme).where(Programme.slug == remembered,
                                                         Programme.archived_at.is_(None))).first()
        if programme is not None:
            return programme
    newest_first = select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.launch_date.desc(),
                                                                                       Programme.id)
    launched = session.exec(newest_first.where(Programme.launch_date <= date.today())).first()
    return launched or session.exec(newest_first).first()


def taken_part_in(session: Session, collectivity_id: int, find) -> Programme | None:
    """The programme a collectivity takes part in now, ``find(session, collectivity_id)`` asked once per request:
    a référent's board, their home and the menu each need it (participants.service.current_programme_of)."""
    memo = g.setdefault("programmes_taken_part_in", {}) if has_request_context() else {}
    if collectivity_id not in memo:
        memo[collectivity_id] = find(session, collectivity_id)
    return memo[collectivity_id]


def found_taken_part_in(collectivity_id: int, programme: Programme | None) -> None:
    """Tell ``taken_part_in`` the answer a page read with its collectivity (participants.service.
    with_current_programme), so that the menu does not ask again."""
    if has_request_context():
        g.setdefault("programmes_taken_part_in", {})[collectivity_id] = programme


def themes(session: Session, programme_id: int) -> dict[str, str]:
    """The programme's themes, code → label, in the order they were declared (kept while they are unchanged)."""
    def read() -> tuple[tuple[str, str], ...]:
        return tuple(session.exec(select(ProgrammeTheme.code, ProgrammeTheme.label)
                                  .where(ProgrammeTheme.programme_id == programme_id).order_by(ProgrammeTheme.id)))
    return dict(revisions.kept(session, programme_id, "settings_revision", "themes", read))


def current_programme() -> Programme:
    """The programme of this ``/programmes/<slug>/…`` URL, read once per request; a 404 if there is none.

    Loaded when the view asks, not before: ``roles_required`` has already sent an anonymous visitor to the login
    page and a wrong role to a 403, so an unknown slug tells them nothing.
    """
    if "current_programme" not in g:
        slug = g.get("programme_slug")
        if slug is None:
            raise LookupError("current_programme() is asked outside a /programmes/<slug>/… URL")
        g.current_programme = programme_or_404(db(), slug)
        remember(g.current_programme)
    return g.current_programme


def _take_slug(_endpoint: str | None, values: dict | None) -> None:
    # Every request starts without a programme: an app context (a test's) may outlive one request.
    g.pop("current_programme", None)
    g.programme_slug = values.pop("slug", None) if values else None


def _give_slug(endpoint: str, values: dict) -> None:
    # A link to another page of the same programme may leave the slug out; one given explicitly wins.
    slug = g.get("programme_slug")
    if slug is None or "slug" in values:
        return
    try:
        expecting = current_app.url_map.is_endpoint_expecting(endpoint, "slug")
    except KeyError:
        return  # an unknown endpoint: url_for's own BuildError says so
    if expecting:
        values["slug"] = slug


def init_app(app: Flask) -> None:
    """Take the slug out of every programme URL's view arguments, and give it back to the URLs built on its pages."""
    app.url_value_preprocessor(_take_slug)
    app.url_defaults(_give_slug)
