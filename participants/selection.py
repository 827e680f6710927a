"""Proposing a representative cohort: coverage first (départements, then kinds), motivation next.

Pure functions on plain values. The proposal explains itself candidacy by candidacy; the
project team decides, the proposal never does.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

KIND_NAMES = {"commune": "commune", "epci": "EPCI", "syndicat_mixte": "syndicat mixte",
              "departement": "département", "region": "région", "other": "autre"}


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
    """Whether a candidacy is proposed, its rank among the proposed, and the sentence that says why."""

    candidate_id: int
    proposed: bool
    rank: int | None
    reason: str


def _motivation(candidate: Candidate) -> str:
    return "non notée" if candidate.motivation is None else f"{candidate.motivation}/5"


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
        chosen[best.id] = Proposal(best.id, True, len(chosen) + 1, _reason_in(best, departements, kinds, tied))
        departements.add(best.departement)
        kinds.add(best.kind)
    return [chosen.get(c.id) or Proposal(c.id, False, None, _reason_out(c, departements, kinds, seats))
            for c in candidates]


def _reason_in(candidate: Candidate, departements: set[str], kinds: set[str], tied: bool) -> str:
    if candidate.departement not in departements:
        return (f"Proposée : apporte le département {candidate.departement}, absent de la cohorte "
                f"(motivation {_motivation(candidate)}).")
    if candidate.kind not in kinds:
        return (f"Proposée : apporte le type « {KIND_NAMES.get(candidate.kind, candidate.kind)} », absent de la "
                f"cohorte (motivation {_motivation(candidate)}).")
    # Nothing left adds a département or a kind (it would have ranked first): motivation decides,
    # and when another candidacy left has the same motivation, population.
    if tied:
        population = f"{candidate.population or 0:,}".replace(",", "\u202f")
        return (f"Proposée : n'apporte ni département ni type nouveaux ; à motivation égale ({_motivation(candidate)}),"
                f" sa population ({population} habitants) la départage.")
    return (f"Proposée : n'apporte ni département ni type nouveaux, mais sa motivation ({_motivation(candidate)}) "
            f"est la plus forte des candidatures restantes.")


def _reason_out(candidate: Candidate, departements: set[str], kinds: set[str], seats: int) -> str:
    if seats <= 0:
        return "Non proposée : aucune place à pourvoir."
    if candidate.departement not in departements:
        return (f"Non proposée : apporterait le département {candidate.departement}, mais les {seats} places vont "
                f"à des candidatures classées avant elle (département nouveau, puis type nouveau, puis motivation).")
    if candidate.kind not in kinds:
        return (f"Non proposée : apporterait le type « {KIND_NAMES.get(candidate.kind, candidate.kind)} », mais "
                f"les {seats} places vont à des candidatures classées avant elle.")
    return (f"Non proposée : n'apporte ni département ni type nouveaux à la cohorte proposée, et sa motivation "
            f"({_motivation(candidate)}) ne la classe pas dans les {seats} places.")
