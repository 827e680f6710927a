"""A programme's controlled list of services (accueil, état civil, RH…), instead of names typed freely each time.

Typed freely, one service became several (« Accueil » and « accueil », « RH » and « Ressources humaines ») and
split every filter and count by service. The list lives on this floor, below the irritants that carry a service
and beside the workshops that visit them. Each entry keeps its name as shown and its folded form
(``service_names.fold``), unique within the programme: the list cannot hold two names that differ only by case,
accents or punctuation, and a value typed or imported that folds to an entry is read as that entry.

Moving the irritants of a renamed or merged service is the irritants' business (``irritants.service_list``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, Session, SQLModel, select

from hub.core import revisions
from hub.core.refusals import Refused
from workshops.service_names import fold

NAME_LENGTH = 80  # as the irritant's own service column


def folded(name: str) -> str:
    """The entry's folded form of a name, as its column holds it."""
    # A ligature (« ﬁ ») folds to two letters: the column keeps the length of the name's.
    return fold(name)[:NAME_LENGTH]


class ProgrammeService(SQLModel, table=True):
    """One service of a programme's list, as shown, and folded for comparison."""

    __tablename__ = "programme_service"
    __table_args__ = (sa.UniqueConstraint("programme_id", "folded", name="uq_programme_service_folded"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    folded: str = Field(max_length=NAME_LENGTH)


class ServiceRefused(Refused):
    """A name the list cannot take as typed; the message says why."""


def entries(session: Session, programme_id: int) -> list[ProgrammeService]:
    """The programme's services, in alphabetical order (accents and case aside)."""
    return list(session.exec(select(ProgrammeService).where(ProgrammeService.programme_id == programme_id)
                             .order_by(ProgrammeService.folded, ProgrammeService.id)))


def names(session: Session, programme_id: int) -> list[str]:
    """The programme's service names, in the list's order (kept while the list is unchanged)."""
    def read() -> tuple[str, ...]:
        return tuple(session.exec(select(ProgrammeService.name).where(ProgrammeService.programme_id == programme_id)
                                  .order_by(ProgrammeService.folded, ProgrammeService.id)))
    return list(revisions.kept(session, programme_id, "settings_revision", "services", read))


def find(session: Session, programme_id: int, typed: str) -> ProgrammeService | None:
    """The entry a typed name stands for (equal once folded), or None."""
    key = folded(typed or "")
    if not key:
        return None
    return session.exec(select(ProgrammeService).where(ProgrammeService.programme_id == programme_id,
                                                       ProgrammeService.folded == key)).first()


def checked_name(typed: str | None, field: str = "name") -> str:
    """The name as it will be shown (spaces tidied), or a refusal saying what is wrong with it."""
    name = " ".join((typed or "").split())
    if not fold(name):
        raise ServiceRefused(_l("Nommez le service (des lettres ou des chiffres)."), field=field)
    if len(name) > NAME_LENGTH:
        raise ServiceRefused(_l("80 caractères au plus."), field=field)
    return name


def add(session: Session, *, programme_id: int, name: str, field: str = "name") -> ProgrammeService:
    """Add a service to the list; one already there under another spelling is refused, naming it."""
    name = checked_name(name, field)
    existing = find(session, programme_id, name)
    if existing is not None:
        raise ServiceRefused(_l("« %(existing)s » est déjà dans la liste : les majuscules, les accents et la "
                                "ponctuation ne distinguent pas deux services.", existing=existing.name), field=field)
    entry = ProgrammeService(programme_id=programme_id, name=name, folded=folded(name))
    session.add(entry)
    session.flush()
    return entry


def ensure(session: Session, *, programme_id: int, names_wanted: list[str]) -> list[ProgrammeService]:
    """Add those of these names the list lacks (folded), keeping the ones it has: a loader may call it twice."""
    have = {entry.folded for entry in entries(session, programme_id)}
    added = []
    for name in names_wanted:
        name = " ".join(name.split())
        if folded(name) and folded(name) not in have:
            have.add(folded(name))
            added.append(ProgrammeService(programme_id=programme_id, name=name, folded=folded(name)))
    session.add_all(added)
    session.flush()
    return added
