"""The search page: GET /recherche?q=…, for every role, each finding what it may open."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from hub.app.search import service
from hub.app.search.forms import KIND_LABELS, SearchForm
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import ROLES
from hub.core.query import str_arg

blueprint = Blueprint("search", __name__, template_folder="templates")


@blueprint.get("/recherche")
@roles_required(*ROLES)
def search_page():
    """The hits of the query per kind, at most 20 each; ``?kind=`` shows more of one kind."""
    session = db()
    form = SearchForm(request.args)
    form.validate()
    valid = not form.q.errors  # an unknown kind only widens the search to every kind
    programme = service.programme_by_slug(session, str_arg("programme"))
    results = None
    if valid and form.q.data and form.q.data.strip():
        kind = form.kind.data if form.kind.data in service.KINDS else ""
        results = service.search(session, query=form.q.data, role=current_user.role,
                                 programme_id=programme.id if programme else None,
                                 kinds=(kind,) if kind else service.KINDS,
                                 limit=service.MORE if kind else service.PER_KIND)
    return render_template("search/results.html", form=form, results=results, programme=programme,
                           kind_labels=KIND_LABELS, per_kind=service.PER_KIND, more=service.MORE)
