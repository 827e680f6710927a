"""Satisfaction surveys: waves, each collectivity's aggregated answers, and shares that say how many answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlmodel import Session, select

from hub.core import notifications, refusals, tables
from participants import corrections
from participants.models import Collectivity, Enrolment, SurveyResult, SurveyWave

# Under this many answers a share is shown as such: too few to generalise.
SMALL_SAMPLE = 10
POSITIVE_WORDS = {"oui", "positif", "positive", "satisfait", "satisfaite", "1", "vrai", "true", "yes"}
NEGATIVE_WORDS = {"non", "negatif", "negative", "insatisfait", "insatisfaite", "0", "faux", "false", "no"}
MAX_ROWS = 100_000  # one row per answer: a regional survey of users can be large


class SurveyRefused(refusals.Refused):
    """A survey record the rules refuse, with a French reason."""


def share(positive: int, respondents: int) -> float | None:
    """Positive answers over respondents; None without respondents."""
    return positive / respondents if respondents else None


def is_small(respondents: int) -> bool:
    """Fewer answers than a share can stand on."""
    return respondents < SMALL_SAMPLE


def create_wave(session: Session, *, programme_id: int, label: str, audience: str, opened_on: date) -> SurveyWave:
    """A new survey wave (agents or users)."""
    if audience not in ("agents", "users"):
        raise SurveyRefused(_l("Public inconnu : agents ou usagers."))
    wave = SurveyWave(programme_id=programme_id, label=label.strip(), audience=audience, opened_on=opened_on)
    session.add(wave)
    session.flush()
    return wave


def record_result(session: Session, *, wave: SurveyWave, collectivity_id: int, respondents: int, positive: int,
                  validated: bool, by_user_id: int | None = None) -> SurveyResult:
    """A collectivity's aggregated answers to a wave (a second record replaces the first, except validated results
    a référent changes: those changes wait as a correction, participants.corrections)."""
    if respondents < 0 or positive < 0 or positive > respondents:
        raise SurveyRefused(_l("Les réponses positives ne peuvent pas dépasser le nombre de répondants."))
    result = session.exec(select(SurveyResult).where(SurveyResult.wave_id == wave.id,
                                                     SurveyResult.collectivity_id == collectivity_id)).first()
    if result is not None and result.validated and not validated:
        # The team validated these results: a référent's other figures wait beside them for the team's answer.
        corrections.propose(session, result, values={"respondents": respondents, "positive": positive},
                            by_user_id=by_user_id)
        return result
    result = result or SurveyResult(wave_id=wave.id, collectivity_id=collectivity_id, respondents=0, positive=0)
    result.respondents, result.positive, result.validated, result.correction = respondents, positive, validated, None
    session.add(result)
    session.flush()
    return result


def validate_result(session: Session, *, result: SurveyResult, by_user_id: int | None) -> SurveyResult:
    """The team validates results a référent entered; the collectivity's référents are told."""
    result.validated = True
    session.add(result)
    session.flush()
    _tell_referents(session, result, by_user_id=by_user_id, outcome="validated")
    return result


def settle_correction(session: Session, *, result: SurveyResult, accept: bool,
                      by_user_id: int | None) -> SurveyResult:
    """The team accepts or refuses a référent's correction of validated results; the référents are told which."""
    corrections.settle(session, result, accept=accept)
    _tell_referents(session, result, by_user_id=by_user_id, outcome="accepted" if accept else "refused")
    return result


def _tell_referents(session: Session, result: SurveyResult, *, by_user_id: int | None, outcome: str) -> None:
    wave = session.get(SurveyWave, result.wave_id)
    notifications.notify(session, kind="validation", actor_id=by_user_id, referents=True,
                         target=notifications.Target("survey_result", result.id, result.collectivity_id,
                                                     wave.programme_id),
                         params={"what": "survey", "wave": wave.label, "outcome": outcome})


def import_responses(session: Session, *, wave: SurveyWave, data: bytes) -> dict[int, tuple[int, int]]:
    """Count a per-response CSV (collectivite;reponse) and record every collectivity's totals, or refuse it whole."""
    table = tables.read_table(data, required=("collectivite", "reponse"), max_rows=MAX_ROWS)
    known = {}
    for collectivity in session.exec(select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                                     .where(Enrolment.programme_id == wave.programme_id)):
        known[collectivity.slug] = known[slugify(collectivity.name)] = collectivity.id
    counts: dict[int, list[int]] = {}
    errors = []
    for table_row in table:
        number, row = table_row.line, table_row.values
        collectivity_id = known.get(slugify(row.get("collectivite", "")))
        answer = slugify(row.get("reponse", ""), separator="_")
        if collectivity_id is None:
            errors.append(str(_l("ligne %(n)s : collectivité inconnue « %(name)s »", n=number,
                                 name=row.get("collectivite", ""))))
        elif answer not in POSITIVE_WORDS | NEGATIVE_WORDS:
            errors.append(str(_l("ligne %(n)s : réponse illisible « %(answer)s » (oui ou non)", n=number,
                                 answer=row.get("reponse", ""))))
        else:
            tally = counts.setdefault(collectivity_id, [0, 0])
            tally[0] += 1
            tally[1] += answer in POSITIVE_WORDS
    if errors:
        raise tables.TableRefused(_l("Rien n'a été importé : %(errors)s.", errors="; ".join(errors[:5])))
    for collectivity_id, (respondents, positive) in counts.items():
        record_result(session, wave=wave, collectivity_id=collectivity_id, respondents=respondents,
                      positive=positive, validated=True)
    return {cid: (r, p) for cid, (r, p) in counts.items()}


@dataclass(frozen=True)
class WaveSummary:
    """A wave with each collectivity's result and the programme's total."""

    wave: SurveyWave
    results: list[tuple[SurveyResult, str]]

    @property
    def respondents(self) -> int:
        """Everyone who answered."""
        return sum(r.respondents for r, _name in self.results)

    @property
    def positive(self) -> int:
        """Every positive answer."""
        return sum(r.positive for r, _name in self.results)


def summaries(session: Session, *, programme_id: int, as_of: date | None = None) -> list[WaveSummary]:
    """Every wave of the programme (opened by ``as_of`` if given) with the results the session may see (2 queries)."""
    statement = select(SurveyWave).where(SurveyWave.programme_id == programme_id)
    if as_of is not None:
        statement = statement.where(SurveyWave.opened_on <= as_of)
    waves = list(session.exec(statement.order_by(SurveyWave.opened_on)))
    by_wave: dict[int, list] = {w.id: [] for w in waves}
    if waves:
        for result, name in session.exec(select(SurveyResult, Collectivity.name)
                                         .join(Collectivity, Collectivity.id == SurveyResult.collectivity_id)
                                         .where(SurveyResult.wave_id.in_(list(by_wave)))
                                         .order_by(Collectivity.name)):
            by_wave[result.wave_id].append((result, name))
    return [WaveSummary(w, by_wave[w.id]) for w in waves]
