"""Passwords are hashed with Argon2id; a hash of the scheme used before still opens its account and is made again."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import select
from werkzeug.security import generate_password_hash

from hub.core.models import AuditEntry, User
from tests.factories import PASSWORD

# OWASP's Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 passes, 1 lane.
OWASP_ARGON2ID = "$argon2id$v=19$m=19456,t=2,p=1$"


def _stored(db, user: User) -> str:
    db.expire_all()
    return db.get(User, user.id).password_hash


def _login(app, user: User, password: str):
    return app.test_client().post("/connexion", data={"email": user.email, "password": password})


def test_a_new_account_s_password_is_an_argon2id_hash_at_owasp_s_parameters(world):
    stored = world.users["admin"].password_hash
    assert stored.startswith(OWASP_ARGON2ID) and PASSWORD not in stored


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_a_hash_of_the_earlier_scheme_opens_its_account_and_is_made_again_at_login(app, world, db, method):
    user = world.users["facilitator"]
    user.password_hash = generate_password_hash(PASSWORD, method=method)
    db.add(user)
    db.commit()
    audited = len(db.exec(select(AuditEntry).where(AuditEntry.table_name == "user_account",
                                                   AuditEntry.row_id == user.id)).all())
    assert _login(app, user, PASSWORD).status_code == 302
    stored = _stored(db, user)
    assert stored.startswith(OWASP_ARGON2ID)
    entries = db.exec(select(AuditEntry).where(AuditEntry.table_name == "user_account", AuditEntry.row_id == user.id)
                      .order_by(AuditEntry.id)).all()
    # Beside the login's own entry, the new hash is in the log, its value redacted.
    assert [entry.changes["password_hash"][1] for entry in entries[audited:] if "password_hash" in entry.changes] \
        == ["***"]
    # The new hash opens the account, and is not made again at the next login.
    assert _login(app, user, PASSWORD).status_code == 302
    assert _stored(db, user) == stored


def test_a_wrong_password_leaves_an_earlier_hash_as_it_was(app, world, db):
    user = world.users["facilitator"]
    old = user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.add(user)
    db.commit()
    assert _login(app, user, "pas-le-bon").status_code == 200
    assert _stored(db, user) == old


def test_an_argon2_hash_at_weaker_parameters_is_made_again_at_login(app, world, db):
    user = world.users["steering"]
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    db.add(user)
    db.commit()
    assert _login(app, user, PASSWORD).status_code == 302
    assert _stored(db, user).startswith(OWASP_ARGON2ID)


@pytest.mark.parametrize("stored", ["$argon2id$v=19$abîmé", "", "scrypt:pas-un-hash"])
def test_a_damaged_hash_refuses_the_login_with_the_usual_message(app, world, db, stored):
    user = world.users["steering"]
    user.password_hash = stored
    db.add(user)
    db.commit()
    response = _login(app, user, PASSWORD)
    assert response.status_code == 200
    assert "mot de passe incorrect" in response.get_data(as_text=True)
