"""Proposing a representative cohort: coverage first (départements, then kinds), motivation next.

Pure functions on plain values. The proposal explains itself candidacy by candidacy, with a reason
(participants.reasons) that the page words in the reader's language; the project team decides, the
proposal never does.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from participants.reasons import N_, Reason, ngettext

# Lower case, as the kind sits inside a sentence (hub.core.labels has the capitalised display names).
KIND_NAMES = {"commune": N_("commune"), "epci": N_("EPCI"), "syndicat_mixte": N_("syndicat mixte"),
              "departement": N_("département"), "region": N_("région"), "other": N_("autre")}


def _kind_name(kind: str) -> Reason | str:
    return KIND_NAMES.get(kind, kind)


@dataclass(frozen=True)
class Candidate:
    """A candidacy as the proposal sees it."""

    id: int
    name: str
    departement: str
    kind: str
    motivation: int | None
    population: int | None = None


@dataclass(frozen=True)
class Proposal:
    """Whether a candidacy is proposed, its rank among the proposed, and the reason that says why."""

    candidate_id: int
    proposed: bool
    rank: int | None
    why: Callable[[], Reason] = field(repr=False, compare=False)

    @property
    def reason(self) -> Reason:
        """The reason, built when read: a national call has thousands of candidacies, a grid page shows few."""
        return self.why()


def _motivation(candidate: Candidate) -> Reason:
    if candidate.motivation is None:
        return N_("non notée")
    # Written the same in every language: not marked for translation, so gettext gives it back as is.
    return Reason("%(score)s/5", {"score": candidate.motivation})


def _key(candidate: Candidate, departements: set[str], kinds: set[str]) -> tuple:
    # Lexicographic: a new département, then a new kind, then motivation, then population; the
    # id last so that the same inputs always give the same proposal.
    return (candidate.departement not in departements, candidate.kind not in kinds, candidate.motivation or 0,
            candidate.population or 0, -candidate.id)


def _negated(key: tuple) -> tuple:
    return tuple(-value for value in key)


def propose(candidates: list[Candidate], *, seats: int, cohort_departements: set[str] = frozenset(),
            cohort_kinds: set[str] = frozenset()) -> list[Proposal]:
    """Fill ``seats`` greedily, each time with the candidacy that adds most to the cohort so far."""
    departements, kinds = set(cohort_departements), set(cohort_kinds)
    # Lazy greedy: a candidacy's key can only fall as the cohort grows (what was new becomes
    # covered), so a key recomputed and still the largest is the true maximum. A national
    # call for candidacies (thousands) is then n log n rather than n × seats.
    heap = [(_negated(_key(c, departements, kinds)), c.id, c) for c in candidates]
    heapq.heapify(heap)
    remaining = {c.id: c for c in candidates}
    motivations = Counter(c.motivation or 0 for c in candidates)  # of the candidacies not yet chosen
    chosen: dict[int, Proposal] = {}
    while heap and len(chosen) < max(seats, 0):
        stored, _id, best = heapq.heappop(heap)
        current = _negated(_key(best, departements, kinds))
        if current != stored:
            heapq.heappush(heap, (current, best.id, best))
            continue
        del remaining[best.id]
        motivations[best.motivation or 0] -= 1
        tied = motivations[best.motivation or 0] > 0
        chosen[best.id] = Proposal(best.id, True, len(chosen) + 1, partial(
            _reason_in, best, best.departement not in departements, best.kind not in kinds, tied))
        departements.add(best.departement)
        kinds.add(best.kind)
    return [chosen.get(c.id) or Proposal(c.id, False, None, partial(
        _reason_out, c, c.departement not in departements, c.kind not in kinds, seats)) for c in candidates]


def _reason_in(candidate: Candidate, new_departement: bool, new_kind: bool, tied: bool) -> Reason:
    motivation = _motivation(candidate)
    if new_departement:
        return N_("Proposée : apporte le département %(departement)s, absent de la cohorte (motivation "
                  "%(motivation)s).", departement=candidate.departement, motivation=motivation)
    if new_kind:
        return N_("Proposée : apporte le type « %(kind)s », absent de la cohorte (motivation %(motivation)s).",
                  kind=_kind_name(candidate.kind), motivation=motivation)
    # Nothing left adds a département or a kind (it would have ranked first): motivation decides,
    # and when another candidacy left has the same motivation, population.
    if tied:
        return N_("Proposée : n'apporte ni département ni type nouveaux ; à motivation égale (%(motivation)s), sa "
                  "population (%(population)s habitants) la départage.", motivation=motivation,
                  population=candidate.population or 0)
    return N_("Proposée : n'apporte ni département ni type nouveaux, mais sa motivation (%(motivation)s) est la plus "
              "forte des candidatures restantes.", motivation=motivation)


def _reason_out(candidate: Candidate, new_departement: bool, new_kind: bool, seats: int) -> Reason:
    if seats <= 0:
        return N_("Non proposée : aucune place à pourvoir.")
    if new_departement:
        return ngettext("Non proposée : apporterait le département %(departement)s, mais la place va à une "
                        "candidature classée avant elle (département nouveau, puis type nouveau, puis motivation).",
                        "Non proposée : apporterait le département %(departement)s, mais les %(num)s places vont à "
                        "des candidatures classées avant elle (département nouveau, puis type nouveau, puis "
                        "motivation).", seats, departement=candidate.departement)
    if new_kind:
        return ngettext("Non proposée : apporterait le type « %(kind)s », mais la place va à une candidature "
                        "classée avant elle.",
                        "Non proposée : apporterait le type « %(kind)s », mais les %(num)s places vont à des "
                        "candidatures classées avant elle.", seats, kind=_kind_name(candidate.kind))
    return ngettext("Non proposée : n'apporte ni département ni type nouveaux à la cohorte proposée, et sa "
                    "motivation (%(motivation)s) ne lui vaut pas l'unique place.",
                    "Non proposée : n'apporte ni département ni type nouveaux à la cohorte proposée, et sa "
                    "motivation (%(motivation)s) ne la classe pas dans les %(num)s places.", seats,
                    motivation=_motivation(candidate))
