"""The report's cover: the admin uploads (or removes) the agency's logo printed on it (checked in exports/cover.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from exports.assembly import logo_data_uri
from exports.cover import logo_png, months_later_iso
from exports.forms import LogoForm, RemoveLogoForm
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import Role

blueprint = Blueprint("report_cover", __name__, template_folder="templates")
# The cover's planned end, as its template prints it (exports/_cover.html, in the worker too): an app-wide filter,
# since the ground floor's filters (hub/core/i18n.py) may not import exports.
blueprint.add_app_template_filter(months_later_iso, "months_later")


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
