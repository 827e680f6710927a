"""What the notification tests share: who was told, the accounts' ids, the form of a référent's proposal."""

from __future__ import annotations

from sqlmodel import select

from hub.core.notifications import Notification


def who_was_told(db, **where) -> dict[int, str]:
    """Who was told, by user id → kind."""
    statement = select(Notification)
    for name, value in where.items():
        statement = statement.where(getattr(Notification, name) == value)
    return {row.user_id: row.kind for row in db.exec(statement)}


def user_ids(world, *roles) -> set[int]:
    """The user ids of the world's accounts of these roles."""
    return {world.users[role].id for role in roles}


def proposal_form(world) -> dict:
    """What a référent posts to propose an irritant of their collectivity."""
    return {"collectivity_id": world.own.id, "kind": "irritant", "title": "Ordres de mission",
            "description": "Questions répétées", "service": "RH", "theme": "rh", "occurrences_per_month": "40",
            "minutes_per_occurrence": "10", "agents_affected": "2"}


