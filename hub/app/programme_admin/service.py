"""Creating, editing, archiving and restoring a programme, and starting one from a previous programme.

The composition root holds these operations because starting from a previous programme copies rows of the domains
above the ground floor (hypotheses, scoring parameters), and removing a theme asks the domains whether they use it.
Operations take keyword arguments and ``flush()``; the view commits once. Every write goes through the ORM, so the
audit listener (hub/core/audit.py) records it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlmodel import Session, func, select

from hub.core.models import Milestone, Programme, ProgrammeTheme, utcnow
from hub.core.refusals import Refused
from irritants import answers
from irritants.models import Irritant, ScoringParameters
from workshops import service_list
from workshops.models import Hypothesis, Workshop

# The kinds of milestone a programme has, and the label each gets by default (in the reader's language).
MILESTONE_KINDS = {
    "launch": _l("Journée de lancement"),
    "workshops": _l("Ateliers « vis ma vie »"),
    "tool_access": _l("Accès à l'outil d'IA générative"),
    "mid_term": _l("Comité de pilotage de mi-parcours"),
    "committee": _l("Comité de pilotage"),
    "final_report": _l("Rapport final"),
    "other": _l("Autre étape"),
}

SLUG_LENGTH = 120  # Programme.slug's column
THEME_CODE_LENGTH = 60  # ProgrammeTheme.code's column
# Static segments of the URLs under /programmes/ that a programme's slug must never shadow.
RESERVED_SLUGS = frozenset({"nouveau"})


class ProgrammeRefused(Refused):
    """A programme's change the rules refuse (a theme still in use…), in French, on its field."""


@dataclass
class ProgrammeValues:
    """The programme's own fields, as the form gives them once checked."""

    name: str
    agency: str
    region_name: str
    region_departements: list[str]
    launch_date: date
    launch_place: str = ""
    duration_months: int = 12
    tool_name: str = ""
    description: str = ""


@dataclass
class MilestoneRow:
    """One row of the milestones editor: an existing milestone (``id``) or a new one; ``remove`` drops it.

    A row copied from a previous programme may leave its dates empty and carry its distance in days from that
    programme's launch day instead: it is then dated from the new launch day.
    """

    kind: str
    label: str
    starts_on: date | None = None
    ends_on: date | None = None
    id: int | None = None
    remove: bool = False
    start_offset_days: int | None = None
    end_offset_days: int | None = None


@dataclass
class ThemeRow:
    """One row of the themes editor: an existing theme (``id``, its code kept) or a new one (``code`` if copied)."""

    label: str
    id: int | None = None
    code: str = ""
    remove: bool = False


@dataclass
class StartingPoint:
    """What a new programme takes from a previous one, to prefill its form: fields, themes and milestones."""

    values: dict
    themes: list[ThemeRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)


def unique_slug(session: Session, name: str) -> str:
    """A slug made from the name, never a reserved word, with « -2 », « -3 »… when it is taken."""
    base = slugify(name, max_length=SLUG_LENGTH - 4, word_boundary=True) or "programme"
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or session.exec(select(Programme.id).where(Programme.slug == candidate)).first():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create_programme(session: Session, *, values: ProgrammeValues, milestones: list[MilestoneRow],
                     themes: list[ThemeRow], previous: Programme | None = None,
                     by_user_id: int | None = None) -> Programme:
    """A new programme with its milestones and themes; from a previous one, its hypotheses and parameters too."""
    programme = Programme(slug=unique_slug(session, values.name), **vars(values))
    session.add(programme)
    session.flush()
    _save_milestones(session, programme, milestones, previous)
    _save_themes(session, programme, themes)
    if previous is not None:
        _copy_library(session, programme=programme, previous=previous, by_user_id=by_user_id)
    return programme


def update_programme(session: Session, *, programme: Programme, values: ProgrammeValues,
                     milestones: list[MilestoneRow], themes: list[ThemeRow]) -> Programme:
    """Change the programme's fields, milestones and themes; its slug stays, so its URLs do too."""
    for name, value in vars(values).items():
        setattr(programme, name, value)
    session.add(programme)
    session.flush()
    _save_milestones(session, programme, milestones, None)
    _save_themes(session, programme, themes)
    return programme


def archive_programme(session: Session, *, programme: Programme) -> Programme:
    """Take the programme out of the lists and menus; everything it owns stays, readable by its URL."""
    if programme.archived_at is None:
        programme.archived_at = utcnow()
        session.add(programme)
        session.flush()
    return programme


def restore_programme(session: Session, *, programme: Programme) -> Programme:
    """Bring an archived programme back into the lists and menus."""
    if programme.archived_at is not None:
        programme.archived_at = None
        session.add(programme)
        session.flush()
    return programme


def starting_point(session: Session, *, previous: Programme) -> StartingPoint:
    """The previous programme's fields, themes and milestones (undated: each keeps its distance from launch day)."""
    values = {name: getattr(previous, name) for name in ("agency", "region_name", "launch_place", "duration_months",
                                                         "tool_name", "description")}
    values["region_departements"] = list(previous.region_departements)
    themes = [ThemeRow(label=t.label, code=t.code) for t in session.exec(
        select(ProgrammeTheme).where(ProgrammeTheme.programme_id == previous.id).order_by(ProgrammeTheme.id))]
    milestones = []
    for m in session.exec(select(Milestone).where(Milestone.programme_id == previous.id)
                          .order_by(Milestone.starts_on, Milestone.id)):
        milestones.append(MilestoneRow(
            kind=m.kind, label=m.label, start_offset_days=(m.starts_on - previous.launch_date).days,
            end_offset_days=(m.ends_on - previous.launch_date).days if m.ends_on else None))
    return StartingPoint(values=values, themes=themes, milestones=milestones)


