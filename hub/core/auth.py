"""Accounts, login and the role rules every view goes through."""

from __future__ import annotations

from functools import cache, wraps

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, jsonify, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user
from sqlmodel import Session, select

from hub.core import notifications, passwords
from hub.core.errors import wants_json
from hub.core.models import ROLES, Role, User
from hub.core.scoping import Scope

login_manager = LoginManager()
login_manager.login_view = "hub.login"
login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
login_manager.login_message_category = "info"

# Posting these changes nothing in the programme's records, so read-only roles may use them.
NON_WRITING_ENDPOINTS = {"hub.login", "hub.logout", "hub.set_language", "hub.invitation"}
READ_ONLY_ROLES = {Role.STEERING}


SESSION_EPOCH_KEY = "_epoch"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    from hub.core.db import request_session

    if not user_id.isdigit():
        return None
    # The header's unread count comes with the account: one statement where each page ran two.
    row = request_session().execute(_account_with_unread(), {"account_id": int(user_id)}).first()
    if row is None or not row[0].active:
        return None
    user = row[0]
    setattr(g, notifications.UNREAD_KEPT, row[1])
    # A session from before the account's last logout or new password is over, wherever its cookie went.
    return user if session.get(SESSION_EPOCH_KEY) == user.session_epoch else None


@cache  # built once and run with the account's id: building it was a tenth of loading the account
def _account_with_unread():
    return select(User, notifications.unread_of_account()).where(User.id == sa.bindparam("account_id"))


def start_session(user: User) -> None:
    """Log in on a fresh session: new cookie content and CSRF token; of the anonymous visit, only its language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session.permanent = False


def end_every_session(user: User) -> None:
    """Move the account's epoch on: every session opened before now ends at its next request."""
    user.session_epoch += 1


def _no_store(response):
    # A logged-in page holds what only its reader may see: no cache (browser, proxy) keeps a copy of it.
    if current_user.is_authenticated:
        response.cache_control.no_store = True
        response.cache_control.private = True
    return response


def scope_for_current_user() -> tuple[Scope, int | None]:
    """The scope and audit identity of whoever is logged in."""
    if not current_user.is_authenticated:
        return Scope.nothing(), None
    return scope_for(current_user), current_user.id


def scope_for(user: User) -> Scope:
    """A référent sees their collectivity; the agency's roles see the whole programme."""
    if user.role == Role.PARTICIPANT:
        if user.scope_collectivity_id is None:
            return Scope.nothing()
        return Scope.collectivity(user.scope_collectivity_id)
    return Scope.all()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account matching these credentials, or None; a hash of an earlier scheme is made again."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active:
        # Same cost as a real check so timing does not tell which emails exist.
        passwords.matches(_DUMMY_HASH, password)
        return None
    if not passwords.matches(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        # Through the ORM, so that the audit log records the change (its value redacted); the caller commits.
        user.password_hash = passwords.hash_password(password)
        session.add(user)
    return user


_DUMMY_HASH = passwords.hash_password("not-a-real-password")


def account_id(session: Session, email: str) -> int | None:
    """The id of the account with this address, if any: a failed login is audited under it."""
    return session.exec(select(User.id).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, password: str, role: str, full_name: str = "",
                collectivity_id: int | None = None, is_demo: bool = False) -> User:
    """Create an account; a référent must be tied to exactly one collectivity."""
    if role not in ROLES:
        raise ValueError(f"rôle inconnu : {role}")
    if (role == Role.PARTICIPANT) != (collectivity_id is not None):
        raise ValueError("un référent est rattaché à une collectivité, et seul un référent l'est")
    user = User(email=email.strip().lower(), password_hash=passwords.hash_password(password), role=role,
                full_name=full_name, scope_collectivity_id=collectivity_id, is_demo=is_demo)
    session.add(user)
    session.flush()
    return user


def roles_required(*roles: Role):
    """Let only these roles in; anyone else logged in gets 403, anonymous goes to login.

    The roles are ``Role`` members (plain strings work too: a ``Role`` is one), e.g. ``roles_required(*TEAM)``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    return jsonify(error="session"), 401  # no redirect to the login page: see wants_json
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # Pages read it to offer only the links and forms their reader may use (``may_use``).
        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def writes_no_programme_record(view):
    """Mark a public form (a forgotten password, a reset link) that read-only roles may post like anyone else."""
    view.writes_no_programme_record = True
    return view


def _posts_no_programme_record(endpoint: str | None) -> bool:
    if endpoint in NON_WRITING_ENDPOINTS:
        return True
    # The composition root's public forms say so on their view, rather than being named down here.
    return getattr(current_app.view_functions.get(endpoint), "writes_no_programme_record", False)


def _refuse_writes_from_read_only_roles():
    if request.method in ("GET", "HEAD", "OPTIONS") or _posts_no_programme_record(request.endpoint):
        return None
    if current_user.is_authenticated and current_user.role in READ_ONLY_ROLES:
        abort(403)
    return None


def may_use(endpoint: str, method: str = "GET") -> bool:
    """Whether whoever is logged in may open (GET) or submit (POST) this endpoint: a page offers nothing else.

    It reads the roles ``roles_required`` let in and the rule that read-only roles write nothing; a view without
    ``roles_required`` is open to anyone logged in.
    """
    if not current_user.is_authenticated:
        return False
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    if method != "GET" and current_user.role in READ_ONLY_ROLES and not _posts_no_programme_record(endpoint):
        return False
    allowed = getattr(view, "allowed_roles", None)
    return allowed is None or current_user.role in allowed


def init_app(app: Flask) -> None:
    """Install login and the app-wide rule that the steering committee writes nothing."""
    login_manager.init_app(app)
    app.jinja_env.globals["may_use"] = may_use
    app.extensions["hub.request_scope"] = scope_for_current_user
    app.before_request(_refuse_writes_from_read_only_roles)
    app.after_request(_no_store)
