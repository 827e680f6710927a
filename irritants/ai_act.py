"""The EU AI Act (Regulation (EU) 2024/1689) as a gate: the class of a use, its article, and the deployer's duties.

Pure functions, like the rest of the method: each reason is data (a msgid and its figures) that
hub.core.i18n.say words where it is shown. The tool proposes a class from the use; a person confirms
it, and the confirmed class is the one the method uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from participants.reasons import N_, Reason, Series

CLASSES = ("prohibited", "high_risk", "limited", "minimal", "to_classify")
TO_CLASSIFY = "to_classify"

# The Art. 6(3) derogations: an Annex III area where the system does not decide, unless it profiles people.
DEROGATIONS = ("narrow_procedural_task", "improve_human_work", "decision_patterns", "preparatory_task")


@dataclass(frozen=True)
class Use:
    """A use a local authority deploys: its class, the article it cites and a plain-French explanation."""

    klass: str
    article: Reason
    explanation: Reason


USES: dict[str, Use] = {
    # Art. 5: prohibited practices.
    "social_scoring": Use("prohibited", N_("AI Act, art. 5, paragraphe 1, point c"), N_(
        "Noter les personnes selon leur comportement social pour les traiter défavorablement est interdit.")),
    "workplace_emotion": Use("prohibited", N_("AI Act, art. 5, paragraphe 1, point f"), N_(
        "Reconnaître les émotions des agents sur leur lieu de travail est interdit.")),
    "biometric_categorisation": Use("prohibited", N_("AI Act, art. 5, paragraphe 1, point g"), N_(
        "Déduire de données biométriques l'origine, les opinions, la religion ou la sexualité est interdit.")),
    "predictive_policing": Use("prohibited", N_("AI Act, art. 5, paragraphe 1, point d"), N_(
        "Prédire qu'une personne commettra une infraction sur la seule base de son profilage est interdit.")),
    "facial_scraping": Use("prohibited", N_("AI Act, art. 5, paragraphe 1, point e"), N_(
        "Constituer une base de reconnaissance faciale en moissonnant des images sans cible est interdit.")),
    # Annex III: the high-risk points a commune meets.
    "remote_biometric_id": Use("high_risk", N_("AI Act, annexe III, point 1"), N_(
        "L'identification biométrique à distance des personnes est à haut risque.")),
    "critical_infrastructure": Use("high_risk", N_("AI Act, annexe III, point 2"), N_(
        "Un composant de sécurité de l'eau, du chauffage ou de la circulation routière est à haut risque.")),
    "education_assessment": Use("high_risk", N_("AI Act, annexe III, point 3"), N_(
        "L'admission ou l'évaluation en éducation et en formation professionnelle est à haut risque.")),
    "hr_decisions": Use("high_risk", N_("AI Act, annexe III, point 4"), N_(
        "Recruter, promouvoir, répartir les tâches ou surveiller les agents est à haut risque.")),
    "benefits_eligibility": Use("high_risk", N_("AI Act, annexe III, point 5 a"), N_(
        "Décider de l'éligibilité à des aides ou services publics est à haut risque.")),
    "emergency_triage": Use("high_risk", N_("AI Act, annexe III, point 5 d"), N_(
        "Trier les appels d'urgence ou répartir les secours est à haut risque.")),
    "law_enforcement": Use("high_risk", N_("AI Act, annexe III, point 6"), N_(
        "Un usage par les autorités répressives, la police municipale par exemple, est à haut risque.")),
    "democratic_processes": Use("high_risk", N_("AI Act, annexe III, point 8 b"), N_(
        "Influencer le résultat d'une élection ou d'un référendum ou le vote des électeurs est à haut risque.")),
    # Art. 6(3): derogations, never with profiling.
    "narrow_procedural_task": Use("minimal", N_("AI Act, art. 6, paragraphe 3, point a"), N_(
        "Une tâche procédurale étroite n'est pas à haut risque si elle ne profile personne.")),
    "improve_human_work": Use("minimal", N_("AI Act, art. 6, paragraphe 3, point b"), N_(
        "Améliorer le résultat d'une activité humaine déjà achevée n'est pas à haut risque sans profilage.")),
    "decision_patterns": Use("minimal", N_("AI Act, art. 6, paragraphe 3, point c"), N_(
        "Détecter des schémas de décision sans remplacer l'appréciation humaine n'est pas à haut risque.")),
    "preparatory_task": Use("minimal", N_("AI Act, art. 6, paragraphe 3, point d"), N_(
        "Une tâche préparatoire à une évaluation humaine n'est pas à haut risque sans profilage.")),
    # Art. 50: transparency.
    "public_chatbot": Use("limited", N_("AI Act, art. 50, paragraphe 1"), N_(
        "Un agent conversationnel doit dire aux personnes qu'elles échangent avec une IA.")),
    "published_text": Use("limited", N_("AI Act, art. 50, paragraphe 4"), N_(
        "Un texte généré publié pour informer le public doit être signalé comme généré par une IA.")),
    # Minimal risk: help to agents, who stay the authors of their work.
    "internal_assistance": Use("minimal", N_("AI Act, risque minimal (aucune obligation propre)"), N_(
        "Aider les agents à rédiger, résumer ou chercher n'entraîne pas d'obligation propre.")),
}

PROFILING = Use("high_risk", N_("AI Act, art. 6, paragraphe 3, dernier alinéa"), N_(
    "Un système qui profile des personnes physiques est toujours à haut risque : aucune dérogation ne s'applique."))
EDITORIAL_REVIEW = Use("minimal", N_("AI Act, art. 50, paragraphe 4, dérogation"), N_(
    "Un texte relu par un humain qui en assume la responsabilité éditoriale n'a pas à être signalé."))
UNKNOWN = Use(TO_CLASSIFY, N_("AI Act, art. 6"), N_(
    "Usage non répertorié : une personne doit confirmer sa classe avant toute recommandation."))
# What the provider owes when it relies on a derogation: shown with the class, never a silent "minimal".
DEROGATION_REMINDERS = (
    N_("le fournisseur documente son évaluation avant la mise sur le marché (art. 6, paragraphe 4)"),
    N_("le système est enregistré dans la base de données de l'UE (art. 49, paragraphe 2)"),
)
# The generic article of a class, when a person confirms a class other than the use's.
CLASS_ARTICLES = {"prohibited": N_("AI Act, art. 5"), "high_risk": N_("AI Act, art. 6 et annexe III"),
                  "limited": N_("AI Act, art. 50"), "minimal": N_("AI Act, risque minimal (aucune obligation propre)"),
                  TO_CLASSIFY: N_("AI Act, art. 6")}

# The deployer's duties for a high-risk system (Art. 26 and 27): each must be ticked before it is recommended.
DUTIES = {
    "fria": N_("analyse d'impact sur les droits fondamentaux (art. 27)"),
    "oversight": N_("contrôle humain confié à des personnes compétentes (art. 26, paragraphe 2)"),
    "logs": N_("conservation des journaux (art. 26, paragraphe 6)"),
    "inform_workers": N_("information des agents et de leurs représentants (art. 26, paragraphe 7)"),
    "dpia": N_("analyse d'impact relative à la protection des données (RGPD art. 35 ; art. 26, paragraphe 9)"),
}
AI_LITERACY = N_("Maîtrise de l'IA (AI Act, art. 4) : la collectivité forme les agents qui utilisent l'IA ; une "
                 "formation peut y répondre.")


@dataclass(frozen=True)
class Classification:
    """The class of a use, the article it cites, why in plain French, and what the provider still owes."""

    klass: str
    article: Reason
    explanation: Reason
    reminders: tuple[Reason, ...] = field(default_factory=tuple)


def classify(use: str, *, profiling: bool = False, human_review: bool = False) -> Classification:
    """The class the tool proposes for a use; profiling rules out every art. 6(3) derogation."""
    known = USES.get(use)
    if known is None:
        return Classification(UNKNOWN.klass, UNKNOWN.article, UNKNOWN.explanation)
    if profiling and use in DEROGATIONS:
        return Classification(PROFILING.klass, PROFILING.article, PROFILING.explanation)
    if use == "published_text" and human_review:
        return Classification(EDITORIAL_REVIEW.klass, EDITORIAL_REVIEW.article, EDITORIAL_REVIEW.explanation)
    reminders = DEROGATION_REMINDERS if use in DEROGATIONS else ()
    return Classification(known.klass, known.article, known.explanation, reminders)


def propose_ai_act_class(use: str, *, profiling: bool = False, human_review: bool = False) -> tuple[str, Reason]:
    """The proposed class and its explanation (the shape scoring used to give)."""
    found = classify(use, profiling=profiling, human_review=human_review)
    return found.klass, found.explanation


def effective_class(proposed: str | None, confirmed: str | None) -> str | None:
    """The class the method uses: the person's confirmation wins over the tool's proposal."""
    return confirmed or proposed


def explain(use: str, proposed: str | None, confirmed: str | None, *, human_review: bool = False) -> Classification:
    """What the irritant page shows beside the class: the use's article, or the confirmed class's own."""
    klass = effective_class(proposed, confirmed) or TO_CLASSIFY
    # The stored proposal already reflects profiling; only a stored high-risk derogation means profiling.
    found = classify(use, profiling=use in DEROGATIONS and proposed == "high_risk", human_review=human_review)
    if found.klass == klass:
        return found
    return Classification(klass, CLASS_ARTICLES[klass], USES[use].explanation if use in USES else UNKNOWN.explanation)


def missing_duties(duties_done) -> tuple[str, ...]:
    """The deployer's duties not yet ticked, in the Act's order."""
    done = set(duties_done or ())
    return tuple(duty for duty in DUTIES if duty not in done)


def blocking_reason(klass: str | None, duties_done=()) -> Reason | None:
    """Why the AI Act forbids recommending an AI option of this class, or None."""
    if klass == "prohibited":
        return N_("pratique interdite par l'AI Act (art. 5)")
    if klass == TO_CLASSIFY:
        return N_("usage à classer : une personne doit confirmer la classe AI Act")
    missing = missing_duties(duties_done)
    if klass == "high_risk" and missing:
        return N_("haut risque, obligations du déployeur non remplies : %(duties)s",
                  duties=Series(tuple(DUTIES[d] for d in missing), "semicolons"))
    return None
