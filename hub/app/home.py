"""The home dashboard: each role's landing page and a programme's page, with figures from every domain."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from exports.service import latest_ready
from exports.summary import programme_summary
from hub.app.demo.commands import demo_command
from hub.app.programme_admin.service import milestone_label
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Milestone, Role

blueprint = Blueprint("home", __name__, cli_group=None)
# Its commands join the hub command itself (cli_group=None), not a sub-group named after the blueprint.
blueprint.cli.add_command(demo_command)


@blueprint.get("/")
@login_required
def index():
    """Each role lands on the page it works from."""
    if current_user.role == Role.PARTICIPANT:
        return redirect(url_for("irritants.my_board"))
    listed = programmes.all_programmes(db())
    summaries = {p.id: programme_summary(db(), p.id) for p in listed}
    published = {p.id: latest_ready(db(), programme_id=p.id) for p in listed}
    # Archived programmes leave the list; the admin finds them below it, to read or restore.
    archived = programmes.archived_programmes(db()) if current_user.role == Role.ADMIN else []
    return render_template("hub/home.html", programmes=listed, summaries=summaries, published=published,
                           archived=archived)


@blueprint.get("/programmes/<slug>")
@roles_required(*TEAM, Role.STEERING)
def programme():
    """A programme: its milestones, themes and figures."""
    prog = programmes.current_programme()
    milestones = db().exec(select(Milestone).where(Milestone.programme_id == prog.id)
                           .order_by(Milestone.starts_on)).all()
    return render_template("hub/programme.html", programme=prog, milestones=milestones,
                           milestone_labels={m.id: milestone_label(m) for m in milestones},
                           themes=programmes.themes(db(), prog.id), summary=programme_summary(db(), prog.id))
