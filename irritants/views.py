"""Pages of the irritants package: the list, an irritant, recording one, the boards."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes, revisions
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.labels import label
from hub.core.models import TEAM, Programme, Role
from hub.core.pagination import page_number
from hub.core.query import clean_args, int_arg, parse_int, str_arg
from hub.core.sorting import Sort, Sortable
from irritants import ai_act, answers, board_cards, boards, list_rows, scoring, sections, service  # noqa: F401  (sections connects its page receivers)
from irritants.collectivity_board import board_with_set_aside
from irritants.decisions import default_kind, shown_decisions
from irritants.forms import (
    BoardFilterForm,
    CommentForm,
    DecisionForm,
    IrritantForm,
    ListFilterForm,
    OptionForm,
    QualificationForm,
    StatusForm,
)
from irritants.models import AI_FAMILIES, IRRITANT_STATUSES, Irritant
from irritants.photos import photos_of
from irritants.review import review_plan
from irritants.robustness_chart import robustness_panel
from participants.models import Collectivity, Enrolment
from participants.service import with_current_programme
from workshops import service_list
from workshops.service import workshops_of
from workshops.service_names import fold

blueprint = Blueprint("irritants", __name__, template_folder="templates")
blueprint.add_app_template_filter(service.event_note, "event_note")
COLLECTIVITY_SELECT_LIMIT = 100


# The irritant list's sortable columns (?tri=…&ordre=asc|desc); by default the method's priority, highest first.
IRRITANT_SORT = Sortable({"intitule": (Irritant.title,), "collectivite": (Collectivity.name,),
                          "service": (Irritant.service,), "thematique": (Irritant.theme,), "statut": (Irritant.status,),
                          "heures": (Irritant.hours_per_year,), "priorite": (Irritant.priority_sort,
                                                                            Irritant.hours_per_year)},
                         Irritant.id, default=Sort("priorite", descending=True))


@blueprint.get("/irritants")
@roles_required(*TEAM)
def irritant_list():
    """All irritants of a programme, filterable by collectivity, theme and status."""
    session = db()
    programme = programmes.chosen_programme(session, str_arg("programme") or None)
    if programme is None:
        return render_template("irritants/list.html", programme=None, page=None, form=None, args={})
    themes = programmes.themes(session, programme.id)
    form = ListFilterForm(clean_args())
    enrolled = (select(Collectivity.id, Collectivity.name).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                .where(Enrolment.programme_id == programme.id).order_by(Collectivity.name))
    # A short list is a select; a national programme's thousands of names are searched by text. Kept while the
    # enrolments and their names are unchanged (hub.core.revisions).
    collectivities = revisions.kept(session, programme.id, "selection_revision", "collectivity_menu", lambda: tuple(
        map(tuple, session.exec(enrolled.limit(COLLECTIVITY_SELECT_LIMIT + 1)))))
    by_name = len(collectivities) > COLLECTIVITY_SELECT_LIMIT
    form.collectivity.choices = choices([("", _("Toutes"))] + [(str(cid), name) for cid, name in collectivities])
    form.collectivity.validate_choice = False
    form.theme.choices = choices([("", _("Toutes"))] + list(themes.items()))
    form.status.choices = choices([("", _("Tous"))] + [(s, label("irritant", s)) for s in IRRITANT_STATUSES])
    filters = service.IrritantFilters.from_args(programme.id, clean_args())
    sort = IRRITANT_SORT.read()
    page = service.irritant_page(session, filters=filters, number=page_number(str_arg("page")),
                                 size=current_app.config["PAGE_SIZE"], order=IRRITANT_SORT.order(sort),
                                 cap=current_app.config["LIST_COUNT_CAP"])
    args = {k: v for k, v in {"programme": programme.slug, "collectivity": form.collectivity.data,
                              "collectivity_name": form.collectivity_name.data,
                              "theme": form.theme.data, "status": form.status.data}.items() if v}
    return render_template("irritants/list.html", programme=programme, page=page, form=form, args=args,
                           by_name=by_name, sort=sort, rows_html=list_rows.rendered_rows(page.items, themes))


def _status_form(irritant: Irritant, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata, version=irritant.version)
    # An empty first choice: the menu never opens on a step (« Écarté », « Abandonné ») nobody chose.
    steps = [(s, label("irritant", s)) for s in service.TRANSITIONS[irritant.status]]
    form.to_status.choices = choices([("", _("— Choisir le nouveau statut —")), *steps]) if steps else []
    return form


def ai_act_view(option) -> dict | None:
    """An AI option's AI Act class as the page shows it: the class used, its article, the duties ticked."""
    if option.family not in AI_FAMILIES:
        return None
    klass = ai_act.effective_class(option.ai_act_class, option.ai_act_confirmed_class) or ai_act.TO_CLASSIFY
    done = set(option.ai_act_duties or ())
    return {"klass": klass, "found": ai_act.explain(option.ai_act_use, option.ai_act_class,
                                                    option.ai_act_confirmed_class, human_review=option.human_review),
            "duties": [(reason, key in done) for key, reason in ai_act.DUTIES.items()]}


