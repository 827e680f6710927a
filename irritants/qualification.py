"""Qualification (DESIGN §3): is an irritant réel, majeur and actionnable, said in sentences a committee reads.

Each test answers with a plain sentence ("Le besoin est avéré : observé pendant l'atelier.") and keeps its
figures (levels, hours, thresholds) one click away in the sentence's detail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irritants.method_parameters import DEFAULT_PARAMETERS
from participants.reasons import N_, Reason, Series

# What each evidence and actionability level means, as the qualification's sentences say it (DESIGN §3).
EVIDENCE_WORDS = {0: N_("ressenti par une personne"), 1: N_("rapporté par plusieurs agents"),
                  2: N_("observé pendant l'atelier"), 3: N_("mesuré (comptages, journaux)")}
ACTIONABILITY_WORDS = {0: N_("hors des compétences de la collectivité"), 1: N_("dépend d'un tiers"),
                       2: N_("un responsable est désigné"), 3: N_("un responsable est désigné et a les moyens")}


FLAG_NAMES = {"impact_citizens": N_("impact sur les citoyens"),
              "compliance_risk": N_("risque d'erreur ou de conformité"), "mental_load": N_("charge mentale forte")}


@dataclass(frozen=True)
class Qualification:
    """Whether an irritant is réel, majeur and actionnable, and why not."""

    reel: bool
    majeur: bool
    actionnable: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> bool:
        """All three conditions hold."""
        return self.reel and self.majeur and self.actionnable


def _words(table: dict, level: int) -> Reason:
    return table.get(min(max(int(level), 0), 3))


def _reel_reason(level: int, minimum: int, holds: bool) -> Reason:
    detail = N_("Niveau de preuve %(level)s sur 3 ; le programme demande au moins %(min)s.", level=level, min=minimum)
    if holds:
        return N_("Le besoin est avéré : %(how)s.", how=_words(EVIDENCE_WORDS, level), detail=detail)
    return N_("Le besoin n'est pas encore assez établi : %(how)s ; il faut qu'il soit au moins %(needed)s.",
              how=_words(EVIDENCE_WORDS, level), needed=_words(EVIDENCE_WORDS, minimum), detail=detail)


def _majeur_reason(hours: float, threshold: float, flags: tuple, holds: bool) -> Reason:
    detail = N_("%(hours)s heures perdues par an ; seuil du programme : %(threshold)s heures ; signaux de gravité : "
                "%(flags)s.", hours=hours, threshold=threshold,
                flags=Series(flags, "commas") if flags else N_("aucun"))
    if hours >= threshold:
        return N_("Le problème est majeur : il fait perdre %(hours)s heures par an, au moins les %(threshold)s "
                  "heures qui font un problème majeur.", hours=hours, threshold=threshold, detail=detail)
    if holds:
        return N_("Le problème est majeur par sa gravité (%(flags)s), même s'il fait perdre moins de %(threshold)s "
                  "heures par an.", flags=Series(flags, "commas"), threshold=threshold, detail=detail)
    return N_("Le problème n'est pas majeur : %(hours)s heures perdues par an, moins que les %(threshold)s heures "
              "d'un problème majeur, et aucun signal de gravité.", hours=hours, threshold=threshold, detail=detail)


def _actionnable_reason(level: int, minimum: int, holds: bool) -> Reason:
    detail = N_("Niveau d'action %(level)s sur 3 ; le programme demande au moins %(min)s.", level=level, min=minimum)
    if holds:
        return N_("La collectivité peut agir : %(how)s.", how=_words(ACTIONABILITY_WORDS, level), detail=detail)
    return N_("La collectivité ne peut pas encore agir : %(how)s ; il faut au moins que %(needed)s.",
              how=_words(ACTIONABILITY_WORDS, level), needed=_words(ACTIONABILITY_WORDS, minimum), detail=detail)


def qualify(*, evidence_level: int, hours: float, impact_citizens: bool, compliance_risk: bool,
            mental_load: bool, actionability: int, parameters: dict = DEFAULT_PARAMETERS) -> Qualification:
    """Apply the three tests, each with a sentence saying what it found and its figures one click away."""
    min_evidence = parameters["min_evidence_level"]
    threshold = parameters["major_threshold_hours"]
    min_action = parameters["min_actionability"]
    reel = evidence_level >= min_evidence
    majeur = hours >= threshold or impact_citizens or compliance_risk or mental_load
    actionnable = actionability >= min_action
    flags = tuple(name for name, on in ((FLAG_NAMES["impact_citizens"], impact_citizens),
                                        (FLAG_NAMES["compliance_risk"], compliance_risk),
                                        (FLAG_NAMES["mental_load"], mental_load)) if on)
    reasons = (_reel_reason(evidence_level, min_evidence, reel), _majeur_reason(hours, threshold, flags, majeur),
               _actionnable_reason(actionability, min_action, actionnable))
    return Qualification(reel=reel, majeur=majeur, actionnable=actionnable, reasons=reasons)


