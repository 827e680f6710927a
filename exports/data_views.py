"""Downloads: the four lists as CSV, XLSX or JSON under the list's own filters, and the public open-data catalogue.

Each export has the roles of the list it comes from and reads through the request session, whose scope already
limits a référent to their own collectivity: no view here filters by collectivity for security.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from exports import datasets, opendata
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Programme, Role
from hub.core.tabular import XLSX_MIMETYPE, to_csv, to_json, to_xlsx
from irritants.decisions import DecisionFilters
from irritants.service import IrritantFilters

blueprint = Blueprint("data_exports", __name__, template_folder="templates")
# Any other format (or dataset) matches no route: a 404, like any unknown address.
FORMAT = "<any(csv, xlsx, json):fmt>"
# ?sep=virgule gives a comma-separated file (with '.' decimals) for tools that expect one; French Excel
# expects ';', the default.
COMMA = "virgule"


def _programme() -> Programme:
    # The lists open on the programme named in the query string, else the latest launched one.
    programme = programmes.chosen_programme(db(), request.args.get("programme"))
    if programme is None:
        abort(404)
    return programme


def _download(dataset: str, table: datasets.Table, fmt: str, *, sheet: str,
              programme: Programme | None) -> Response:
    """The table as a file to save, named after the dataset, the programme and the day."""
    if fmt == "csv":
        delimiter = "," if request.args.get("sep") == COMMA else ";"
        body, mimetype = to_csv(table.header, table.rows, delimiter=delimiter,
                                booleans=(_("oui"), _("non"))), "text/csv"
    elif fmt == "xlsx":
        body, mimetype = to_xlsx(table.header, table.rows, sheet=sheet), XLSX_MIMETYPE
    else:
        body, mimetype = to_json(table.header, table.rows), "application/json"
    stem = "-".join(filter(None, (dataset, programme.slug if programme else None, date.today().isoformat())))
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    # The file holds a collectivity's working data: no shared cache may keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get(f"/exports/irritants.{FORMAT}")
@roles_required(*TEAM)
def irritants(fmt: str):
    """The irritant list, under the list's filters, as a file."""
    programme = _programme()
    table = datasets.irritants(db(), filters=IrritantFilters.from_args(programme.id, request.args))
    return _download("irritants", table, fmt, sheet=_("Irritants"), programme=programme)


@blueprint.get(f"/exports/workshops.{FORMAT}")
@roles_required(*TEAM, Role.PARTICIPANT)
def workshops(fmt: str):
    """The workshop list as a file; a référent's holds their own collectivity's workshops only."""
    session = db()
    # As on the list: the team works on one programme at a time; a référent sees all theirs unless one is named.
    if current_user.is_project_team:
        programme = _programme()
    else:
        slug = request.args.get("programme")
        programme = programmes.programme_or_404(session, slug) if slug else None
    table = datasets.workshops(session, programme_id=programme.id if programme else None)
    return _download("workshops", table, fmt, sheet=_("Ateliers"), programme=programme)


@blueprint.get(f"/exports/decisions.{FORMAT}")
@roles_required(*TEAM, Role.STEERING)
def decisions(fmt: str):
    """The decision log, under the log's filters, as a file."""
    programme = _programme()
    table = datasets.decisions(db(), filters=DecisionFilters.from_args(programme.id, request.args))
    return _download("decisions", table, fmt, sheet=_("Décisions"), programme=programme)


@blueprint.get(f"/exports/usage.{FORMAT}")
@roles_required(*TEAM, Role.STEERING, Role.PARTICIPANT)
def usage(fmt: str):
    """The months of use of the tool as a file; a référent's holds their own collectivity's only."""
    programme = _programme()
    table = datasets.usage(db(), programme_id=programme.id)
    return _download("usage", table, fmt, sheet=_("Usages"), programme=programme)


# --- open data: public, no login -------------------------------------------------------------------------------

def _open(response: Response) -> Response:
    # Public data carrying nothing about the visitor: any site may read it, e.g. a data portal's previewer.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/donnees-ouvertes/<slug>")
def opendata_page():
    """What the programme's open-data catalogue publishes, what it withholds, and the links to it."""
    programme = programmes.current_programme()
    return render_template("exports/opendata.html", programme=programme, fields=opendata.FIELDS,
                           count=opendata.catalogue_size(programme), hours_step=opendata.HOURS_STEP)


@blueprint.get("/donnees-ouvertes/<slug>/irritants.csv")
def opendata_csv():
    """The anonymised irritant catalogue as CSV."""
    programme = programmes.current_programme()
    response = Response(opendata.catalogue_csv(programme), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="irritants-{programme.slug}.csv"'
    return _open(response)


@blueprint.get("/donnees-ouvertes/<slug>/datapackage.json")
def opendata_package():
    """The catalogue's Frictionless Data Package descriptor (Table Schema included)."""
    programme = programmes.current_programme()
    body = json.dumps(opendata.datapackage(programme), ensure_ascii=False, indent=2)
    return _open(Response(body, mimetype="application/json"))
