"""What the irritants package adds to the pages of the packages below it: a collectivity's irritants and
decisions, the irritant count in the list of collectivities, and what a workshop found."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup
from sqlmodel import select

from hub.core import revisions
from hub.core.extension_points import ListColumn, PageSection
from hub.core.i18n import gettext as _
from hub.core.i18n import number
from irritants.models import Decision, DecisionIrritant, Irritant
from participants import pages as participant_pages
from workshops import pages as workshop_pages


@participant_pages.collectivity_page.connect
def collectivity_irritants(_sender, *, session, collectivity, **_context) -> PageSection:
    """The collectivity's irritants counted by status, and their total among its figures."""
    by_status = dict(session.exec(select(Irritant.status, sa.func.count(Irritant.id))
                                  .where(Irritant.collectivity_id == collectivity.id)
                                  .group_by(Irritant.status)).all())
    return PageSection(order=20, figures=((_("Irritants"), number(sum(by_status.values()))),),
                       html=Markup(render_template("irritants/_collectivity_irritants.html", by_status=by_status)))


@participant_pages.collectivity_page.connect
def collectivity_decisions(_sender, *, session, collectivity, **_context) -> PageSection:
    """The steering committee's decisions on the collectivity's irritants, the latest first."""
    decisions = session.exec(select(Decision, Irritant.title)
                             .join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                             .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
                             .where(DecisionIrritant.collectivity_id == collectivity.id)
                             .order_by(Decision.decided_on.desc())).all()
    return PageSection(order=30, html=Markup(render_template("irritants/_collectivity_decisions.html",
                                                             decisions=decisions)))


@participant_pages.collectivity_list.connect
def irritant_counts(_sender, *, session, collectivity_ids, programme_id=None, **_context) -> ListColumn:
    """How many irritants each listed collectivity has (in the programme, on a programme's list), in one grouped
    query."""
    counted = (select(Irritant.collectivity_id, sa.func.count(Irritant.id))
               .where(Irritant.collectivity_id.in_(collectivity_ids)).group_by(Irritant.collectivity_id))
    if not collectivity_ids:
        counts = {}
    elif programme_id is None:
        counts = dict(session.exec(counted).all())
    else:
        # A programme's list counts its own irritants, kept per worker while they stand as counted
        # (hub.core.revisions): 50 collectivities' irritants were counted again on every view.
        counted = counted.where(Irritant.programme_id == programme_id)
        counts = dict(revisions.kept(session, programme_id, "irritants_revision",
                                     ("irritants_per_collectivity", tuple(collectivity_ids)),
                                     lambda: tuple(map(tuple, session.exec(counted).all()))))
    return ListColumn(order=10, heading=_("Irritants"), values=counts)


@workshop_pages.workshop_page.connect
def workshop_irritants(_sender, *, session, workshop, **_context) -> PageSection:
    """The irritants and wishes a workshop found, by title."""
    found = session.exec(select(Irritant).where(Irritant.workshop_id == workshop.id).order_by(Irritant.title)).all()
    return PageSection(order=10, html=Markup(render_template("irritants/_workshop_irritants.html", irritants=found)))
