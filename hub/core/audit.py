"""Every insert, update and delete of a domain row lands in the audit log, by one listener."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from hub.core.models import AuditEntry, utcnow

# Secrets never reach the log; the log only says that they changed.
REDACTED_FIELDS = {"password_hash"}
# Large rendered artefacts are summarised rather than copied.
SUMMARISED_FIELDS = {"pdf", "html", "snapshot"}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} octets>"
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def _field_value(key: str, value):
    if key in REDACTED_FIELDS:
        return "***"
    if key in SUMMARISED_FIELDS and value:
        return f"<{len(value)} éléments>" if not isinstance(value, (bytes, str)) else f"<{len(value)} caractères>"
    return _plain(value)


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == "insert":
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = _field_value(attr.key, value)
        elif action == "update" and history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[attr.key] = [_field_value(attr.key, old), _field_value(attr.key, new)]
        elif action == "delete":
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = _field_value(attr.key, value)
    return changes


@event.listens_for(Session, "after_flush")
def _record(session: Session, _flush_context) -> None:
    rows = []
    now = utcnow()
    user_id = session.info.get("user_id")
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditEntry) or not hasattr(obj, "__table__"):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append({
                "at": now,
                "user_id": user_id,
                "action": action,
                "table_name": obj.__tablename__,
                "row_id": getattr(obj, "id", None),
                "changes": changes,
            })
    if rows:
        # Written on the flush's own connection so the entry commits or rolls back with the change.
        session.connection().execute(sa.insert(AuditEntry.__table__), rows)
