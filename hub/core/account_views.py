"""Accounts: login and logout, a référent's invitation link, the language choice."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf

from hub.core import invitations, throttle
from hub.core.auth import SESSION_EPOCH_KEY, account_id, authenticate, end_every_session, roles_required, start_session
from hub.core.commands import db_group, worker_command
from hub.core.db import db
from hub.core.forms import LanguageForm, LoginForm, SetPasswordForm, handle_form
from hub.core.i18n import ngettext
from hub.core.models import ROLES, User, utcnow
from hub.core.security import limiter, local_path

blueprint = Blueprint("hub", __name__, cli_group=None)
# Its commands join the hub command itself (cli_group=None), not a sub-group named after the blueprint.
blueprint.cli.add_command(db_group)
blueprint.cli.add_command(worker_command)


def _login_failed(response) -> bool:
    return response.status_code != 302


@blueprint.route("/connexion", methods=["GET", "POST"])
def login():
    """Email and password; one generic message whatever was wrong, and a wait after too many failures."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        session_db, email, address = db(), form.email.data, request.remote_addr
        wait = throttle.wait_before_trying(session_db, email=email, address=address)
        if wait is None:
            user = authenticate(session_db, email, form.password.data)
            if user is not None:
                throttle.record_success(session_db, email=email, address=address, user_id=user.id)
                # An UPDATE statement, not an attribute change: the « connexion » entry above already tells the
                # audit log of this login, and the ORM's listener would add a second entry for the column.
                session_db.execute(sa.update(User).where(User.id == user.id).values(last_login_at=utcnow()))
                session_db.commit()
                start_session(user)
                _keep_language(user)
                return redirect(local_path(form.next.data) or url_for("home.index"))
            wait = throttle.record_failure(session_db, email=email, address=address,
                                           user_id=account_id(session_db, email))
            session_db.commit()
        form.password.data = ""
        if wait is not None:
            flash(ngettext("Trop de tentatives de connexion échouées : réessayez dans %(num)s minute.",
                           "Trop de tentatives de connexion échouées : réessayez dans %(num)s minutes.",
                           throttle.minutes(wait)), "error")
            return render_template("hub/login.html", form=form), 429
        flash(_("Adresse électronique ou mot de passe incorrect."), "error")
        return render_template("hub/login.html", form=form), 200
    return render_template("hub/login.html", form=form)


@blueprint.get("/session/jeton")
@roles_required(*ROLES)
def csrf_token():
    """A fresh form token for this session, for a page whose queued entries outlived the token they were made with."""
    return jsonify(csrf_token=generate_csrf())


@blueprint.post("/deconnexion")
def logout():
    """End the session, and every other session of the account (a copied cookie, another device)."""
    if current_user.is_authenticated:
        end_every_session(current_user)
        db().commit()
    logout_user()
    session.pop(SESSION_EPOCH_KEY, None)
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("hub.login"))


def _keep_language(user) -> None:
    """At login, the account's language wins; a choice made before logging in becomes the account's."""
    if user.language:
        session["lang"] = user.language
    elif session.get("lang"):
        user.language = session["lang"]
        db().commit()


@blueprint.post("/langue")
def set_language():
    """Remember the chosen language in the session and, once logged in, on the account."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated and current_user.language != form.lang.data:
            current_user.language = form.lang.data
            db().commit()
    return redirect(local_path(form.next.data) or url_for("home.index"))


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_login_failed)
def invitation(token: str):
    """A référent's one-time link: choose a password, then log in."""
    found = invitations.look_up(db(), token)
    if found.state != "valid":
        status = 404 if found.state == "unknown" else 410
        return render_template("hub/invitation_closed.html", state=found.state), status
    form = SetPasswordForm()
    # The visitor is the account's owner, proven by the link: the audit log records the acceptance under them.
    db().info["user_id"] = found.user.id
    return handle_form(form, lambda: invitations.accept(db(), found=found, password=form.password.data),
                       success=_("Mot de passe enregistré : connectez-vous avec votre adresse et ce mot de passe."),
                       redirect_to=url_for("hub.login"),
                       failure=lambda: render_template("hub/invitation.html", form=form, email=found.user.email))
