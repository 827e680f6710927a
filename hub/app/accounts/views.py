"""The admin's accounts screens and audit log, and everyone's forgotten-password pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.app.accounts import journal, service
from hub.app.accounts.forms import (
    STATE_LABELS,
    AccountFilterForm,
    ConfirmForm,
    ForgotPasswordForm,
    InviteForm,
    JournalFilterForm,
    RoleForm,
)
from hub.core import invitations, mail
from hub.core.auth import roles_required, writes_no_programme_record
from hub.core.db import db
from hub.core.forms import SetPasswordForm, handle_form
from hub.core.labels import label
from hub.core.models import ROLES, Role, User
from hub.core.pagination import page_number
from hub.core.query import clean_args, str_arg
from hub.core.security import limiter
from hub.core.tabular import to_csv

blueprint = Blueprint("accounts", __name__, template_folder="templates")


def _subject() -> str:
    return _("Votre accès au hub d'expérimentation IA")


@blueprint.get("/comptes")
@roles_required(Role.ADMIN)
def account_list():
    """Everyone with access: name, e-mail, role, collectivity, last login, state; filtered by role and state."""
    form = AccountFilterForm(clean_args())
    role = form.role.data if form.role.data in ROLES else None
    state = form.state.data if form.state.data in service.STATES else None
    page = service.account_page(db(), role=role, state=state, number=page_number(str_arg("page")),
                                size=current_app.config["PAGE_SIZE"])
    args = {key: value for key, value in {"role": role, "state": state}.items() if value}
    return render_template("accounts/list.html", page=page, form=form, args=args, states=STATE_LABELS)


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.set_collectivities(service.enrolled_collectivities(db()), none_label=_("Aucune"))
    return form


@blueprint.route("/comptes/inviter", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def invite():
    """Invite someone of any role: an account that opens with its one-time link, e-mailed or shown once."""
    form = _invite_form()
    return handle_form(
        form, lambda: service.invite(db(), email=form.email.data, full_name=form.full_name.data or "",
                                     role=form.role.data, collectivity_id=form.collectivity_id(),
                                     by_user_id=current_user.id),
        # The link leaves once the account is saved; it says itself what was done.
        success=lambda invited: _hand_over_invitation(*invited),
        redirect_to=lambda invited: url_for("accounts.account_detail", user_id=invited[0].id),
        failure=lambda: render_template("accounts/invite.html", form=form), default_field="email")


def _hand_over_invitation(user: User, token: str) -> None:
    """E-mail an invitation link to its owner, or, without a mail server, show it to the admin this once."""
    link = url_for("hub.invitation", token=token, _external=True)
    sent = mail.send(to=user.email, subject=_subject(), body=_(
        "Bonjour,\n\nUn compte « %(role)s » vous a été ouvert sur le hub d'expérimentation IA. Choisissez votre mot "
        "de passe avec ce lien, valable 7 jours et utilisable une fois :\n%(link)s\n", role=label("role", user.role),
        link=link))
    if sent:
        flash(_("Invitation envoyée par courriel à %(email)s : le lien, valable 7 jours, n'est pas affiché ici.",
                email=user.email), "success")
        return
    # Flashed, hence shown on the next page only: it is not kept anywhere the admin could find it again.
    flash(_("Aucun serveur de courriel n'est configuré : transmettez vous-même ce lien à %(email)s, par un canal "
            "privé (il ouvre le compte à qui le détient). Il expire dans 7 jours, ne sert qu'une fois et ne sera plus "
            "affiché : %(link)s", email=user.email, link=link), "invitation")


def _account_or_404(user_id: int) -> User:
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _role_form(user: User, form: RoleForm | None = None) -> RoleForm:
    if form is None:
        form = RoleForm(formdata=None, role=user.role,
                        collectivity=str(user.scope_collectivity_id) if user.scope_collectivity_id else "")
    form.set_collectivities(service.enrolled_collectivities(db()), none_label=_("Aucune"))
    return form


def _detail_page(user: User, role_form: RoleForm | None = None):
    return render_template("accounts/detail.html", row=service.account_row(db(), user),
                           role_form=_role_form(user, role_form), confirm=ConfirmForm(),
                           mail_enabled=mail.enabled(), states=STATE_LABELS)


@blueprint.get("/comptes/<int:user_id>")
@roles_required(Role.ADMIN)
def account_detail(user_id: int):
    """One account: its state, and what the admin may do with it."""
    return _detail_page(_account_or_404(user_id))


@blueprint.post("/comptes/<int:user_id>/role")
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    """Give the account another role; its sessions end."""
    user = _account_or_404(user_id)
    form = _role_form(user, RoleForm())
    return handle_form(
        form, lambda: service.change_role(db(), user=user, role=form.role.data, collectivity_id=form.collectivity_id()),
        success=lambda changed: _("Rôle de %(email)s : %(role)s. Ses sessions ouvertes sont terminées.",
                                  email=changed.email, role=label("role", changed.role)),
        redirect_to=url_for("accounts.account_detail", user_id=user.id),
        failure=lambda: _detail_page(user, form), default_field="role")


@blueprint.post("/comptes/<int:user_id>/desactiver")
@roles_required(Role.ADMIN)
def deactivate(user_id: int):
    """Close the account: its sessions end and it can no longer log in."""
    user = _account_or_404(user_id)
    return handle_form(
        ConfirmForm(), lambda: service.deactivate(db(), user=user),
        success=_("Compte de %(email)s désactivé : ses sessions sont terminées et il ne peut plus se connecter.",
                  email=user.email),
        redirect_to=url_for("accounts.account_detail", user_id=user.id), failure=lambda: _detail_page(user))


@blueprint.post("/comptes/<int:user_id>/reactiver")
@roles_required(Role.ADMIN)
def reactivate(user_id: int):
    """Open a deactivated account again."""
    user = _account_or_404(user_id)
    return handle_form(
        ConfirmForm(), lambda: service.reactivate(db(), user=user),
        success=_("Compte de %(email)s réactivé.", email=user.email),
        redirect_to=url_for("accounts.account_detail", user_id=user.id), failure=lambda: _detail_page(user))


@blueprint.post("/comptes/<int:user_id>/lien")
@roles_required(Role.ADMIN)
def new_link(user_id: int):
    """A new set-password link: to the owner's address for an opened account, never on this screen."""
    user = _account_or_404(user_id)
    back = url_for("accounts.account_detail", user_id=user.id)
    if user.active and service.is_opened(db(), user) and not mail.enabled():
        # Its owner chose a password: a link shown here would let the admin set another one and act in their name.
        flash(_("%(email)s a déjà choisi son mot de passe : un lien pour en choisir un autre ne peut lui être envoyé "
                "qu'à son adresse, et aucun serveur de courriel n'est configuré.", email=user.email), "error")
        return redirect(back)
    return handle_form(ConfirmForm(), lambda: service.new_link(db(), user=user, by_user_id=current_user.id),
                       success=lambda made: _hand_over_link(user, *made), redirect_to=back,
                       failure=lambda: _detail_page(user))


