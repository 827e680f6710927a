"""Downloads: the four lists as CSV, XLSX or JSON under the list's own filters, and the public open-data catalogue.

Each export has the roles of the list it comes from and reads through the request session, whose scope already
limits a référent to their own collectivity: no view here filters by collectivity for security.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date

from cachetools import TTLCache, cached
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from exports import datasets, opendata, service
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Programme, Role
from hub.core.query import clean_args, str_arg
from hub.core.security import limiter
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
    programme = programmes.chosen_programme(db(), str_arg("programme") or None)
    if programme is None:
        abort(404)
    return programme


def _download(dataset: str, table: datasets.Table, fmt: str, *, sheet: str,
              programme: Programme | None) -> Response:
    """The table as a file to save, named after the dataset, the programme and the day."""
    if fmt == "csv":
        delimiter = "," if str_arg("sep") == COMMA else ";"
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
    table = datasets.irritants(db(), filters=IrritantFilters.from_args(programme.id, clean_args()))
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
        slug = str_arg("programme")
        programme = programmes.programme_or_404(session, slug) if slug else None
    table = datasets.workshops(session, programme_id=programme.id if programme else None)
    return _download("workshops", table, fmt, sheet=_("Ateliers"), programme=programme)


@blueprint.get(f"/exports/decisions.{FORMAT}")
@roles_required(*TEAM, Role.STEERING)
def decisions(fmt: str):
    """The decision log, under the log's filters, as a file."""
    programme = _programme()
    table = datasets.decisions(db(), filters=DecisionFilters.from_args(programme.id, clean_args()))
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
    frozen = service.frozen_opendata(db(), programme_id=programme.id, files=False)
    return render_template("exports/opendata.html", programme=programme, fields=opendata.FIELDS, frozen=frozen,
                           count=opendata.catalogue_size(programme, as_of=frozen.as_of if frozen else None),
                           hours_step=opendata.HOURS_STEP)


def _live_catalogue_exempt() -> bool:
    # Only the live catalogue costs a computation: a published version's file is served as it was written.
    return service.frozen_opendata(db(), programme_id=programmes.current_programme().id, files=False) is not None


@blueprint.get("/donnees-ouvertes/<slug>/irritants.csv")
@limiter.limit(lambda: current_app.config["OPENDATA_RATE_LIMIT"], exempt_when=_live_catalogue_exempt)
def opendata_csv():
    """The anonymised irritant catalogue as CSV: the latest published version's, else the live one (cached)."""
    programme = programmes.current_programme()
    frozen = service.frozen_opendata(db(), programme_id=programme.id)
    if frozen is not None:
        return _frozen_file(programme, frozen, frozen.opendata_csv, "text/csv", max_age=LATEST_MAX_AGE)
    response = Response(_cached_live_csv(programme), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="irritants-{programme.slug}.csv"'
    response.cache_control.public, response.cache_control.max_age = True, LIVE_CACHE_SECONDS
    return _open(response)


@blueprint.get("/donnees-ouvertes/<slug>/datapackage.json")
def opendata_package():
    """The catalogue's Frictionless Data Package descriptor (Table Schema included), beside the CSV above."""
    programme = programmes.current_programme()
    frozen = service.frozen_opendata(db(), programme_id=programme.id)
    if frozen is not None:
        return _frozen_file(programme, frozen, frozen.opendata_package.encode("utf-8"), "application/json",
                            max_age=LATEST_MAX_AGE)
    body = json.dumps(opendata.datapackage(programme), ensure_ascii=False, indent=2)
    return _open(Response(body, mimetype="application/json"))


@blueprint.get("/donnees-ouvertes/<slug>/versions/<int:number>/<any('irritants.csv', 'datapackage.json'):name>")
def opendata_version_file(number: int, name: str):
    """One published version's catalogue or descriptor, frozen at its publication: cached for good."""
    programme = programmes.current_programme()
    version = service.version_or_none(db(), programme_id=programme.id, number=number)
    if version is None or version.status != "ready" or version.opendata_csv is None:
        abort(404)
    if name == "irritants.csv":
        return _frozen_file(programme, version, version.opendata_csv, "text/csv", max_age=IMMUTABLE_MAX_AGE)
    return _frozen_file(programme, version, version.opendata_package.encode("utf-8"), "application/json",
                        max_age=IMMUTABLE_MAX_AGE)


def _frozen_file(programme: Programme, version, body: bytes, mimetype: str, *, max_age: int) -> Response:
    response = Response(body, mimetype=mimetype)
    if mimetype == "text/csv":
        response.headers["Content-Disposition"] = (f'attachment; filename="irritants-{programme.slug}'
                                                   f'-v{version.number}.csv"')
    response.cache_control.public, response.cache_control.max_age = True, max_age
    if max_age == IMMUTABLE_MAX_AGE:
        response.cache_control.immutable = True
    response.set_etag(f"v{version.number}-{hashlib.sha256(body).hexdigest()[:32]}")
    response.headers["Last-Modified"] = version.updated_at
    return _open(response.make_conditional(request))


# A published version's files never change; "the latest" does when a new version is published.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600
LATEST_MAX_AGE = 600
LIVE_CACHE_SECONDS = 300
_LIVE = TTLCache(maxsize=32, ttl=LIVE_CACHE_SECONDS)
_LIVE_LOCK = threading.Lock()


# Keyed by what makes a programme itself (ids come back after a rolled-back test, slugs and instants do not).
@cached(_LIVE, key=lambda programme: (programme.id, programme.slug, programme.created_at), lock=_LIVE_LOCK)
def _cached_live_csv(programme: Programme) -> str:
    # Before the first publication the catalogue is computed from the live data, at most once per programme and
    # per web worker every LIVE_CACHE_SECONDS: a national catalogue takes seconds, and anonymous visitors must
    # not be able to keep the workers busy with it.
    return opendata.catalogue_csv(programme)
