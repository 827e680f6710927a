"""The homes: each role lands on what it does next; a programme's page; the lists behind the homes' blocks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, session
from flask_login import current_user, login_required
from sqlmodel import select

from exports.service import latest_ready
from exports.summary import programme_summary
from hub.app.demo.commands import demo_command
from hub.app.home import committee, referent, team
from hub.app.programme_admin.service import milestone_label
from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import TEAM, Milestone, Role, User, utcnow
from hub.core.pagination import page_number
from hub.core.query import str_arg
from participants.models import Collectivity
from participants.service import current_programme_of

blueprint = Blueprint("home", __name__, cli_group=None, template_folder="templates")
# Its commands join the hub command itself (cli_group=None), not a sub-group named after the blueprint.
blueprint.cli.add_command(demo_command)

# A référent's first visit has no "last visit": the news of the last weeks stand in for it.
FIRST_VISIT_NEWS = timedelta(days=30)
SINCE_KEY = "home_since"


@blueprint.get("/")
@login_required
def index():
    """Each role lands on what it does next."""
    if current_user.role == Role.PARTICIPANT:
        return _referent_home()
    if current_user.role == Role.STEERING:
        return _committee_home()
    return _team_home()


def _programme_cards(listed):
    summaries = {p.id: programme_summary(db(), p.id) for p in listed}
    published = {p.id: latest_ready(db(), programme_id=p.id) for p in listed}
    return summaries, published


def _team_home():
    session, today = db(), date.today()
    listed = programmes.all_programmes(session)
    summaries, published = _programme_cards(listed)
    admin = current_user.role == Role.ADMIN
    return render_template(
        "home/team.html", today=today, programmes=listed, summaries=summaries, published=published,
        workshops=team.workshop_block(session, today=today),
        todays=team.todays_workshops(session, today=today, user_id=current_user.id),
        blocks={key: team.irritant_block(session, key) for key in team.TODO_LISTS},
        figures=team.figures_to_validate(session, programmes=listed),
        # Archived programmes leave the list; the admin finds them below it, to read or restore.
        archived=programmes.archived_programmes(session) if admin else [],
        accounts=team.accounts_at_a_glance(session) if admin else None, age=team.age_in_days)


def _since() -> tuple[datetime, bool]:
    """The référent's previous visit (and whether there was one), kept for the whole session: reloading the home
    keeps its news."""
    if SINCE_KEY in session:
        kept = session[SINCE_KEY]
        return datetime.fromisoformat(kept["since"]), kept["first"]
    seen = current_user.home_seen_at
    since = seen if seen is not None else utcnow() - FIRST_VISIT_NEWS
    session[SINCE_KEY] = {"since": since.isoformat(), "first": seen is None}
    # A statement, not an attribute change: like the login's last_login_at, a visit is no record of the programme.
    db().execute(sa.update(User).where(User.id == current_user.id).values(home_seen_at=utcnow()))
    db().commit()
    return since, seen is None


def _referent_home():
    if current_user.scope_collectivity_id is None:
        abort(404)
    session, today = db(), date.today()
    collectivity = programmes.visible_or_404(session, Collectivity, current_user.scope_collectivity_id)
    since, first_visit = _since()
    programme = programmes.taken_part_in(session, collectivity.id, current_programme_of)
    news, news_count = referent.news(session, collectivity_id=collectivity.id, since=since, reader_id=current_user.id)
    return render_template(
        "home/referent.html", collectivity=collectivity, programme=programme, since=since, news=news,
        news_count=news_count, first_visit=first_visit,
        requests=referent.requests(session, programme=programme, collectivity_id=collectivity.id, since=since,
                                   reader_id=current_user.id, today=today),
        proposals=referent.proposals(session, collectivity_id=collectivity.id))


def _committee_home():
    session = db()
    listed = programmes.all_programmes(session)
    programme = programmes.chosen_programme(session, str_arg("programme") or None)
    board = committee.dashboard(session, programme=programme, today=date.today()) if programme else None
    published = latest_ready(session, programme_id=programme.id) if programme else None
    return render_template("home/committee.html", programmes=listed, programme=programme, board=board,
                           published=published)


@blueprint.get("/a-faire")
@roles_required(*TEAM)
def todo_list():
    """The whole of one of the team's to-do lists (proposals, to qualify, to score, to decide), page by page."""
    key = str_arg("liste") or "propositions"
    if key not in team.TODO_LISTS:
        abort(404)
    slug = str_arg("programme")
    programme = programmes.programme_or_404(db(), slug) if slug else None
    page = team.todo_page(db(), key, programme_id=programme.id if programme else None,
                          number=page_number(str_arg("page")), size=current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in {"liste": key, "programme": slug}.items() if v}
    return render_template("home/todo.html", key=key, programme=programme, page=page, args=args,
                           today=date.today(), age=team.age_in_days)


@blueprint.get("/programmes/<slug>/chiffres")
@roles_required(*TEAM, Role.STEERING)
def figure_list():
    """The irritants behind one figure of the committee's dashboard, read-only, highest priority first."""
    programme = programmes.current_programme()
    key = str_arg("chiffre") or committee.FUNNEL[0]
    if key not in committee.FIGURES:
        abort(404)
    page = committee.figure_page(db(), programme=programme, key=key, number=page_number(str_arg("page")),
                                 size=current_app.config["PAGE_SIZE"])
    return render_template("home/figure_list.html", programme=programme, key=key, title=committee.figure_title(key),
                           page=page, args={"slug": programme.slug, "chiffre": key}, today=date.today())


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