def parameters_words(version: int) -> str:
    """Which parameters a figure used, in words: the method's defaults, or the programme's numbered version."""
    return _("Paramètres du programme, version %(v)s.", v=version) if version else _(
        "Valeurs par défaut de la méthode, que le programme peut changer.")


def detail_page(irritant: Irritant, form: StatusForm | None = None, status: int = 200, conflict=None,
                qualification_form: QualificationForm | None = None, option_form: OptionForm | None = None,
                comment_form: CommentForm | None = None, decision_form: DecisionForm | None = None):
    """The irritant's page, with the team's forms (or the one just posted, with what was typed)."""
    session = db()
    version, params = answers.parameters(session, programme_id=irritant.programme_id)
    remedy_options = service.options(session, irritant_id=irritant.id)
    result = answers.assess(irritant, remedy_options, params)
    verdict = None
    if remedy_options:
        subject, method_options = answers.method_inputs(irritant, remedy_options)
        verdict = robustness_panel(answers.robustness_of(subject, method_options, params))
    team = current_user.is_project_team
    if form is None and team:
        form = _status_form(irritant)
    if qualification_form is None and team:
        qualification_form = QualificationForm(obj=irritant, version=irritant.version)
    if option_form is None and team:
        option_form = OptionForm()
    html = render_template(
        "irritants/detail.html", irritant=irritant, review=review_plan(session, irritant),
        collectivity=session.get(Collectivity, irritant.collectivity_id),
        themes=programmes.themes(session, irritant.programme_id), hours=result.hours, cost=result.cost,
        qualification=result.qualification, recommendation=result if remedy_options else None, robustness=verdict,
        options=remedy_options, ai_act_view=ai_act_view, ai_literacy=ai_act.AI_LITERACY,
        params=params, params_version=version, horizon=scoring.horizon_months(params),
        params_words=parameters_words(version), history=service.history(session, irritant_id=irritant.id),
        form=form, conflict=conflict, qualification_form=qualification_form, option_form=option_form,
        comments=service.comments(session, irritant_id=irritant.id), comment_form=comment_form or CommentForm(),
        photos=photos_of(session, irritant.id),
        decisions=shown_decisions(session, irritant=irritant),
        # The form starts from what the method recommends (departing from it is a choice made on purpose); with no
        # options studied yet, from no choice at all.
        decision_form=decision_form or (DecisionForm(kind=default_kind(irritant.recommended_family))
                                        if team else None))
    return html, status


@blueprint.get("/irritants/<int:irritant_id>")
@roles_required(*TEAM, Role.PARTICIPANT, Role.STEERING)
def irritant_detail(irritant_id: int):
    """An irritant: its figures, qualification, options and recommendation, its history (the committee reads it,
    without the team's forms, to see what is behind a decision)."""
    return detail_page(programmes.visible_or_404(db(), Irritant, irritant_id))


