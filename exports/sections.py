"""What the exports package adds to a collectivity's page: its sheet (PDF) and the programme's key figures."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from sqlmodel import select

from hub.core.extension_points import PageSection
from hub.core.models import Programme
from participants import pages as participant_pages
from participants.models import Enrolment

# The statuses with a sheet: exports.annexes builds one only for a collectivity enrolled or done with the programme.
SHEET_STATUSES = ("enrolled", "completed")


@participant_pages.collectivity_page.connect
def collectivity_sheet_links(_sender, *, session, collectivity, **_context) -> PageSection | None:
    """A link to the collectivity's sheet, and to the programme's key figures, for each programme it takes part in."""
    found = session.exec(select(Programme.slug, Programme.name)
                         .join(Enrolment, Enrolment.programme_id == Programme.id)
                         .where(Enrolment.collectivity_id == collectivity.id, Enrolment.status.in_(SHEET_STATUSES))
                         .order_by(Programme.launch_date.desc(), Programme.id)).all()
    if not found:
        return None
    return PageSection(order=5, html=Markup(render_template("exports/_collectivity_sheet.html",
                                                            collectivity=collectivity, programmes=found)))
