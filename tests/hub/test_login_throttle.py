"""Login throttling shared by every worker: per account and per address, with the time to wait, all audited."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from hub.core import throttle
from hub.core.models import AuditEntry, LoginThrottle, utcnow
from tests.factories import PASSWORD


def _try(client, email: str, password: str = "mauvais", address: str = "192.0.2.10"):
    return client.post("/connexion", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_locks_after_five_failures_even_for_the_right_password(app, world):
    admin = world.users["admin"].email
    client = app.test_client()
    assert [_try(client, admin).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    locked = _try(client, admin, PASSWORD)
    assert locked.status_code == 429
    assert "réessayez dans 15 minutes" in locked.get_data(as_text=True)
    # From the same town hall's address, a colleague who types their password right still gets in.
    assert _try(app.test_client(), world.users["facilitator"].email, PASSWORD).status_code == 302


def test_the_count_is_shared_by_every_web_worker(make_app, world):
    # Two apps on one database: two gunicorn workers. Failures on either count for both.
    first, second = make_app().test_client(), make_app().test_client()
    steering = world.users["steering"].email
    for client in (first, second, first, second):
        assert _try(client, steering).status_code == 200
    assert _try(second, steering).status_code == 429
    assert _try(first, steering, PASSWORD).status_code == 429


def test_an_address_locks_after_thirty_failures_on_any_accounts(app, world):
    client = app.test_client()
    for n in range(throttle.ADDRESS_LIMIT - 1):
        assert _try(client, f"inconnu{n}@exemple.fr", address="198.51.100.7").status_code == 200
    assert _try(client, "encore@exemple.fr", address="198.51.100.7").status_code == 429
    assert _try(client, world.users["admin"].email, PASSWORD, address="198.51.100.7").status_code == 429
    assert _try(client, world.users["admin"].email, PASSWORD, address="198.51.100.8").status_code == 302


def test_a_lock_ends_after_its_time_and_a_success_forgives_the_account(app, world, db):
    email = world.users["participant"].email
    client = app.test_client()
    for _ in range(5):
        _try(client, email)
    row = db.get(LoginThrottle, f"compte:{email}")
    row.locked_until = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    assert _try(client, email, PASSWORD).status_code == 302
    db.expire_all()
    assert db.get(LoginThrottle, f"compte:{email}") is None


def test_logins_failures_and_locks_are_in_the_audit_log(app, world, db):
    admin = world.users["admin"]
    client = app.test_client()
    for _ in range(5):
        _try(client, admin.email)
    _try(app.test_client(), world.users["facilitator"].email, PASSWORD)
    entries = db.exec(select(AuditEntry).where(AuditEntry.table_name == "user_account",
                                               AuditEntry.action.in_(("login", "login_fail", "lockout")))).all()
    actions = [(entry.action, entry.user_id) for entry in entries]
    assert actions.count(("login_fail", admin.id)) == 5
    assert ("lockout", admin.id) in actions and ("login", world.users["facilitator"].id) in actions