def _hand_over_link(user: User, purpose: str, token: str) -> None:
    if purpose == "invitation":
        _hand_over_invitation(user, token)
        return
    if not _send_reset(user, token):
        flash(_("Le courriel à %(email)s n'a pas pu partir : réessayez plus tard.", email=user.email), "error")
        return
    flash(_("Un lien pour choisir un nouveau mot de passe, valable une heure, a été envoyé à %(email)s ; il n'est "
            "pas affiché ici.", email=user.email), "success")


def _send_reset(user: User, token: str) -> bool:
    return mail.send(to=user.email, subject=_subject(), body=_(
        "Bonjour,\n\nUn nouveau mot de passe a été demandé pour votre compte du hub d'expérimentation IA. "
        "Choisissez-le avec ce lien, valable une heure et utilisable une fois :\n%(link)s\n\nSi vous n'avez rien "
        "demandé, ignorez ce message : votre mot de passe actuel reste valable.\n",
        link=url_for("accounts.reset_password", token=token, _external=True)))


def _journal_filters(form: JournalFilterForm) -> journal.JournalFilters:
    form.set_collectivities(service.all_collectivities(db()), none_label=_("Toutes"))
    form.table.choices = [("", _("Toutes")), *journal.table_choices()]
    form.validate()  # a wrong value (a date « 31/02 », an unknown table) is shown on its field and not applied

    def kept(field):
        return field.data if field.data and not field.errors else None

    return journal.JournalFilters(person=kept(form.person), collectivity_id=form.collectivity_id()
                                  if kept(form.collectivity) else None, table=kept(form.table),
                                  first_day=kept(form.first_day), last_day=kept(form.last_day))


@blueprint.get("/journal")
@roles_required(Role.ADMIN)
def journal_page():
    """Who did what, when: the audit log, newest first, filtered, a page at a time."""
    cleaned = clean_args()
    form = JournalFilterForm(cleaned)
    filters = _journal_filters(form)
    page = journal.journal_page(db(), filters, number=page_number(str_arg("page")),
                                size=current_app.config["PAGE_SIZE"])
    # The filters as typed (odd values dropped), for the pager's links and the CSV's.
    args = {name: cleaned.get(name) for name in cleaned if name != "page" and cleaned.get(name)}
    return render_template("accounts/journal.html", page=page, form=form, args=args)


@blueprint.get("/journal.csv")
@roles_required(Role.ADMIN)
def journal_csv():
    """The filtered audit log as a CSV file for a spreadsheet."""
    filters = _journal_filters(JournalFilterForm(clean_args()))
    body = to_csv([str(title) for title in journal.CSV_HEADER],
                  journal.csv_rows(journal.journal_lines(db(), filters)))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="journal.csv"'
    return response


def _password_failed(response) -> bool:
    return response.status_code != 302


@blueprint.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@writes_no_programme_record
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a reset link by e-mail; the answer is the same whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if mail.enabled():
            found = service.request_reset(db(), email=form.email.data)
            if found is not None:
                db().commit()
                _send_reset(*found)
            flash(_("Si cette adresse est celle d'un compte ouvert, un lien pour choisir un nouveau mot de passe "
                    "vient d'y être envoyé ; il est valable une heure. Pensez à regarder dans les indésirables."),
                  "info")
        else:
            flash(_("Aucun courriel ne peut être envoyé depuis ce hub : demandez un nouveau lien à "
                    "l'administrateur de l'agence."), "info")
        return redirect(url_for("accounts.forgot_password"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/forgot_password.html", form=form, mail_enabled=mail.enabled()), status


@blueprint.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@writes_no_programme_record
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_password_failed)
def reset_password(token: str):
    """A reset link e-mailed to its owner: choose a new password; every other session ends."""
    found = invitations.look_up(db(), token, purpose="reset")
    if found.state != "valid":
        status = 404 if found.state == "unknown" else 410
        return render_template("accounts/reset_closed.html", state=found.state), status
    form = SetPasswordForm()
    # The visitor is the account's owner, proven by the link: the audit log records the change under them.
    db().info["user_id"] = found.user.id
    return handle_form(form, lambda: invitations.accept(db(), found=found, password=form.password.data),
                       success=_("Nouveau mot de passe enregistré : connectez-vous avec votre adresse et ce mot de "
                                 "passe."),
                       redirect_to=url_for("hub.login"),
                       failure=lambda: render_template("accounts/reset_password.html", form=form,
                                                       email=found.user.email))
