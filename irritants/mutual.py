"""Regional mutual groups: proposed from the text, confirmed or dismissed by the team, and what sharing changes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core import jobs
from hub.core.refusals import Refused
from irritants import answers, scoring, similarity
from irritants.models import Irritant, MutualGroup, MutualGroupMember, RemedyOption
from participants.models import Collectivity


class GroupRefused(Refused):
    """A grouping request the hub cannot serve, with a French reason."""


def propose(session: Session, *, programme_id: int, threshold: float) -> list[MutualGroup]:
    """Replace the pending proposals with fresh ones; confirmed and dismissed groups stay as decided."""
    for stale in session.exec(select(MutualGroup).where(MutualGroup.programme_id == programme_id,
                                                        MutualGroup.status == "proposed")):
        for member in session.exec(select(MutualGroupMember).where(MutualGroupMember.group_id == stale.id)):
            session.delete(member)
        session.flush()  # members first: no ORM relationship tells the flush the order
        session.delete(stale)
    session.flush()
    settled = set(session.exec(select(MutualGroupMember.irritant_id).join(
        MutualGroup, MutualGroup.id == MutualGroupMember.group_id).where(MutualGroup.programme_id == programme_id)))
    rows = session.exec(select(Irritant.id, Irritant.collectivity_id, Irritant.title, Irritant.description,
                               Irritant.wish)
                        .where(Irritant.programme_id == programme_id,
                               Irritant.status.not_in(("rejected", "abandoned", "proposed")))).all()
    items = [similarity.Item(i, c, f"{title} {description} {wish}") for i, c, title, description, wish in rows
             if i not in settled]
    try:
        found = similarity.propose_groups(items, threshold)
    except ValueError as too_many:
        raise GroupRefused(_l("Trop d'irritants pour les comparer deux à deux (%(n)s) : filtrez par thématique.",
                              n=len(items))) from too_many
    titles = {i: title for i, _c, title, _d, _w in rows}
    owners = {i: c for i, c, *_rest in rows}
    created = []
    for proposal in found:
        group = MutualGroup(programme_id=programme_id, label=titles[proposal.ids[0]], status="proposed",
                            similarity=proposal.similarity)
        session.add(group)
        session.flush()
        session.add_all(MutualGroupMember(group_id=group.id, irritant_id=i, collectivity_id=owners[i])
                        for i in proposal.ids)
        created.append(group)
    session.flush()
    return created


PROPOSE_JOB = "propose_groups"


@jobs.background(PROPOSE_JOB)
def propose_in_worker(session: Session, *, programme_id: int, threshold: float) -> dict:
    """The worker's side of « Proposer des groupes »: compare the programme's irritants, keep the proposals."""
    created = propose(session, programme_id=programme_id, threshold=threshold)
    session.commit()
    return {"groups": len(created), "threshold": threshold}


def start_proposal(session: Session, *, programme_id: int, threshold: float, user_id: int | None):
    """Queue fresh proposals at the threshold: comparing thousands of irritants takes the worker some seconds."""
    return jobs.start(session, kind=PROPOSE_JOB, programme_id=programme_id, user_id=user_id, threshold=threshold)


def last_proposal(session: Session, *, programme_id: int):
    """The programme's latest proposal job, to say where it stands."""
    return jobs.latest(session, kind=PROPOSE_JOB, programme_id=programme_id)


def set_status(session: Session, *, group: MutualGroup, status: str) -> MutualGroup:
    """Confirm or dismiss a proposed group."""
    if status not in ("confirmed", "dismissed"):
        raise GroupRefused(_l("Statut de groupe inconnu."), field="status")
    group.status = status
    session.add(group)
    session.flush()
    return group


def groups(session: Session, *, programme_id: int) -> list[tuple[MutualGroup, list[tuple[Irritant, str]]]]:
    """The programme's groups with their member irritants and collectivities, largest first (two queries)."""
    found = list(session.exec(select(MutualGroup).where(MutualGroup.programme_id == programme_id)
                              .order_by(MutualGroup.status, MutualGroup.id)))
    members: dict[int, list[tuple[Irritant, str]]] = {g.id: [] for g in found}
    if found:
        for group_id, irritant, name in session.exec(
                select(MutualGroupMember.group_id, Irritant, Collectivity.name)
                .join(Irritant, Irritant.id == MutualGroupMember.irritant_id)
                .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                .where(MutualGroupMember.group_id.in_([g.id for g in found]))):
            members[group_id].append((irritant, name))
    return sorted(((g, members[g.id]) for g in found),
                  key=lambda pair: (pair[0].status != "confirmed", -len({i.collectivity_id for i, _n in pair[1]}),
                                    pair[0].id))


def member_irritants(session: Session, *, group_id: int) -> list[Irritant]:
    """The irritants of one group, in one query."""
    return list(session.exec(select(Irritant).join(MutualGroupMember, MutualGroupMember.irritant_id == Irritant.id)
                             .where(MutualGroupMember.group_id == group_id).order_by(Irritant.id)))


@dataclass(frozen=True)
class SharedAnswer:
    """One member's answer alone and with the group's one-off costs shared."""

    irritant: Irritant
    collectivity: str
    local: scoring.Recommendation
    shared: scoring.Recommendation

    @property
    def differs(self) -> bool:
        """Sharing changes the recommended family."""
        return self.local.family != self.shared.family


def shared_answers(session: Session, *, members: list[tuple[Irritant, str]], params: dict) -> list[SharedAnswer]:
    """For each member, the recommendation alone and with every option's one-off cost split between the members."""
    # Collectivities are counted by id: two communes may share a name, and a renamed one stays the same member.
    count = len({irritant.collectivity_id for irritant, _name in members})
    ids = [irritant.id for irritant, _name in members]
    by_irritant: dict[int, list] = {i: [] for i in ids}
    if ids:
        for option in session.exec(select(RemedyOption).where(RemedyOption.irritant_id.in_(ids))):
            by_irritant[option.irritant_id].append(option)
    result = []
    for irritant, name in members:
        subject, options = answers.method_inputs(irritant, by_irritant[irritant.id])
        # Only a shareable option splits its one-off cost (scoring.one_off_share adds the coordination).
        shared = [replace(option, shared_between=count) for option in options]
        result.append(SharedAnswer(irritant, name, scoring.recommend(subject, options, params),
                                   scoring.recommend(subject, shared, params)))
    return result
