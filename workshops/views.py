"""Pages of the workshops package: list, calendar, planning, a workshop, closing, publishing."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.extension_points import PageSection, collected
from hub.core.forms import choices, handle_form
from hub.core.models import TEAM, Programme, Role, User
from hub.core.pagination import page_number
from hub.core.query import str_arg
from hub.core.sorting import Sort, Sortable
from participants import pages as participant_pages
from participants.models import Collectivity, Enrolment
from workshops import pages, service
from workshops.forms import CloseWorkshopForm, OutcomeForm, PublishReportForm, WorkshopPlanForm
from workshops.hypotheses import library
from workshops.models import Workshop

blueprint = Blueprint("workshops", __name__, template_folder="templates")


# The workshop list's sortable columns (?tri=…&ordre=asc|desc), by date unless asked otherwise.
WORKSHOP_SORT = Sortable({"date": (Workshop.held_on,), "collectivite": (Collectivity.name,), "lieu": (Workshop.place,),
                          "statut": (Workshop.status,), "agents": (Workshop.agents_met,)}, Workshop.id,
                         default=Sort("date"))


@blueprint.get("/ateliers")
@roles_required(*TEAM, Role.PARTICIPANT)
def workshop_list():
    """Workshops by date; a référent sees their own collectivity's only."""
    session = db()
    if current_user.is_project_team:  # the team works on one programme at a time
        programme = programmes.chosen_programme(session, str_arg("programme") or None)
    else:
        slug = str_arg("programme")
        programme = programmes.programme_or_404(session, slug) if slug else None
    sort = WORKSHOP_SORT.read()
    page = service.workshop_page(session, programme_id=programme.id if programme else None,
                                 number=page_number(str_arg("page")), size=current_app.config["PAGE_SIZE"],
                                 order=WORKSHOP_SORT.order(sort))
    args = {"programme": programme.slug} if programme else {}
    return render_template("workshops/list.html", page=page, programme=programme, args=args, sort=sort)


@blueprint.get("/programmes/<slug>/calendrier")
@roles_required(*TEAM)
def calendar():
    """The programme month by month with its workshops (one month at a time for a large programme); a facilitator
    booked twice in a day is flagged."""
    session, programme = db(), programmes.current_programme()
    counted = service.calendar_months(session, programme)
    shown, unknown_month = None, ""
    if sum(count for _month, count in counted) > service.CALENDAR_WHOLE_UP_TO:
        shown, unknown_month = _month_to_show(str_arg("mois", max_length=7), counted)
    months = service.calendar(session, programme, month=shown)
    ids = [w.id for _month, rows in months for w, _c in rows]
    return render_template("workshops/calendar.html", programme=programme, months=months, counted=counted,
                           shown=shown, unknown_month=unknown_month,
                           facilitators=service.facilitators(session, workshop_ids=ids),
                           double_booked=service.same_day_bookings(session, programme_id=programme.id),
                           window=service.workshops_window(session, programme))


def _month_to_show(asked: str, counted: list[tuple[date, int]]) -> tuple[date, str]:
    """The month asked for (« 2024-05 ») if the programme has it; else this month, else its first with workshops,
    with what was asked in vain (empty when nothing was asked, or it was found)."""
    months = [month for month, _count in counted]
    try:
        month = date.fromisoformat(f"{asked}-01")  # the form the month links write, nothing looser
    except ValueError:
        month = None
    if month in months:
        return month, ""
    this_month = date.today().replace(day=1)
    fallback = this_month if this_month in months else next((m for m, count in counted if count), months[0])
    return fallback, asked


def _plan_form(session, programme: Programme, formdata=None, workshop: Workshop | None = None) -> WorkshopPlanForm:
    form = WorkshopPlanForm(formdata=formdata, obj=workshop)
    enrolled = session.exec(select(Collectivity.id, Collectivity.name)
                            .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                            .where(Enrolment.programme_id == programme.id, Enrolment.status.in_(("selected",
                                                                                                 "enrolled")))
                            .order_by(Collectivity.name)).all()
    form.collectivity_id.choices = choices(enrolled)
    team = session.exec(select(User).where(User.role.in_(TEAM), User.active == True)  # noqa: E712
                        .order_by(User.full_name, User.email)).all()
    form.facilitator_ids.choices = choices((u.id, u.display_name) for u in team)
    form.themes.choices = choices(programmes.themes(session, programme.id).items())
    if workshop is not None and formdata is None:
        form.services.data = ", ".join(workshop.services)
        form.facilitator_ids.data = [u.id for u in service.facilitators(session, workshop_ids=[workshop.id])
                                     .get(workshop.id, [])]
    return form


