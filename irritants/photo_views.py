"""An irritant's photos: sent from the tablet (one by one, JSON) or a plain form, shown, and deleted by the team."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import MultipleFileField
from sqlmodel import Session
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from hub.core import file_store, programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.errors import wants_json
from hub.core.forms import HubForm
from hub.core.models import TEAM, Role
from irritants import photos
from irritants.models import Irritant, IrritantPhoto

blueprint = Blueprint("photos", __name__)


class PhotoForm(HubForm):
    """One or more photos for an irritant; the tablet's script names each with a key made before sending."""

    client_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{1,64}$",
                                                            message=_l("Clé de photo invalide : rechargez la page."))])
    photo = MultipleFileField(_l("Photos"))


def allow_photo_bodies() -> None:
    """Let this request carry photos: a few of up to 10 Mo each, beyond the hub's 5 Mo for other uploads."""
    request.max_content_length = photos.REQUEST_LIMIT


def too_large_answer(back: str, field: str = "photo"):
    """A body over the limit, in French: JSON for the script, else a message on the page it came from."""
    message = str(photos.REQUEST_TOO_LARGE)
    if wants_json():
        return jsonify(errors={field: [message]}), 413
    flash(message, "error")
    return redirect(back)


# Set before any before_request (Flask-WTF's CSRF check reads the form there, under the app's limit otherwise).
blueprint.url_value_preprocessor(lambda _endpoint, _values: allow_photo_bodies())


@blueprint.errorhandler(413)
def _too_large(_error):
    irritant_id = (request.view_args or {}).get("irritant_id")
    return too_large_answer(_page_url(irritant_id) if irritant_id else url_for("home.index"))


def _page_url(irritant_id: int) -> str:
    return url_for("irritants.irritant_detail", irritant_id=irritant_id) + "#photos"


def store_uploads(session: Session, irritant: Irritant, uploads, *, client_key: str | None) -> list[str]:
    """Keep each uploaded photo, committing each; return the French message of each refused one, naming it.

    Used by the irritant's page and by the capture form without its script (irritants/capture_views.py): a
    photo refused does not undo the others, nor the entry they came with. The n-th photo's key is made from the
    form's key, so that the same form posted twice keeps its photos once.
    """
    refusals = []
    for number, upload in enumerate(uploads, start=1):
        key = f"{client_key[:56]}-p{number}" if client_key else None
        try:
            photos.add_photo(session, irritant=irritant, data=photos.read_upload(upload), client_key=key,
                             by_user_id=current_user.id)
        except photos.PhotoRefused as refused:
            session.rollback()
            name = (upload.filename or _("sans nom"))[:80]
            refusals.append(_("Photo « %(name)s » non enregistrée : %(reason)s", name=name, reason=str(refused)))
            continue
        session.commit()
    return refusals


def sent_files(field_name: str) -> list:
    """The files posted under this name, leaving out a file input left empty."""
    return [upload for upload in request.files.getlist(field_name) if upload and upload.filename]


@blueprint.post("/irritants/<int:irritant_id>/photos")
@roles_required(*TEAM)
def upload(irritant_id: int):
    """Add photos to an irritant: JSON for the tablet's script (one photo, once per key), else back to its page."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = PhotoForm()
    uploads = sent_files("photo")
    if not form.validate_on_submit() or not uploads:
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        if not uploads:
            errors.setdefault("photo", []).append(str(photos.NO_PHOTO))
        if wants_json():
            return jsonify(errors=errors), 422
        for messages in errors.values():
            for message in messages:
                flash(message, "error")
        return redirect(_page_url(irritant.id))
    if wants_json():
        try:
            photo, created = photos.add_photo(session, irritant=irritant, data=photos.read_upload(uploads[0]),
                                              client_key=form.client_key.data or None, by_user_id=current_user.id)
        except photos.PhotoRefused as refused:
            session.rollback()
            return jsonify(errors={"photo": [str(refused)]}), 422
        session.commit()
        return jsonify(id=photo.id, url=url_for("photos.photo_file", photo_id=photo.id),
                       created=created), 201 if created else 200
    refusals = store_uploads(session, irritant, uploads, client_key=form.client_key.data or None)
    for message in refusals:
        flash(message, "error")
    kept = len(uploads) - len(refusals)
    if kept:
        flash(_("Photo ajoutée.") if kept == 1 else _("%(n)s photos ajoutées.", n=kept), "success")
    return redirect(_page_url(irritant.id))


# Declared before the deletion: the authorisation matrix visits routes in this order, and reads the photo first.
@blueprint.get("/photos/<int:photo_id>")
@roles_required(*TEAM, Role.PARTICIPANT, Role.STEERING)
def photo_file(photo_id: int):
    """The photo itself, for whoever may see its irritant (a référent: their own collectivity's only)."""
    session = db()
    photo = programmes.visible_or_404(session, IrritantPhoto, photo_id)
    programmes.visible_or_404(session, Irritant, photo.irritant_id)
    try:
        data = file_store.current().get(photo.storage_key)
    except (file_store.MissingFile, ValueError):
        abort(404)
    response = make_response(data)
    response.mimetype = photo.content_type
    # No max-age: like every logged-in page, a photo is never kept by a shared tablet's browser (hub/core/auth.py).
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.post("/photos/<int:photo_id>/supprimer")
@roles_required(*TEAM)
def photo_delete(photo_id: int):
    """Delete a photo, its bytes too, and go back to its irritant."""
    session = db()
    photo = programmes.visible_or_404(session, IrritantPhoto, photo_id)
    irritant = programmes.visible_or_404(session, Irritant, photo.irritant_id)
    key = photos.remove_photo(session, photo)
    session.commit()
    # After the commit: a deletion rolled back must not have lost the bytes of a photo still listed.
    if key:
        file_store.current().delete(key)
    flash(_("Photo supprimée."), "success")
    return redirect(_page_url(irritant.id))