def _save_milestones(session: Session, programme: Programme, rows: list[MilestoneRow],
                     previous: Programme | None) -> None:
    existing = {m.id: m for m in session.exec(select(Milestone).where(Milestone.programme_id == programme.id))}
    for row in rows:
        milestone = existing.get(row.id) if row.id is not None else None
        if row.id is not None and milestone is None:
            continue  # a row of another programme, or one removed meanwhile: nothing of this programme to change
        if row.remove:
            if milestone is not None:
                session.delete(milestone)
            continue
        starts_on, ends_on = _dates(row, programme)
        if milestone is None:
            milestone = Milestone(programme_id=programme.id, kind=row.kind, label=row.label, starts_on=starts_on,
                                  ends_on=ends_on)
        else:
            milestone.kind, milestone.label, milestone.starts_on, milestone.ends_on = (row.kind, row.label,
                                                                                     starts_on, ends_on)
        session.add(milestone)
    session.flush()


def _dates(row: MilestoneRow, programme: Programme) -> tuple[date, date | None]:
    # The form has already asked for a start date unless the row carries its distance from launch day.
    starts_on = row.starts_on or programme.launch_date + timedelta(days=row.start_offset_days or 0)
    ends_on = row.ends_on
    if ends_on is None and row.starts_on is None and row.end_offset_days is not None:
        ends_on = programme.launch_date + timedelta(days=row.end_offset_days)
    if ends_on is not None and ends_on < starts_on:
        raise ProgrammeRefused(_l("Le jalon « %(label)s » finit avant de commencer.", label=row.label),
                               field="milestones")
    return starts_on, ends_on


def _save_themes(session: Session, programme: Programme, rows: list[ThemeRow]) -> None:
    existing = {t.id: t for t in session.exec(select(ProgrammeTheme)
                                              .where(ProgrammeTheme.programme_id == programme.id))}
    kept_codes = {t.code for t in existing.values()}
    for row in rows:
        theme = existing.get(row.id) if row.id is not None else None
        if row.id is not None and theme is None:
            continue
        if row.remove:
            if theme is not None:
                _refuse_if_used(session, programme, theme)
                session.delete(theme)
                kept_codes.discard(theme.code)
            continue
        if theme is None:
            theme = ProgrammeTheme(programme_id=programme.id, code=_new_code(row, kept_codes), label=row.label)
            kept_codes.add(theme.code)
        else:
            theme.label = row.label  # the code stays: irritants, workshops and hypotheses name the theme by it
        session.add(theme)
    session.flush()


def _new_code(row: ThemeRow, taken: set[str]) -> str:
    base = slugify(row.code or row.label, separator="_", max_length=THEME_CODE_LENGTH - 3) or "theme"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def _refuse_if_used(session: Session, programme: Programme, theme: ProgrammeTheme) -> None:
    irritants = session.exec(select(func.count()).select_from(Irritant).where(
        Irritant.programme_id == programme.id, Irritant.theme == theme.code)).one()
    hypotheses = session.exec(select(func.count()).select_from(Hypothesis).where(
        Hypothesis.programme_id == programme.id, Hypothesis.theme == theme.code)).one()
    # A workshop keeps its themes as a JSON list, which SQLite and PostgreSQL query differently: read them.
    workshops = sum(theme.code in (themes or []) for themes in session.exec(
        select(Workshop.themes).where(Workshop.programme_id == programme.id)))
    if irritants or hypotheses or workshops:
        raise ProgrammeRefused(_l(
            "La thématique « %(label)s » ne peut pas être retirée : %(irritants)s irritant(s), %(workshops)s "
            "atelier(s) et %(hypotheses)s hypothèse(s) l'utilisent.", label=theme.label, irritants=irritants,
            workshops=workshops, hypotheses=hypotheses), field="themes")


def _copy_library(session: Session, *, programme: Programme, previous: Programme, by_user_id: int | None) -> None:
    """The previous programme's hypothesis library, its services and its latest scoring parameters, as version 1."""
    codes = set(session.exec(select(ProgrammeTheme.code).where(ProgrammeTheme.programme_id == programme.id)))
    for hypothesis in session.exec(select(Hypothesis).where(Hypothesis.programme_id == previous.id)
                                   .order_by(Hypothesis.id)):
        # A theme the new programme dropped would name nothing: the hypothesis stays, without a theme.
        session.add(Hypothesis(programme_id=programme.id, statement=hypothesis.statement,
                               theme=hypothesis.theme if hypothesis.theme in codes else ""))
    service_list.ensure(session, programme_id=programme.id, names_wanted=service_list.names(session, previous.id))
    latest = session.exec(select(ScoringParameters).where(ScoringParameters.programme_id == previous.id)
                          .order_by(ScoringParameters.version.desc())).first()
    session.flush()
    if latest is not None:
        answers.save_parameters(session, programme_id=programme.id, values=dict(latest.values),
                                note=str(_l("Repris de la version %(n)s du programme « %(name)s ».",
                                            n=latest.version, name=previous.name))[:500],
                                by_user_id=by_user_id)


def milestone_label(milestone: Milestone) -> str:
    """A milestone's label, in the reader's language when it is still its kind's default (« Journée de lancement »)."""
    default = MILESTONE_KINDS.get(milestone.kind)
    if default is None:
        return milestone.label
    with force_locale("fr"):
        french = str(default)
    return str(default) if milestone.label == french else milestone.label
