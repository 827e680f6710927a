"""The selection grid's rows rendered once per worker for the values they show (hub.core.fragments).

A row and its two forms were two thirds of the grid's page (pyinstrument). A row shows its candidacy (id, status,
score, motivation), its collectivity (id, name, kind, département, population), what it adds to the cohort, the
proposal's rank and reason, and the grid's own URL the status form comes back to: all of it is the memo's key. A
score the team typed and the form refused is rendered afresh, with what was typed and its error.
"""

from __future__ import annotations

from flask import get_template_attribute
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hub.core.fragments import CSRF_SLOT, Fragments, reader_key
from hub.core.i18n import say
from participants.forms import REASON_MAX, STEP_PLACEHOLDER, next_steps

_rows = Fragments(at_most=5_000)  # 250 pages of 20 rows: about 15 MB of HTML per worker at most


def rendered_rows(slug: str, items: list, proposals: dict, adds: dict, back: str,
                  refused: dict) -> dict[int, Markup]:
    """Each row's HTML by enrolment id; ``refused`` the score forms to show again, by enrolment id."""
    html, reader = {}, reader_key()
    for enrolment, collectivity in items:
        proposal = proposals.get(enrolment.id)
        reason = say(proposal.reason) if proposal else None
        if enrolment.id in refused:
            html[enrolment.id] = _row(slug, enrolment, collectivity, proposal, reason, adds[enrolment.id], back,
                                      generate_csrf(), refused[enrolment.id])
            continue
        shown = (slug, enrolment.id, enrolment.status, enrolment.motivation_score, enrolment.motivation,
                 collectivity.id, collectivity.name, collectivity.kind, collectivity.departement_code,
                 collectivity.population, proposal.proposed if proposal else None,
                 proposal.rank if proposal else None, reason, adds[enrolment.id], back)
        html[enrolment.id] = _rows.get(shown, lambda e=enrolment, c=collectivity, p=proposal, r=reason: _row(
            slug, e, c, p, r, adds[e.id], back, CSRF_SLOT), reader)
    return html


def _row(slug, enrolment, collectivity, proposal, reason, adds, back, token, refused=None) -> Markup:
    row = get_template_attribute("participants/_grid_row_forms.html", "row")
    return row(slug, enrolment, collectivity, proposal, reason, adds, next_steps(enrolment.status), STEP_PLACEHOLDER,
               REASON_MAX, back, token, refused)
