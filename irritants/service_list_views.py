"""A programme's services page, for the project team: the list with each service's irritants, add, rename, merge.

A référent chooses a service from the list in their proposals; growing or tidying the list is the team's job.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.i18n import ngettext
from hub.core.models import TEAM
from hub.core.refusals import Refused
from irritants import service_list
from irritants.service_list_forms import AddServiceForm, MergeServicesForm, RenameServiceForm
from workshops import service_list as programme_services
from workshops.service_list import ProgrammeService

blueprint = Blueprint("services", __name__, template_folder="templates")


def _page(add_form: AddServiceForm | None = None, rename_form: RenameServiceForm | None = None,
          merge_form: MergeServicesForm | None = None):
    """The page, with the form just posted (what was typed, and what went wrong) and fresh ones for the others."""
    session, programme = db(), programmes.current_programme()
    rows = service_list.rows(session, programme.id)
    entries = [row.entry for row in rows]
    rename_form = rename_form or RenameServiceForm(formdata=None)
    rename_form.service_id.choices = choices((entry.id, entry.name) for entry in entries)
    merge_form = merge_form or MergeServicesForm(formdata=None)
    merge_form.offer(entries)
    return render_template("irritants/services.html", programme=programme, rows=rows,
                           suggestions=service_list.suggestions(rows),
                           add_form=add_form or AddServiceForm(formdata=None), rename_form=rename_form,
                           merge_form=merge_form)


def _entries_or_refuse(ids: list[int], field: str) -> list[ProgrammeService]:
    """The programme's entries with these ids; an id of another programme (or none) is refused on ``field``."""
    programme = programmes.current_programme()
    found = list(db().exec(select(ProgrammeService).where(ProgrammeService.id.in_(ids),
                                                         ProgrammeService.programme_id == programme.id)))
    if len(found) != len(set(ids)):
        raise Refused(_("Choisissez des services de la liste de ce programme."), field=field)
    return found


@blueprint.get("/programmes/<slug>/services")
@roles_required(*TEAM)
def service_page():
    """The programme's services, how many irritants carry each, and the duplicates the hub suspects."""
    return _page()


@blueprint.post("/programmes/<slug>/services")
@roles_required(*TEAM)
def service_add():
    """Add a service to the programme's list."""
    form = AddServiceForm()
    programme = programmes.current_programme()
    return handle_form(
        form, lambda: programme_services.add(db(), programme_id=programme.id, name=form.name.data),
        success=lambda entry: _("Service « %(name)s » ajouté à la liste.", name=entry.name),
        redirect_to=url_for("services.service_page"), failure=lambda: _page(add_form=form), default_field="name")


@blueprint.post("/programmes/<slug>/services/renommer")
@roles_required(*TEAM)
def service_rename():
    """Rename a service; every irritant that carries it takes the new name."""
    form = RenameServiceForm()
    form.service_id.choices = choices((entry.id, entry.name)
                                      for entry in programme_services.entries(db(), programmes.current_programme().id))

    def rename() -> tuple[str, int]:
        entry = _entries_or_refuse([form.service_id.data], "service_id")[0]
        moved = service_list.rename(db(), entry=entry, new_name=form.new_name.data)
        return entry.name, moved

    return handle_form(
        form, rename, success=lambda done: ngettext(
            "Service renommé « %(name)s » : %(num)s irritant suit ce nouveau nom.",
            "Service renommé « %(name)s » : %(num)s irritants suivent ce nouveau nom.", done[1], name=done[0]),
        redirect_to=url_for("services.service_page"), failure=lambda: _page(rename_form=form),
        default_field="new_name")


@blueprint.post("/programmes/<slug>/services/fusionner")
@roles_required(*TEAM)
def service_merge():
    """Merge two or more services into the one kept: every irritant of the others moves to it."""
    form = MergeServicesForm()
    programme = programmes.current_programme()
    form.offer(programme_services.entries(db(), programme.id))

    def merge() -> tuple[str, int]:
        chosen = _entries_or_refuse(form.services.data, "services")
        kept = _entries_or_refuse([form.kept.data], "kept")[0]
        return kept.name, service_list.merge(db(), programme_id=programme.id, chosen=chosen, kept=kept)

    return handle_form(
        form, merge, success=lambda done: ngettext(
            "Services fusionnés sous « %(name)s » : %(num)s irritant déplacé.",
            "Services fusionnés sous « %(name)s » : %(num)s irritants déplacés.", done[1], name=done[0]),
        redirect_to=url_for("services.service_page"), failure=lambda: _page(merge_form=form), default_field="services")
