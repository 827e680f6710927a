"""Pages of the selection: candidacies with their grid and the hub's proposal, and the cohort's coverage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes, revisions
from hub.core.auth import roles_required
from hub.core.charts import bar_chart, png_data_uri
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.i18n import semicolons
from hub.core.labels import label
from hub.core.models import TEAM, Role
from hub.core.pagination import page_number
from hub.core.query import int_arg, str_arg
from participants import grid_rows, registry, service
from participants.forms import CandidacyForm, MotivationScoreForm
from participants.models import Collectivity, Enrolment
from participants.selection import Candidate, propose

blueprint = Blueprint("selection", __name__, template_folder="templates")
# Statuses still weighed by the proposal: it replays the whole selection, decided ones included,
# so the team can compare its choice with the hub's.
IN_PLAY = ("candidacy", "selected", "not_selected", "enrolled")
# Each row of the grid carries two forms (the motivation score, the status): 20 rows make a page one reads
# and a render that stays short, where the lists of plain rows show 50.
GRID_ROWS = 20


@dataclass(frozen=True)
class Weighing:
    """The whole selection weighed once: the hub's proposal, and what the cohort already covers."""

    proposals: dict
    seats: int
    departement_counts: Counter
    kind_counts: Counter


def weigh(everyone: tuple, seats: int | None) -> Weighing:
    """The proposal over every candidacy, and the cohort's coverage, for these rows (~30 ms for 2,000)."""
    cohort = [row for row in everyone if row.status in service.COHORT_STATUSES]
    pool = [Candidate(id=row.id, name=row.name, departement=row.departement_code, kind=row.kind,
                      motivation=row.motivation_score, population=row.population)
            for row in everyone if row.status in IN_PLAY]
    # More seats than candidates changes nothing: the bound only keeps the proposal's arithmetic sane.
    seats = (len(cohort) or len(pool)) if seats is None else seats
    return Weighing(proposals={p.candidate_id: p for p in propose(pool, seats=seats)}, seats=seats,
                    departement_counts=Counter(row.departement_code for row in cohort),
                    kind_counts=Counter(row.kind for row in cohort))


def weighed_selection(session, programme_id: int, seats: int | None) -> Weighing:
    """The selection weighed once per worker while the programme's enrolments and what it weighs of their
    collectivities are unchanged (the database moves ``selection_revision`` on each change: hub.core.revisions),
    instead of reading and weighing 2,000 candidacies on each view of the grid."""
    return revisions.kept(session, programme_id, "selection_revision", ("grid", seats),
                          lambda: weigh(service.candidacy_pool(session, programme_id=programme_id), seats))


def _candidacy_form(session, programme, formdata=None) -> CandidacyForm:
    form = CandidacyForm(formdata=formdata)
    applied = select(Enrolment.collectivity_id).where(Enrolment.programme_id == programme.id)
    not_applied = (select(Collectivity.id, Collectivity.name).where(Collectivity.id.not_in(applied))
                   .order_by(Collectivity.name).limit(1000))
    # Reading the register's collectivities that have not applied took PostgreSQL 0.8 ms a view: kept while the
    # enrolments and the register's names stand (migrations 0020 and 0022 move the counter).
    rows = revisions.kept(session, programme.id, "selection_revision", "candidacy_menu",
                          lambda: tuple(map(tuple, session.exec(not_applied))))
    form.collectivity_id.choices = choices((cid, name) for cid, name in rows)
    return form


