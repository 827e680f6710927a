"""Login throttling that holds: failures counted in the database, per account and per address, for every web worker.

Why the database and not the rate limiter's memory: each gunicorn worker kept its own count (two workers, twice the
attempts), and nothing was counted per account. Here an account locks after ``ACCOUNT_LIMIT`` failures within
``WINDOW``, whoever tries; an address after ``ADDRESS_LIMIT`` (a town hall's agents share one address: its limit is
higher, and a lock on an address never locks the accounts of people who type their password right elsewhere).
A success clears the account's count. Every failure, lock and login is written to the audit log.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from sqlmodel import Session

from hub.core.models import AuditEntry, LoginThrottle, utcnow

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back what it stored without its offset; every moment here is UTC.
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _keys(email: str, address: str | None) -> list[str]:
    keys = [f"compte:{email.strip().lower()[:254]}"]
    if address:
        keys.append(f"adresse:{address[:64]}")
    return keys


def wait_before_trying(session: Session, *, email: str, address: str | None) -> timedelta | None:
    """How long this account or address must still wait, or None when a login may be tried now."""
    now, waits = utcnow(), []
    for key in _keys(email, address):
        row = session.get(LoginThrottle, key)
        locked_until = _aware(row.locked_until) if row is not None else None
        if locked_until is not None and locked_until > now:
            waits.append(locked_until - now)
    return max(waits) if waits else None


def record_failure(session: Session, *, email: str, address: str | None, user_id: int | None) -> timedelta | None:
    """Count a failed login for the account and the address; the wait it imposes now, if it locked either."""
    now, locked = utcnow(), None
    for key in _keys(email, address):
        row = session.get(LoginThrottle, key, with_for_update=True) or LoginThrottle(key=key, failures=0,
                                                                                      window_started_at=now)
        if now - _aware(row.window_started_at) > WINDOW:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        limit = ACCOUNT_LIMIT if key.startswith("compte:") else ADDRESS_LIMIT
        if row.failures >= limit and (row.locked_until is None or _aware(row.locked_until) <= now):
            row.locked_until, locked = now + LOCK, LOCK
            audit(session, "lockout", user_id, {"clé": key, "jusqu'à": row.locked_until.isoformat()})
        session.add(row)
    audit(session, "login_fail", user_id, {"adresse électronique": email.strip().lower()[:254],
                                           "adresse IP": address})
    return locked


def record_success(session: Session, *, email: str, address: str | None, user_id: int) -> None:
    """A login: the account's failures are forgiven (not the address's), and the login goes to the audit log."""
    row = session.get(LoginThrottle, _keys(email, None)[0])
    if row is not None:
        session.delete(row)
    audit(session, "login", user_id, {"adresse IP": address})


def audit(session: Session, action: str, user_id: int | None, changes: dict) -> None:
    """An audit entry for an account's event (a login, a failure, a lock), which no row change records."""
    session.add(AuditEntry(user_id=user_id, action=action, table_name="user_account", row_id=user_id,
                           changes=changes))


def minutes(wait: timedelta) -> int:
    """A wait in whole minutes, rounded up: « réessayez dans 1 minute » rather than « dans 0 minute »."""
    return max(1, math.ceil(wait.total_seconds() / 60))
