"""The official registry's search, as the team types the name of a collectivity to add (participants/registry.py)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM
from hub.core.query import str_arg
from hub.core.tabular import to_csv
from participants import registry

blueprint = Blueprint("registry", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/participants/static")


def search_results(query: str) -> dict:
    """What the results list shows for this query: the entries, their départements' names, whether it is loaded."""
    session = db()
    entries = registry.search(session, query) if query.strip() else []
    return {"query": query, "entries": entries, "loaded": registry.is_loaded(session),
            "departements": registry.departement_names(session, sorted({e.departement_code for e in entries}))}


@blueprint.get("/registre/recherche")
@roles_required(*TEAM)
def search():
    """The results list alone, for the page's script to put under the search box as the person types."""
    return render_template("participants/_registry_results.html", **search_results(str_arg("q", max_length=100)))


@blueprint.get("/registre/regions/<code>/collectivites.csv")
@roles_required(*TEAM)
def region_list(code: str):
    """A région's official list of communes and EPCI, in the collectivity import's format, to import or to sort."""
    rows = registry.import_rows(db(), code)
    if not rows:
        abort(404)
    header = list(rows[0])
    return Response(to_csv(header, ([row[column] for column in header] for row in rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="collectivites-region-{code}.csv"'})
