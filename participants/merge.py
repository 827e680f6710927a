"""Editing a collectivity, and merging two records of the same one (typed twice, or imported under another name).

A merge keeps one record and moves to it every row the other owns: enrolments and their history, tool seats,
usage, surveys, workshops, irritants and everything hanging from them, référent accounts. It refuses when both
hold the same unique thing (two enrolments in one programme, two usage figures for one month): the team settles
that first, since the hub cannot tell which one is right. Each moved row is an ORM change, so the audit log
records where every row went.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.models import User
from hub.core.refusals import Refused
from hub.core.scoping import CollectivityOwned, scoped_models
from participants import service
from participants.models import Collectivity, Enrolment, SurveyResult, UsageMonth
from participants.registry import normalised

# Identity fields a merge copies from the removed record when the kept one has none.
FILLED_IF_EMPTY = ("siren", "population", "epci_subkind", "contact_name", "contact_email")


class MergeRefused(Refused):
    """Two records that cannot be merged as they stand; the message says what to settle first."""


def update_collectivity(session: Session, collectivity: Collectivity, values: dict) -> Collectivity:
    """Change a collectivity's identity and contact; another record with its SIREN or name is refused."""
    found = service.find_duplicate(session, values)
    if found is not None and found[0].id != collectivity.id:
        raise service.DuplicateCollectivity(values["name"])
    for name, value in values.items():
        setattr(collectivity, name, value)
    session.add(collectivity)
    session.flush()
    return collectivity


def possible_duplicates(session: Session, collectivity: Collectivity) -> list[Collectivity]:
    """Records that look like this one: the same SIREN, or the same name, accents, case and hyphens set aside."""
    # Compared here, not in SQL: SQLite's lower() leaves « É » as it is, and « Chéroy » must meet « CHEROY ».
    wanted = normalised(collectivity.name)
    ids = [row_id for row_id, name, siren in session.exec(select(Collectivity.id, Collectivity.name, Collectivity.siren)
                                                           .where(Collectivity.id != collectivity.id))
           if normalised(name) == wanted or (collectivity.siren and siren == collectivity.siren)]
    if not ids:
        return []
    return list(session.exec(select(Collectivity).where(Collectivity.id.in_(ids)).order_by(Collectivity.name)))


# Unique per collectivity within a programme or a wave: a merge cannot hold two of them.
_UNIQUE = (
    (Enrolment, (Enrolment.programme_id,), _l("Les deux sont inscrites au même programme : retirez ou supprimez "
                                              "d'abord l'une des deux inscriptions.")),
    (UsageMonth, (UsageMonth.programme_id, UsageMonth.month), _l("Les deux ont déclaré l'usage d'un même mois : "
                                                                 "corrigez d'abord l'un des deux.")),
    (SurveyResult, (SurveyResult.wave_id,), _l("Les deux ont des résultats pour une même enquête : corrigez d'abord "
                                               "l'un des deux.")),
)


def merge(session: Session, *, kept: Collectivity, removed: Collectivity) -> Counter:
    """Move everything ``removed`` owns to ``kept``, fill ``kept``'s empty identity fields, delete ``removed``."""
    if kept.id == removed.id:
        raise MergeRefused(_l("Choisissez une autre collectivité que celle-ci."), field="duplicate_id")
    for model, columns, message in _UNIQUE:
        keys = [tuple(row) for row in session.execute(
            select(*columns).where(model.collectivity_id.in_((kept.id, removed.id))))]
        if len(keys) != len(set(keys)):
            raise MergeRefused(message, field="duplicate_id")
    moved = Counter()
    for model in scoped_models():
        if not issubclass(model, CollectivityOwned):
            continue  # the collectivity table itself
        for row in session.exec(select(model).where(model.collectivity_id == removed.id)):
            row.collectivity_id = kept.id
            session.add(row)
            moved[model.__tablename__] += 1
    for account in session.exec(select(User).where(User.scope_collectivity_id == removed.id)):
        account.scope_collectivity_id = kept.id
        session.add(account)
        moved[User.__tablename__] += 1
    copied = {name: getattr(removed, name) for name in FILLED_IF_EMPTY
              if getattr(kept, name) in (None, "") and getattr(removed, name) not in (None, "")}
    session.flush()  # the rows point to the kept record before the other goes
    session.delete(removed)
    session.flush()  # its SIREN is free before the kept record takes it
    for name, value in copied.items():
        setattr(kept, name, value)
    session.add(kept)
    session.flush()
    return moved
