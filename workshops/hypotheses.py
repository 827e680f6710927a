"""The programme's library of AI-usefulness hypotheses, what each workshop found, and how often each held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.refusals import Refused
from workshops.models import HYPOTHESIS_OUTCOMES, Hypothesis, HypothesisTest, Workshop


class HypothesisRefused(Refused):
    """A hypothesis change the rules refuse, with a French reason."""


def library(session: Session, *, programme_id: int) -> list[Hypothesis]:
    """The programme's hypotheses, in the order they were written."""
    return list(session.exec(select(Hypothesis).where(Hypothesis.programme_id == programme_id)
                             .order_by(Hypothesis.id)))


def outcomes_of(session: Session, *, workshop_id: int) -> dict[int, HypothesisTest]:
    """What one workshop found, by hypothesis id, in one query."""
    return {test.hypothesis_id: test
            for test in session.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == workshop_id))}


def by_themes(hypotheses: list[Hypothesis], themes: list[str]) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """The hypotheses of these themes, then the others; without themes, every hypothesis is of the day."""
    if not themes:
        return list(hypotheses), []
    wanted = set(themes)
    return [h for h in hypotheses if h.theme in wanted], [h for h in hypotheses if h.theme not in wanted]


def add_hypothesis(session: Session, *, programme_id: int, statement: str, theme: str) -> Hypothesis:
    """Add a hypothesis to the library; the same statement twice is refused."""
    statement = " ".join(statement.split())
    exists = session.exec(select(Hypothesis.id).where(Hypothesis.programme_id == programme_id,
                                                      sa.func.lower(Hypothesis.statement) == statement.lower())).first()
    if exists is not None:
        raise HypothesisRefused(_l("Cette hypothèse est déjà dans la bibliothèque du programme."), field="statement")
    hypothesis = Hypothesis(programme_id=programme_id, statement=statement, theme=theme)
    session.add(hypothesis)
    session.flush()
    return hypothesis


def record_outcome(session: Session, *, workshop: Workshop, hypothesis_id: int, outcome: str, evidence: str,
                   agents_count: int | None) -> HypothesisTest:
    """What the workshop found about a hypothesis (a second record replaces the first)."""
    if outcome not in HYPOTHESIS_OUTCOMES:
        raise HypothesisRefused(_l("Résultat inconnu."))
    if outcome in ("validated", "invalidated") and not evidence.strip():
        raise HypothesisRefused(_l("Décrivez ce qui a été observé : une hypothèse validée ou invalidée "
                                   "s'appuie sur des éléments."), field="evidence")
    hypothesis = session.get(Hypothesis, hypothesis_id)
    if hypothesis is None or hypothesis.programme_id != workshop.programme_id:
        raise HypothesisRefused(_l("Cette hypothèse n'appartient pas au programme de l'atelier."))
    test = session.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == workshop.id,
                                                     HypothesisTest.hypothesis_id == hypothesis_id)).first()
    test = test or HypothesisTest(workshop_id=workshop.id, collectivity_id=workshop.collectivity_id,
                                  hypothesis_id=hypothesis_id)
    test.outcome, test.evidence, test.agents_count = outcome, evidence.strip(), agents_count
    session.add(test)
    session.flush()
    return test


@dataclass(frozen=True)
class HypothesisStatistics:
    """How one hypothesis fared across the workshops that tested it."""

    hypothesis: Hypothesis
    validated: int
    invalidated: int
    unclear: int

    @property
    def tested(self) -> int:
        """Workshops that reached a result on it."""
        return self.validated + self.invalidated + self.unclear

    @property
    def validated_share(self) -> float | None:
        """Validated over tested; None when no workshop tested it."""
        return self.validated / self.tested if self.tested else None


def statistics(session: Session, *, programme_id: int, as_of: date | None = None) -> list[HypothesisStatistics]:
    """Each hypothesis with its counts of validated, invalidated and unclear (by ``as_of``), in one grouped query."""
    statement = (select(HypothesisTest.hypothesis_id, HypothesisTest.outcome, sa.func.count(HypothesisTest.id))
                 .join(Hypothesis, Hypothesis.id == HypothesisTest.hypothesis_id)
                 .where(Hypothesis.programme_id == programme_id))
    if as_of is not None:
        # A test is a workshop's finding: it exists once its workshop is held.
        statement = statement.join(Workshop, Workshop.id == HypothesisTest.workshop_id).where(Workshop.held_on <= as_of)
    counts: dict[tuple[int, str], int] = {
        (hypothesis_id, outcome): n for hypothesis_id, outcome, n in session.exec(
            statement.group_by(HypothesisTest.hypothesis_id, HypothesisTest.outcome))}
    return [HypothesisStatistics(h, counts.get((h.id, "validated"), 0), counts.get((h.id, "invalidated"), 0),
                                 counts.get((h.id, "unclear"), 0))
            for h in library(session, programme_id=programme_id)]
