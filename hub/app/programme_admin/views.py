"""The admin's pages for programmes: create (blank or from a previous one), edit, archive and restore.

Only the admin writes here; ``/programmes/<slug>`` (hub/app/home/views.py) stays the page everyone of the team reads.
``/programmes/nouveau`` is a static route, which Werkzeug matches before ``/programmes/<slug>``; the service never
gives a programme that slug.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.app.programme_admin import service
from hub.app.programme_admin.forms import EMPTY_ROWS, MILESTONE_KINDS, ConfirmForm, ProgrammeForm
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import Milestone, Programme, ProgrammeTheme, Role
from hub.core.query import str_arg
from participants import registry
from participants.models import RegistryEntry

blueprint = Blueprint("programme_admin", __name__, template_folder="templates")
# The rows a blank programme starts with: the steps every programme has (DESIGN §2), to be labelled and dated.
FIRST_MILESTONES = ("launch", "workshops", "tool_access", "mid_term", "final_report")


def _regions() -> dict[str, str]:
    """The registry's régions, code → name (none while ``hub registry load`` has not run)."""
    return {entry.code: entry.name for entry in registry.regions(db())}


def _region(form: ProgrammeForm, regions: dict[str, str]) -> tuple[str, list[str]]:
    """The région's name and départements: the registry's for a chosen région, unless départements were typed."""
    typed = form.departement_codes()
    if not form.region_code.data:
        return " ".join(form.region_name.data.split()), typed
    listed = db().exec(select(RegistryEntry.code).where(RegistryEntry.kind == "departement",
                                                        RegistryEntry.region_code == form.region_code.data)
                       .order_by(RegistryEntry.code)).all()
    return regions[form.region_code.data], typed or list(listed)


def _blank_rows(n: int, row_type, **values) -> list:
    return [row_type(**values) for _ in range(n)]


def _page(form: ProgrammeForm, *, programme: Programme | None = None, previous: Programme | None = None):
    return render_template("programme_admin/form.html", form=form, programme=programme, previous=previous,
                           registry_loaded=len(form.region_code.choices) > 1, kinds=MILESTONE_KINDS)


def _new_form(regions: dict[str, str], previous: Programme | None) -> ProgrammeForm:
    if request.method == "POST":
        return ProgrammeForm(regions=regions)
    if previous is None:
        milestones = [service.MilestoneRow(kind=kind, label="") for kind in FIRST_MILESTONES]
        initial, themes = {}, []
    else:
        start = service.starting_point(db(), previous=previous)
        initial, milestones, themes = start.values, start.milestones, start.themes
        initial["departements"] = ", ".join(initial.pop("region_departements"))
        initial["region_code"] = _region_code(regions, initial["region_name"])
    return ProgrammeForm(formdata=None, regions=regions, **initial,
                         milestones=[*milestones, *_blank_rows(EMPTY_ROWS, service.MilestoneRow, kind="other",
                                                               label="")],
                         themes=[*themes, *_blank_rows(EMPTY_ROWS, service.ThemeRow, label="")])


def _region_code(regions: dict[str, str], name: str) -> str:
    return next((code for code, known in regions.items() if known == name), "")


@blueprint.route("/programmes/nouveau", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def programme_new():
    """A new programme; ``?depuis=<slug>`` prefills it from a previous one, whose library and parameters it copies."""
    session = db()
    slug = str_arg("depuis")
    previous = programmes.programme_or_404(session, slug) if slug else None
    regions = _regions()
    form = _new_form(regions, previous)

    def write() -> Programme:
        region_name, departements = _region(form, regions)
        return service.create_programme(session, values=form.values(region_name, departements),
                                        milestones=form.milestone_rows(), themes=form.theme_rows(),
                                        previous=previous, by_user_id=current_user.id)

    return handle_form(form, write, success=_("Programme créé."),
                       redirect_to=lambda created: url_for("home.programme", slug=created.slug),
                       failure=lambda: _page(form, previous=previous))


def _edit_form(regions: dict[str, str], programme: Programme) -> ProgrammeForm:
    if request.method == "POST":
        return ProgrammeForm(regions=regions)
    session = db()
    milestones = [service.MilestoneRow(id=m.id, kind=m.kind, label=m.label, starts_on=m.starts_on, ends_on=m.ends_on)
                  for m in session.exec(select(Milestone).where(Milestone.programme_id == programme.id)
                                        .order_by(Milestone.starts_on, Milestone.id))]
    themes = [service.ThemeRow(id=t.id, label=t.label, code=t.code)
              for t in session.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == programme.id)
                                    .order_by(ProgrammeTheme.id))]
    return ProgrammeForm(formdata=None, regions=regions, obj=programme,
                         region_code=_region_code(regions, programme.region_name),
                         departements=", ".join(programme.region_departements),
                         milestones=[*milestones, *_blank_rows(EMPTY_ROWS, service.MilestoneRow, kind="other",
                                                               label="")],
                         themes=[*themes, *_blank_rows(EMPTY_ROWS, service.ThemeRow, label="")])


@blueprint.route("/programmes/<slug>/modifier", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def programme_edit():
    """Change a programme's fields, milestones and themes; its address stays the same."""
    session, programme = db(), programmes.current_programme()
    regions = _regions()
    form = _edit_form(regions, programme)

    def write() -> Programme:
        region_name, departements = _region(form, regions)
        return service.update_programme(session, programme=programme, values=form.values(region_name, departements),
                                        milestones=form.milestone_rows(), themes=form.theme_rows())

    return handle_form(form, write, success=_("Programme enregistré."),
                       redirect_to=url_for("home.programme", slug=programme.slug),
                       failure=lambda: _page(form, programme=programme))


@blueprint.post("/programmes/<slug>/archiver")
@roles_required(Role.ADMIN)
def programme_archive():
    """Archive the programme: out of the lists and menus, still readable by its address, and restorable."""
    programme = programmes.current_programme()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.archive_programme(db(), programme=programme)
    db().commit()
    flash(_("Programme archivé : il ne figure plus dans les listes, son adresse reste lisible."), "success")
    return redirect(url_for("home.programme", slug=programme.slug))


@blueprint.post("/programmes/<slug>/restaurer")
@roles_required(Role.ADMIN)
def programme_restore():
    """Bring an archived programme back into the lists and menus."""
    programme = programmes.current_programme()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.restore_programme(db(), programme=programme)
    db().commit()
    flash(_("Programme restauré : il figure de nouveau dans les listes."), "success")
    return redirect(url_for("home.programme", slug=programme.slug))
