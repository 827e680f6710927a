"""The report's cover: the admin uploads (or removes) the agency's logo printed on it.

The image is checked by opening it, never by its name, and re-encoded as a small PNG: what is stored is a picture
we drew ourselves, without the uploaded file's metadata (a phone's GPS position, an author's name).
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from exports.assembly import logo_data_uri, months_later
from exports.forms import LogoForm, RemoveLogoForm
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import Role
from hub.core.refusals import Refused

blueprint = Blueprint("report_cover", __name__, template_folder="templates")

MAX_BYTES = 1024 * 1024
LONGEST_SIDE = 600
# A small file can declare a huge canvas (a "decompression bomb"): refused before its pixels are decoded.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("PNG", "JPEG")


class LogoRefused(Refused):
    """The uploaded file is not a logo the cover can print."""


def logo_png(raw: bytes) -> bytes:
    """The uploaded image as a PNG of at most LONGEST_SIDE pixels, or a LogoRefused that says why in French."""
    if len(raw) > MAX_BYTES:
        raise LogoRefused(_l("Le fichier dépasse 1 Mo : enregistrez le logo en plus petit, puis réessayez."),
                          field="logo")
    unreadable = LogoRefused(_l("Ce fichier n'est pas une image PNG ou JPEG lisible : choisissez un logo "
                                "enregistré en PNG ou en JPEG."), field="logo")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise unreadable
            if image.width * image.height > MAX_PIXELS:
                raise LogoRefused(_l("Cette image est trop grande (plus de 40 millions de pixels) : réduisez-la, "
                                     "puis réessayez."), field="logo")
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG is decoded straight at a smaller scale
            # A phone's photo says its orientation in its metadata, which the re-encoding drops: apply it first.
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            if picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                picture = picture.convert("RGBA")
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)  # no metadata is passed on: none is written
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error  # a truncated or forged file fails while its pixels are decoded
    return out.getvalue()


@blueprint.app_template_filter("months_later")
def months_later_filter(day: str, months: int) -> str:
    """An ISO date ``months`` later: the cover's planned end, computed when printed, never kept in a version's data."""
    return months_later(date.fromisoformat(day), months).isoformat()


def _page(form: LogoForm, programme):
    return render_template("exports/logo.html", programme=programme, form=form, remove_form=RemoveLogoForm(),
                           logo=logo_data_uri(programme))


@blueprint.route("/programmes/<slug>/rapport/logo", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def logo():
    """The current logo and the form that replaces it; a refused file is said on the form, in French."""
    session, programme = db(), programmes.current_programme()
    form = LogoForm()

    def write():
        png = logo_png(form.logo.data.read())
        # Through the session, so that the audit log records the change (as a size: never the image's bytes).
        programme.agency_logo, programme.agency_logo_type = png, "image/png"
        session.add(programme)

    return handle_form(form, write, success=_("Le logo est enregistré : il figurera sur la couverture du rapport."),
                       redirect_to=url_for("report_cover.logo", slug=programme.slug),
                       failure=lambda: _page(form, programme), default_field="logo")


@blueprint.post("/programmes/<slug>/rapport/logo/retirer")
@roles_required(Role.ADMIN)
def remove_logo():
    """Take the logo off the cover; published versions keep the one they were published with."""
    session, programme = db(), programmes.current_programme()
    if not RemoveLogoForm().validate_on_submit():
        abort(400)
    programme.agency_logo, programme.agency_logo_type = None, ""
    session.add(programme)
    session.commit()
    flash(_("Le logo est retiré de la couverture des prochaines versions du rapport."), "success")
    return redirect(url_for("report_cover.logo", slug=programme.slug))