def _save_plan(programme: Programme, workshop: Workshop | None):
    session = db()
    form = _plan_form(session, programme, formdata=request.form if request.method == "POST" else None,
                      workshop=workshop)
    if workshop is not None:
        form.collectivity_id.data = workshop.collectivity_id  # a workshop stays in its collectivity

    def save() -> Workshop:
        # A date outside the workshops window or a facilitator booked twice comes back on its field.
        plan = service.WorkshopPlan(collectivity_id=form.collectivity_id.data, held_on=form.held_on.data,
                                    place=form.place.data or "", services=form.service_list(),
                                    themes=form.themes.data or [], facilitator_ids=form.facilitator_ids.data or [])
        return service.save_plan(session, programme, plan, workshop)

    return handle_form(form, save, success=_("Atelier planifié."),
                       redirect_to=lambda saved: url_for("workshops.workshop_detail", workshop_id=saved.id),
                       failure=lambda: render_template("workshops/plan.html", form=form, programme=programme,
                                                       workshop=workshop,
                                                       window=service.workshops_window(session, programme)))


@blueprint.route("/programmes/<slug>/ateliers/nouveau", methods=["GET", "POST"])
@roles_required(*TEAM)
def plan_workshop():
    """Plan a workshop: collectivity, date in the workshops window, place, facilitators, services, themes."""
    return _save_plan(programmes.current_programme(), None)


@blueprint.route("/ateliers/<int:workshop_id>/modifier", methods=["GET", "POST"])
@roles_required(*TEAM)
def edit_workshop(workshop_id: int):
    """Re-plan a workshop that has not been held yet."""
    workshop = programmes.visible_or_404(db(), Workshop, workshop_id)
    if workshop.status != "planned":
        abort(409)
    return _save_plan(db().get(Programme, workshop.programme_id), workshop)


def detail_page(workshop, close_form=None, publish_form=None, outcome_form=None, status: int = 200):
    """The workshop page, with the team's forms (or the one just posted, with what was typed)."""
    session = db()
    team = current_user.is_project_team
    # A référent reads what the workshop found only once its compte-rendu is published.
    findings_visible = team or workshop.status == "published"
    outcome = None
    if team:
        outcome = outcome_form or OutcomeForm()
        outcome.hypothesis_id.choices = choices((h.id, h.statement)
                                                for h in library(session, programme_id=workshop.programme_id))
    html = render_template(
        "workshops/detail.html", workshop=workshop, collectivity=session.get(Collectivity, workshop.collectivity_id),
        hypotheses=service.hypothesis_results(session, workshop_id=workshop.id) if findings_visible else [],
        sections=collected(pages.workshop_page, blueprint, session=session, workshop=workshop)
        if findings_visible else [],
        findings_visible=findings_visible,
        facilitators=service.facilitators(session, workshop_ids=[workshop.id]).get(workshop.id, []),
        close_form=close_form or (CloseWorkshopForm(services=", ".join(workshop.services))
                                  if team and workshop.status == "planned" else None),
        publish_form=publish_form or (PublishReportForm(obj=workshop) if team and workshop.status == "held"
                                      else None),
        outcome_form=outcome)
    return html, status


@blueprint.get("/ateliers/<int:workshop_id>")
@roles_required(*TEAM, Role.PARTICIPANT)
def workshop_detail(workshop_id: int):
    """A workshop: services, facilitators, hypotheses tested, irritants found."""
    return detail_page(programmes.visible_or_404(db(), Workshop, workshop_id))


@blueprint.post("/ateliers/<int:workshop_id>/cloture")
@roles_required(*TEAM)
def close_workshop(workshop_id: int):
    """Record that a workshop was held, with the agents met and services visited."""
    session = db()
    workshop = programmes.visible_or_404(session, Workshop, workshop_id)
    form = CloseWorkshopForm()
    return handle_form(
        form, lambda: service.close_workshop(session, workshop=workshop, agents_met=form.agents_met.data,
                                             services=form.service_list()),
        success=_("Atelier clôturé."), redirect_to=url_for("workshops.workshop_detail", workshop_id=workshop.id),
        failure=lambda: detail_page(workshop, close_form=form), default_field="agents_met")


@blueprint.post("/ateliers/<int:workshop_id>/publication")
@roles_required(*TEAM)
def publish_workshop(workshop_id: int):
    """Publish the compte-rendu: the collectivity's référents can read it from now on."""
    session = db()
    workshop = programmes.visible_or_404(session, Workshop, workshop_id)
    form = PublishReportForm()
    return handle_form(
        form, lambda: service.publish_report(session, workshop=workshop, context=form.context.data,
                                             next_steps=form.next_steps.data),
        success=_("Compte-rendu publié : la collectivité peut le lire."),
        redirect_to=url_for("workshops.workshop_detail", workshop_id=workshop.id),
        failure=lambda: detail_page(workshop, publish_form=form), default_field="context")


@participant_pages.collectivity_page.connect
def collectivity_workshops(_sender, *, session, collectivity, **_context) -> PageSection:
    """The collectivity's workshops, as links, on its page."""
    workshops = service.workshops_of(session, collectivity_id=collectivity.id)
    return PageSection(order=10, html=Markup(render_template("workshops/_collectivity_workshops.html",
                                                             workshops=workshops)))
