"""Published versions of the report: publish, follow the rendering, read, download, compare."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from exports import compare, sections, service  # noqa: F401  (sections connects its page receivers)
from exports.assembly import assemble_report
from exports.forms import PublishForm, RetryForm
from exports.jobs import submit_rendering
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import TEAM, Role
from hub.core.query import int_arg, str_arg
from participants.models import Collectivity, Enrolment

blueprint = Blueprint("publication", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static/exports")

READERS = (*TEAM, Role.STEERING)


def _version_or_404(number: int, *, ready: bool = True):
    programme = programmes.current_programme()
    version = service.version_or_none(db(), programme_id=programme.id, number=number)
    # Only the admin who publishes sees a version before it is ready; the others read published ones.
    if version is None or (ready and version.status != "ready"):
        abort(404)
    return programme, version


@blueprint.get("/programmes/<slug>/rapport/versions")
@roles_required(*READERS)
def version_list():
    """Every published version, latest first; the admin also sees renderings under way or failed."""
    programme = programmes.current_programme()
    found = service.versions(db(), programme_id=programme.id, ready_only=current_user.role != "admin")
    return render_template("exports/versions.html", programme=programme, versions=found,
                           stale={v.id for v in found if service.is_stale(v)}, retry_form=RetryForm(),
                           form=PublishForm() if current_user.role == "admin" else None)


def _render_apart(version) -> None:
    # The rendering reads the saved version: it starts once the request has committed it.
    submit_rendering(version.id, current_user.id)


@blueprint.post("/programmes/<slug>/rapport/publier")
@roles_required(Role.ADMIN)
def publish():
    """Ask for a new version; its rendering runs apart and its page shows the progress."""
    session, programme = db(), programmes.current_programme()
    form = PublishForm()

    def failed():
        if not form.errors:  # refused (a rendering under way): the list shows why
            return redirect(url_for("publication.version_list"))
        return render_template("exports/versions.html", programme=programme, stale=set(), retry_form=RetryForm(),
                               versions=service.versions(session, programme_id=programme.id), form=form), 400

    return handle_form(form, lambda: service.request_publication(session, programme=programme,
                                                                 user_id=current_user.id, as_of=form.as_of.data),
                       success=_render_apart, redirect_to=lambda version: url_for("publication.progress",
                                                                                  number=version.number),
                       failure=failed)


@blueprint.post("/programmes/<slug>/rapport/versions/<int:number>/relancer")
@roles_required(Role.ADMIN)
def retry(number: int):
    """Render a failed (or interrupted) version again, under its own number."""
    session = db()
    programme, version = _version_or_404(number, ready=False)
    if not RetryForm().validate_on_submit():
        abort(400)
    if version.status == "ready" or (version.status in service.UNDER_WAY and not service.is_stale(version)):
        flash(_("Cette version n'est pas en échec : rien à relancer."), "error")
        return redirect(url_for("publication.version_list"))
    version = service.request_publication(session, programme=programme, user_id=current_user.id,
                                          as_of=version.as_of)
    session.commit()
    _render_apart(version)
    return redirect(url_for("publication.progress", number=version.number))


@blueprint.get("/programmes/<slug>/rapport/versions/<int:number>/progression")
@roles_required(Role.ADMIN)
def progress(number: int):
    """Where the rendering stands; the page polls the state and shows the result when it is ready."""
    programme, version = _version_or_404(number, ready=False)
    return render_template("exports/progress.html", programme=programme, version=version,
                           stale=service.is_stale(version), retry_form=RetryForm())


@blueprint.get("/programmes/<slug>/rapport/versions/<int:number>/etat")
@roles_required(Role.ADMIN)
def state(number: int):
    """The rendering's state as JSON, for the progress page's script."""
    _programme, version = _version_or_404(number, ready=False)
    return jsonify(status=version.status, progress=version.progress, step=version.step, error=version.error,
                   stale=service.is_stale(version),
                   url=url_for("publication.version_page", number=number)
                   if version.status == "ready" else None)


@blueprint.get("/programmes/<slug>/rapport/versions/<int:number>")
@roles_required(*READERS)
def version_page(number: int):
    """A published version as it was frozen: its own HTML, never today's records."""
    programme, version = _version_or_404(number)
    previous = service.version_or_none(db(), programme_id=programme.id, number=number - 1)
    return render_template("exports/version.html", programme=programme, version=version,
                           previous=previous if previous and previous.status == "ready" else None)


@blueprint.get("/programmes/<slug>/rapport/versions/<int:number>.pdf")
@roles_required(*READERS)
def version_pdf(number: int):
    """A published version's PDF, byte for byte as published."""
    programme, version = _version_or_404(number)
    return Response(version.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="rapport-{programme.slug}-v{version.number}.pdf"',
        "ETag": version.sha256})


@blueprint.get("/programmes/<slug>/rapport/chiffres-cles")
@roles_required(*READERS, Role.PARTICIPANT)
def key_figures():
    """The latest published report's key figures, and nothing that names a collectivity: what a référent may read."""
    session, programme = db(), programmes.current_programme()
    own = None
    if current_user.role == Role.PARTICIPANT:
        # A référent reads the figures of a programme their collectivity takes part in (the session is scoped).
        own = session.exec(select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                           .where(Enrolment.programme_id == programme.id,
                                  Enrolment.status.in_(sections.SHEET_STATUSES))).first()
        if own is None:
            abort(404)
    version = service.latest_ready(session, programme_id=programme.id)
    return render_template("exports/key_figures.html", programme=programme, version=version, own=own,
                           report=_aggregates(version.snapshot) if version else None)


def _aggregates(snapshot: dict) -> dict:
    """From a published snapshot, only what the key figures print: counts, never a collectivity's name or rows."""
    usage = snapshot.get("usage") or {}
    return {"programme": snapshot["programme"], "as_of": snapshot["as_of"], "summary": snapshot["summary"],
            # The decisions' rationale and irritants name collectivities: only their number is printed.
            "decisions": [{"kind": d["kind"], "decided_on": d["decided_on"]} for d in snapshot.get("decisions", [])],
            "usage": {"time_saved": usage.get("time_saved") or {"estimated": 0, "measured": 0, "self_reported": 0}}}


@blueprint.get("/programmes/<slug>/rapport/comparer")
@roles_required(*READERS)
def compare_versions():
    """Which figures changed between two published versions, or since one of them."""
    programme = programmes.current_programme()
    # A version number is a positive integer: « ² », -1 or 30 digits name no version (404, never a 500).
    before_number = int_arg("de")
    after_arg = str_arg("a", "actuel")
    if before_number is None:
        abort(404)
    _programme, before = _version_or_404(before_number)
    if after_arg == "actuel":
        after_data, after = assemble_report(db(), programme), None
    elif int_arg("a") is not None:
        _programme, after = _version_or_404(int_arg("a"))
        after_data = after.snapshot
    else:
        abort(404)
    return render_template("exports/compare.html", programme=programme, before=before, after=after,
                           changes=compare.changes(before.snapshot, after_data))