def _grid_page(programme, candidacy_form=None, status: int = 200, score_form=None):
    session = db()
    # The proposal weighs every candidacy (once per state of the selection); the grid shows a page.
    weighed = weighed_selection(session, programme.id, int_arg("places", minimum=0, maximum=1_000_000))
    proposals, seats = weighed.proposals, weighed.seats
    # The grid's order is kept like the weighing (status, then name: both move the counter); a page reads its rows.
    order = revisions.kept(session, programme.id, "selection_revision", "grid_order",
                           lambda: service.candidacy_order(session, programme_id=programme.id))
    page = service.candidacy_page_in(session, order=order, number=page_number(str_arg("page")),
                                     size=min(current_app.config["PAGE_SIZE"], GRID_ROWS))
    departement_counts, kind_counts = weighed.departement_counts, weighed.kind_counts
    adds = {}
    for enrolment, collectivity in page.items:
        own = 1 if enrolment.status in service.COHORT_STATUSES else 0  # itself does not count as coverage
        adds[enrolment.id] = (departement_counts[collectivity.departement_code] - own == 0,
                              kind_counts[collectivity.kind] - own == 0)
    # Each row, its two forms written out by hand (40 WTForms forms were most of the page's time), is rendered
    # once per worker for what it shows (participants.grid_rows).
    html = render_template(
        "participants/selection.html", programme=programme, page=page, seats=seats,
        rows_html=grid_rows.rendered_rows(programme.slug, page.items, proposals, adds, request.full_path,
                                          dict([score_form]) if score_form is not None else {}),
        candidacy_form=candidacy_form or _candidacy_form(session, programme))
    return html, status


@blueprint.get("/programmes/<slug>/candidatures")
@roles_required(*TEAM)
def candidacies():
    """Candidacies with the selection grid and the hub's proposal for a number of seats."""
    return _grid_page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/candidatures")
@roles_required(*TEAM)
def candidacy_new():
    """Record a collectivity's candidacy, with its motivation and date."""
    session, programme = db(), programmes.current_programme()
    form = _candidacy_form(session, programme, formdata=request.form)
    return handle_form(
        form, lambda: service.add_candidacy(session, programme_id=programme.id,
                                            collectivity_id=form.collectivity_id.data,
                                            motivation=form.motivation.data, applied_on=form.applied_on.data,
                                            by_user_id=current_user.id),
        success=_("Candidature enregistrée."), redirect_to=url_for("selection.candidacies"),
        failure=lambda: _grid_page(programme, candidacy_form=form), default_field="collectivity_id")


@blueprint.post("/programmes/<slug>/candidatures/<int:enrolment_id>/note")
@roles_required(*TEAM)
def motivation_score(enrolment_id: int):
    """Record the team's motivation score (0 to 5) for a candidacy."""
    session, programme = db(), programmes.current_programme()
    enrolment = programmes.visible_or_404(session, Enrolment, enrolment_id)
    if enrolment.programme_id != programme.id:
        abort(404)
    form = MotivationScoreForm(prefix=f"s{enrolment.id}")

    def score():
        enrolment.motivation_score = form.score.data
        session.add(enrolment)

    return handle_form(form, score, success=_("Note de motivation enregistrée."),
                       redirect_to=url_for("selection.candidacies"),
                       failure=lambda: _grid_page(programme, score_form=(enrolment.id, form)))


@blueprint.get("/programmes/<slug>/couverture")
@roles_required(*TEAM, Role.STEERING)
def coverage():
    """Départements represented and missing, kinds of structure, population covered."""
    programme = programmes.current_programme()
    result = service.coverage(db(), programme=programme)
    codes = sorted(set(programme.region_departements) | set(result.by_departement))
    names = registry.departement_names(db(), codes)  # « Nièvre (58) » once the registry is loaded, else « 58 »

    def named(code: str) -> str:
        return f"{names[code]} ({code})" if code in names else code

    rows = [{"Département": named(code), "Collectivités": result.by_departement.get(code, 0)} for code in codes]
    chart = None
    if result.collectivities:
        spec = bar_chart(rows, category="Département", value="Collectivités", category_title=_("Département"),
                         value_title=_("Collectivités"))
        chart = {"img": png_data_uri(spec), "alt": _("Collectivités retenues par département : %(list)s.",
                                                     list=semicolons(f"{r['Département']} {r['Collectivités']}"
                                                                     for r in rows))}
    kinds = {label("kind", kind): n for kind, n in result.by_kind.items()}
    return render_template("participants/coverage.html", programme=programme, coverage=result, chart=chart,
                           rows=rows, kinds=kinds, missing=[named(code) for code in result.missing_departements])
