"""Pages of notifications: the list, opening one, marking all read, the preferences; following an irritant; the
header's counter; ``hub notifications digest``."""

from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.app.notifications import service
from hub.app.notifications.forms import ButtonForm, preferences_form
from hub.core import mail, notification_mail, notifications, programmes
from hub.core.auth import roles_required
from hub.core.db import db, system_session
from hub.core.forms import handle_form
from hub.core.pagination import page_number
from hub.core.query import str_arg
from irritants.models import Irritant
from irritants.service import notice_target

blueprint = Blueprint("notifications", __name__, template_folder="templates")
# The e-mails' link opens the notification (marked read) on the page of what it is about.
notification_mail.register_link(lambda notification_id: url_for("notifications.open_notification",
                                                                notification_id=notification_id, _external=True))


@blueprint.app_template_global("unread_notifications")
def unread_notifications() -> int | None:
    """The header's counter: the logged-in person's unread notifications, None for no counter."""
    if not current_user.is_authenticated or current_user.role not in service.RECEIVING_ROLES:
        return None
    if notifications.UNREAD_KEPT not in g:  # read with the account (hub.core.auth), unless marked read since
        setattr(g, notifications.UNREAD_KEPT, notifications.unread_count(db(), user_id=current_user.id))
    return g.get(notifications.UNREAD_KEPT)


@blueprint.app_template_global("notification_follow_panel")
def notification_follow_panel(irritant, history=None, comments=None, decisions=None):
    """The irritant page's follow button and, for a follower, its story (from what the page already read)."""
    if not current_user.is_authenticated or irritant is None:
        return None
    return service.follow_panel(db(), user=current_user, irritant=irritant, events=history, comment_rows=comments,
                                decisions=decisions)


@blueprint.get("/notifications")
@roles_required(*service.RECEIVING_ROLES)
def notification_list():
    """The person's notifications, newest first, unread ones marked."""
    page = service.notification_page(db(), user_id=current_user.id, number=page_number(str_arg("page")),
                                     size=current_app.config["PAGE_SIZE"])
    return render_template("notifications/list.html", page=page, form=ButtonForm(),
                           unread=unread_notifications())


@blueprint.get("/notifications/<int:notification_id>")
@roles_required(*service.RECEIVING_ROLES)
def open_notification(notification_id: int):
    """Open a notification: it is read now, and its object's page opens (someone else's is not found)."""
    session = db()
    notification = service.own_notification(session, user_id=current_user.id, notification_id=notification_id)
    if notification is None:
        abort(404)
    if notifications.mark_read(session, user_id=current_user.id, notification_id=notification.id):
        session.commit()
    return redirect(service.target_url(session, notification))


@blueprint.post("/notifications/tout-lu")
@roles_required(*service.RECEIVING_ROLES)
def mark_all_read():
    """Mark every notification of the person read."""
    return handle_form(ButtonForm(), lambda: notifications.mark_read(db(), user_id=current_user.id),
                       success=lambda changed: _("Toutes vos notifications sont marquées comme lues.") if changed
                       else _("Vous n'aviez aucune notification non lue."),
                       redirect_to=url_for("notifications.notification_list"),
                       failure=lambda: redirect(url_for("notifications.notification_list")))


@blueprint.route("/notifications/preferences", methods=["GET", "POST"])
@roles_required(*service.RECEIVING_ROLES)
def preferences():
    """How the person wants to hear of each kind of event: in the hub only, by e-mail at once, or a daily digest."""
    session = db()
    kinds = tuple(notifications.ROLE_KINDS.get(current_user.role, ()))
    current = notifications.preferences(session, current_user)
    form = preferences_form(kinds, current, formdata=request.form if request.method == "POST" else None)
    return handle_form(
        form, lambda: notifications.set_preferences(session, user=current_user,
                                                    choices={kind: form[kind].data for kind in kinds}),
        success=_("Vos préférences de notification sont enregistrées."),
        redirect_to=url_for("notifications.preferences"),
        failure=lambda: render_template("notifications/preferences.html", form=form, kinds=kinds,
                                        labels=notifications.KIND_LABELS, defaults={
                                            kind: notifications.default_delivery(current_user.role, kind)
                                            for kind in kinds},
                                        delivery_labels=notifications.DELIVERY_LABELS))


def _irritant_page(irritant: Irritant) -> str:
    return url_for("irritants.irritant_detail", irritant_id=irritant.id) + "#suivi"


@blueprint.post("/irritants/<int:irritant_id>/suivre")
@roles_required(*service.RECEIVING_ROLES)
def follow(irritant_id: int):
    """Follow an irritant the person can see (a référent: only their collectivity's, otherwise not found)."""
    irritant = programmes.visible_or_404(db(), Irritant, irritant_id)
    return handle_form(ButtonForm(), lambda: notifications.follow(db(), user_id=current_user.id,
                                                                  target=notice_target(irritant)),
                       success=_("Vous suivez cet irritant : ses changements vous seront notifiés."),
                       redirect_to=_irritant_page(irritant), failure=lambda: redirect(_irritant_page(irritant)))


@blueprint.post("/irritants/<int:irritant_id>/ne-plus-suivre")
@roles_required(*service.RECEIVING_ROLES)
def unfollow(irritant_id: int):
    """Stop following an irritant."""
    irritant = programmes.visible_or_404(db(), Irritant, irritant_id)
    return handle_form(ButtonForm(), lambda: notifications.unfollow(db(), user_id=current_user.id,
                                                                    target=notice_target(irritant)),
                       success=_("Vous ne suivez plus cet irritant."),
                       redirect_to=_irritant_page(irritant), failure=lambda: redirect(_irritant_page(irritant)))


@blueprint.cli.command("digest")
@click.option("--base-url", envvar="HUB_BASE_URL", default="http://127.0.0.1:5000", show_default=True,
              help="L'adresse du hub, pour les liens des courriels (variable HUB_BASE_URL).")
def digest_command(base_url: str):
    """E-mail each person who chose the daily digest what they have not read yet, once: run it daily from cron."""
    # A request context for the links (url_for) and for each recipient's language (force_locale).
    with current_app.test_request_context(base_url=base_url), system_session() as session:
        sent = notification_mail.send_digest(session)
        session.commit()
    click.echo(f"Résumés envoyés : {sent.people} personne(s), {sent.notifications} notification(s) ; "
               f"échecs : {sent.failed}.")
    if not mail.enabled():
        click.echo("Aucun serveur de courriel (MAIL_SERVER) : rien n'a été envoyé ; les notifications attendent.")