@blueprint.post("/irritants/<int:irritant_id>/statut")
@roles_required(*TEAM)
def irritant_status(irritant_id: int):
    """Move an irritant to its next status, refusing a save over someone else's."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = _status_form(irritant, formdata=request.form)
    submitted_version = parse_int(request.form.get("version"), minimum=0)
    submitted_version = -1 if submitted_version is None else submitted_version
    if submitted_version != irritant.version:
        return _conflict_page(irritant, form)
    try:
        return handle_form(
            form, lambda: service.change_status(session, irritant=irritant, to_status=form.to_status.data,
                                                expected_version=submitted_version, by_user_id=current_user.id,
                                                note=form.note.data or ""),
            success=_("Statut mis à jour."), redirect_to=url_for("irritants.irritant_detail", irritant_id=irritant.id),
            failure=lambda: detail_page(irritant, form=form), default_field="to_status")
    except service.StaleVersion:
        session.rollback()  # saved by someone else between our read and our write
        return _conflict_page(programmes.visible_or_404(session, Irritant, irritant_id), form)


def _conflict_page(current: Irritant, submitted: StatusForm):
    """Both versions side by side: what this person chose, and what is now saved."""
    chosen = request.form.get("to_status", "")
    conflict = {"message": _("Cet irritant a été modifié par quelqu'un d'autre depuis l'ouverture de la page."),
                "yours": label("irritant", chosen) if chosen else "—", "theirs": label("irritant", current.status),
                "note": submitted.note.data or ""}
    return detail_page(current, form=_status_form(current), status=409, conflict=conflict)


def _irritant_form(formdata=None) -> tuple[IrritantForm, object]:
    """The form with its choices; a référent's collectivity and programme come from their scope."""
    session = db()
    if current_user.role == "participant":
        enrolment = session.exec(select(Enrolment).where(Enrolment.status.in_(("enrolled", "selected")))
                                 .order_by(Enrolment.applied_on.desc())).first()
        if enrolment is None:
            abort(404)
        programme = session.get(Programme, enrolment.programme_id)
    else:
        programme = programmes.chosen_programme(session, str_arg("programme") or None)
        if programme is None:
            abort(404)
    form = IrritantForm(formdata=formdata)
    rows = session.exec(select(Collectivity.id, Collectivity.name)
                        .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                        .where(Enrolment.programme_id == programme.id).order_by(Collectivity.name)).all()
    form.collectivity_id.choices = choices(rows)
    form.theme.choices = choices(programmes.themes(session, programme.id).items())
    form.offer_services(service_list.names(session, programme.id))
    if formdata is None and int_arg("collectivity") is not None:
        form.collectivity_id.data = int_arg("collectivity")  # opened from that collectivity's board
    return form, programme


@blueprint.route("/irritants/nouveau", methods=["GET", "POST"])
@roles_required(*TEAM, Role.PARTICIPANT)
def irritant_new():
    """Record an irritant (team) or propose one for review (référent)."""
    form, programme = _irritant_form(request.form if request.method == "POST" else None)
    referent = current_user.role == Role.PARTICIPANT
    if referent:
        form.collectivity_id.data = current_user.scope_collectivity_id

    def record() -> Irritant:
        irritant = Irritant(programme_id=programme.id)
        form.populate_obj(irritant)
        irritant.occurrences_per_month = float(form.occurrences_per_month.data)
        irritant.minutes_per_occurrence = float(form.minutes_per_occurrence.data)
        if referent:
            # A référent describes and proposes; qualifying is the project team's job.
            irritant.evidence_level = irritant.actionability = 0
            irritant.impact_citizens = irritant.compliance_risk = irritant.mental_load = False
        return service.record_irritant(db(), irritant=irritant, by_user_id=current_user.id, proposed=referent)

    success = _("Proposition envoyée à l'équipe projet.") if referent else _("Irritant enregistré.")
    return handle_form(form, record, success=success,
                       redirect_to=lambda irritant: url_for("irritants.irritant_detail", irritant_id=irritant.id),
                       failure=lambda: render_template("irritants/form.html", form=form, programme=programme))


@blueprint.get("/mon-tableau")
@roles_required(Role.PARTICIPANT)
def my_board():
    """A référent's own board."""
    if current_user.scope_collectivity_id is None:
        abort(404)
    return _board_page(current_user.scope_collectivity_id)


@blueprint.get("/collectivites/<int:collectivity_id>/tableau")
@roles_required(*TEAM, Role.PARTICIPANT)
def collectivity_board(collectivity_id: int):
    """A collectivity's board: irritants by status, highest priority first."""
    return _board_page(collectivity_id)


