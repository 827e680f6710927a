"""Finding programmes and their themes, and rows the scope lets a person see: shared by every package."""

from __future__ import annotations

from datetime import date

from flask import abort
from sqlmodel import Session, select

from hub.core.models import Programme, ProgrammeTheme


def all_programmes(session: Session) -> list[Programme]:
    """Every programme, most recent launch first."""
    return list(session.exec(select(Programme).order_by(Programme.launch_date.desc(), Programme.id)))


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


def chosen_programme(session: Session, slug: str | None) -> Programme | None:
    """The programme named in the query string, else the latest already launched (else the next one)."""
    if slug:
        return programme_or_404(session, slug)
    newest_first = select(Programme).order_by(Programme.launch_date.desc(), Programme.id)
    launched = session.exec(newest_first.where(Programme.launch_date <= date.today())).first()
    return launched or session.exec(newest_first).first()


def themes(session: Session, programme_id: int) -> dict[str, str]:
    """The programme's themes, code → label, in the order they were declared."""
    rows = session.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == programme_id)
                        .order_by(ProgrammeTheme.id))
    return {row.code: row.label for row in rows}
