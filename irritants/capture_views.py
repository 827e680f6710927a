"""On-site capture: a page that stays open on a tablet and an endpoint that records each entry once."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.errors import error_page, wants_json
from hub.core.forms import choices
from hub.core.models import TEAM
from irritants import capture
from irritants.forms import CaptureForm
from irritants.photo_views import allow_photo_bodies, sent_files, store_uploads, too_large_answer
from participants.models import Collectivity
from workshops import service_list
from workshops.models import Workshop

blueprint = Blueprint("capture", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static/capture")


@blueprint.url_value_preprocessor
def _photos_in_form(endpoint: str | None, _values) -> None:
    # The form without its script sends the entry's photos with it (multipart): such a post may carry them.
    if endpoint == "capture.capture_entry" and request.mimetype == "multipart/form-data":
        allow_photo_bodies()


@blueprint.errorhandler(413)
def _too_large(error):
    if request.mimetype != "multipart/form-data":  # the hub's usual page: an entry alone is never this large
        return error_page(413)
    workshop_id = (request.view_args or {}).get("workshop_id")
    return too_large_answer(url_for("capture.capture_page", workshop_id=workshop_id), field="photos")


def _form(workshop: Workshop, formdata=None) -> CaptureForm:
    form = CaptureForm(formdata=formdata)
    form.theme.choices = choices(programmes.themes(db(), workshop.programme_id).items())
    # The programme's services, those the workshop visits first: on site, the next agent is most likely there.
    form.offer_services(service_list.names(db(), workshop.programme_id), first=workshop.services)
    return form


def _page(workshop: Workshop, form: CaptureForm, status: int = 200):
    return render_template("irritants/capture.html", workshop=workshop, form=form,
                           collectivity=db().get(Collectivity, workshop.collectivity_id),
                           captured=capture.captured(db(), workshop_id=workshop.id)), status


@blueprint.get("/ateliers/<int:workshop_id>/saisie")
@roles_required(*TEAM)
def capture_page(workshop_id: int):
    """The capture form, with what was already captured below it."""
    workshop = programmes.visible_or_404(db(), Workshop, workshop_id)
    form = _form(workshop)
    # Without the script the form posts as is: a fresh key per page, so a double submit counts once.
    form.client_key.data = secrets.token_urlsafe(16)
    # On site, the day's first theme is offered already chosen (the workshop's own, else the programme's first):
    # the facilitator changes it when an agent speaks of another, and the page keeps it from entry to entry.
    offered = [choice.value for choice in form.theme.choices]
    form.theme.data = next((theme for theme in workshop.themes if theme in offered), offered[0] if offered else None)
    return _page(workshop, form)


@blueprint.post("/ateliers/<int:workshop_id>/saisie")
@roles_required(*TEAM)
def capture_entry(workshop_id: int):
    """Record one entry; the same client key twice records it once. Answers JSON to the script."""
    session = db()
    workshop = programmes.visible_or_404(session, Workshop, workshop_id)
    form = _form(workshop, formdata=request.form)
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(errors={name: [str(e) for e in errors] for name, errors in form.errors.items()}), 422
        return _page(workshop, form, status=422)
    irritant, created = capture.capture(session, workshop=workshop, values=form.values(),
                                        client_key=form.client_key.data, by_user_id=current_user.id)
    session.commit()
    if wants_json():
        return jsonify(id=irritant.id, title=irritant.title, service=irritant.service, created=created,
                       url=url_for("irritants.irritant_detail", irritant_id=irritant.id),
                       photos_url=url_for("photos.upload", irritant_id=irritant.id)), 201 if created else 200
    flash(_("Irritant enregistré : %(title)s", title=irritant.title) if created
          else _("Cette saisie était déjà enregistrée."), "success")
    # Without the script the photos come with the entry: a refused one is named, the entry stays recorded.
    for message in store_uploads(session, irritant, sent_files("photos"), client_key=form.client_key.data):
        flash(message, "error")
    return redirect(url_for("capture.capture_page", workshop_id=workshop.id))