def _board_filters_form(themes: dict[str, str], services: list[str]) -> BoardFilterForm:
    form = BoardFilterForm(clean_args())
    form.theme.choices = choices([("", _("Toutes")), *themes.items()])
    # The programme's list, one entry per service: « Accueil » and « accueil » are one since the list exists.
    form.service.choices = choices([("", _("Tous")), *((s, s) for s in services)])
    return form


def _service_filter(form: BoardFilterForm) -> str | None:
    """The list's name the filter asks for (an older link's « accueil » reads as « Accueil »), or None; the menu
    shows it chosen."""
    by_fold = {fold(choice.value): choice.value for choice in form.service.choices if choice.value}
    form.service.data = by_fold.get(fold(form.service.data or ""), "")
    return form.service.data or None


def _board_page(collectivity_id: int):
    session = db()
    # The collectivity, if the reader's scope lets them see it (a 404 otherwise), and its programme: one statement.
    found = with_current_programme(session, collectivity_id)
    if found is None:
        abort(404)
    collectivity, programme = found
    programmes.found_taken_part_in(collectivity.id, programme)
    if programme is not None:
        programmes.remember(programme)
    form = _board_filters_form(programmes.themes(session, programme.id) if programme else {},
                               service_list.names(session, programme.id) if programme else [])
    # The columns, their counts and, set aside or abandoned, the irritants that left them but not the
    # collectivity's sight, each with why: one statement.
    board = board_with_set_aside(session, filters=boards.BoardFilters(
        collectivity_id=collectivity.id, theme=form.theme.data or None, service=_service_filter(form)))
    workshops = workshops_of(session, collectivity_id=collectivity.id)
    notes = answers.card_notes([card for cards in board.columns.values() for card in cards],
                               answers.parameters(session, programme_id=programme.id)[1] if programme else
                               dict(scoring.DEFAULT_PARAMETERS))
    return render_template("irritants/board.html", collectivity=collectivity, columns=board.columns,
                           counts=board.counts, set_aside=board.set_aside, set_aside_count=board.set_aside_count,
                           workshops=workshops, column_size=boards.BOARD_COLUMN_SIZE,
                           programme_slug=programme.slug if programme else None, form=form, programme=None,
                           cards_html=board_cards.rendered_cards(board.columns, notes, None))


@blueprint.get("/programmes/<slug>/tableau")
@roles_required(*TEAM)
def programme_board():
    """The project team's board across collectivities, filtered by collectivity, theme and service."""
    session, programme = db(), programmes.current_programme()
    form = _board_filters_form(programmes.themes(session, programme.id), service_list.names(session, programme.id))
    # A programme's columns hold thousands of cards: each is counted to the cap (« plus de 1 000 »), not scanned.
    columns, counts, names = boards.board(session, filters=boards.BoardFilters(
        programme_id=programme.id, collectivity_id=int_arg("collectivity"),
        theme=form.theme.data or None, service=_service_filter(form)), count_cap=boards.BOARD_COUNT_CAP,
        column_size=boards.PROGRAMME_BOARD_COLUMN_SIZE)
    notes = answers.card_notes([card for cards in columns.values() for card in cards],
                               answers.parameters(session, programme_id=programme.id)[1])
    return render_template("irritants/board.html", collectivity=None, columns=columns, counts=counts, workshops=[],
                           column_size=boards.PROGRAMME_BOARD_COLUMN_SIZE, programme_slug=programme.slug, form=form,
                           programme=programme, cards_html=board_cards.rendered_cards(columns, notes, names),
                           count_cap=boards.BOARD_COUNT_CAP)


@blueprint.post("/irritants/<int:irritant_id>/commentaires")
@roles_required(*TEAM, Role.PARTICIPANT)
def comment(irritant_id: int):
    """Comment on an irritant (the référent on their own collectivity's)."""
    session = db()
    irritant = programmes.visible_or_404(session, Irritant, irritant_id)
    form = CommentForm()
    return handle_form(
        form, lambda: service.add_comment(session, irritant=irritant, body=form.body.data, author_id=current_user.id),
        # Commenting makes one a follower (irritants.service.add_comment): the person is told so.
        success=_("Commentaire ajouté. Vous suivez désormais cet irritant : la suite vous sera notifiée."),
        redirect_to=url_for("irritants.irritant_detail", irritant_id=irritant.id) + "#commentaires",
        failure=lambda: detail_page(irritant, comment_form=form))
