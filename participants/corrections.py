"""Validated is validated: a référent's change to a figure the team validated waits as a correction.

A usage month or a survey result the team validated is what pages and reports read. When a référent enters other
values for it, they are kept beside it as a correction, with who proposed them and when; the team sees both and
accepts (the correction becomes the validated figure) or refuses it (the figure stays). Nothing validated is ever
replaced without the team.
"""

from __future__ import annotations

from sqlmodel import Session

from hub.core.models import utcnow


def propose(session: Session, row, *, values: dict, by_user_id: int | None) -> str:
    """Keep the référent's values beside the validated row: 'correction', or 'unchanged' when they are the same."""
    if all(getattr(row, name) == value for name, value in values.items()):
        row.correction = None  # the référent confirms the validated figure: nothing waits any more
        session.add(row)
        return "unchanged"
    row.correction = {"values": values, "by_user_id": by_user_id, "at": utcnow().isoformat()}
    session.add(row)
    session.flush()
    return "correction"


def settle(session: Session, row, *, accept: bool) -> None:
    """The team's answer: the proposed values become the validated figure, or the correction is dropped."""
    if row.correction is not None and accept:
        for name, value in row.correction["values"].items():
            setattr(row, name, value)
        row.validated = True
    row.correction = None
    session.add(row)
    session.flush()
