"""Display names of every coded value, translatable, in one place for all templates."""

from __future__ import annotations

from flask_babel import lazy_gettext

from hub.core.translations import current_translations


def _l(msgid: str) -> str:
    """Marks a display name for extraction (``pybabel -k _l``); it is translated when read."""
    return msgid


# The French names (message ids); LABELS below holds them as lazy strings for the forms' menus.
MSGIDS = {
    "role": {
        "admin": _l("Administration"), "facilitator": _l("Équipe projet"),
        "participant": _l("Référent collectivité"), "steering": _l("Comité de pilotage"),
    },
    "kind": {
        "commune": _l("Commune"), "epci": _l("EPCI"), "syndicat_mixte": _l("Syndicat mixte"),
        "departement": _l("Département"), "region": _l("Région"), "other": _l("Autre"),
    },
    "epci_subkind": {
        "CC": _l("communauté de communes"), "CA": _l("communauté d'agglomération"),
        "CU": _l("communauté urbaine"), "metropole": _l("métropole"),
    },
    "enrolment": {
        "candidacy": _l("Candidature"), "selected": _l("Retenue"), "not_selected": _l("Non retenue"),
        "enrolled": _l("Engagée"), "withdrawn": _l("Retirée"), "completed": _l("Parcours terminé"),
    },
    "workshop": {"planned": _l("Planifié"), "held": _l("Tenu"), "published": _l("Compte-rendu publié")},
    "outcome": {
        "untested": _l("Non testée"), "validated": _l("Validée"), "invalidated": _l("Invalidée"),
        "unclear": _l("Incertaine"),
    },
    "irritant": {
        "proposed": _l("Proposé"), "identified": _l("Identifié"), "qualified": _l("Qualifié"),
        "rejected": _l("Écarté"), "scored": _l("Évalué"), "decided": _l("Décidé"),
        "in_progress": _l("En cours"), "done": _l("Résolu"), "abandoned": _l("Abandonné"),
    },
    "decision": {
        "ai_pilot": _l("Engager un pilote IA"), "frugal_action": _l("Engager une action frugale"),
        "mutualise": _l("Mutualiser à l'échelle régionale"), "defer": _l("Reporter"), "drop": _l("Abandonner"),
    },
    "ai_act": {"prohibited": _l("interdit"), "high_risk": _l("haut risque"), "limited": _l("risque limité"),
               "minimal": _l("risque minimal"), "to_classify": _l("à classer")},
    "irritant_kind": {"irritant": _l("Irritant"), "souhait": _l("Souhait d'évolution")},
    "family": {
        "ia_generative": _l("IA générative"), "ia_specialisee": _l("IA spécialisée"),
        "formation": _l("Formation"), "processus": _l("Ingénierie de processus"),
        "outil_classique": _l("Outil informatique classique"), "reformulate": _l("Reformuler ou abandonner"),
        "estimate": _l("Volume à estimer"),
    },
    "funnel": {
        "identified": _l("Identifiés"), "real": _l("Réels"), "major": _l("Réels et majeurs"),
        "actionable": _l("Réels, majeurs et actionnables"), "qualified": _l("Qualifiés par l'équipe"),
    },
    "survey_audience": {"agents": _l("Agents"), "users": _l("Usagers")},
    "report_version": {"pending": _l("En attente"), "rendering": _l("En cours de rendu"), "ready": _l("Publiée"),
                       "failed": _l("Échec")},
    "figure_section": {
        "summary": _l("Chiffres clés"), "funnel": _l("Entonnoir de qualification"),
        "family": _l("Recommandations"), "theme": _l("Irritants par thématique"), "usage": _l("Usage et impact"),
        "collectivity": _l("Irritants par collectivité"),
    },
    "figure": {
        "collectivities": _l("Collectivités engagées"), "departements": _l("Départements représentés"),
        "population": _l("Population couverte"), "workshops": _l("Ateliers prévus"),
        "workshops_held": _l("Ateliers tenus"), "agents_met": _l("Agents rencontrés"),
        "irritants": _l("Irritants relevés"), "qualified": _l("Irritants qualifiés"),
        "decisions": _l("Décisions du comité"), "groups": _l("Groupes de mutualisation"),
        "time_saved_estimated": _l("Heures gagnées par an, estimées"),
        "time_saved_measured": _l("Heures gagnées par an, mesurées"),
        "time_saved_self_reported": _l("Heures gagnées par an, déclarées"),
        "active_users": _l("Utilisateurs actifs, dernier mois"),
    },
    "evidence": {
        0: _l("Ressenti par une personne"), 1: _l("Rapporté par plusieurs agents"),
        2: _l("Observé pendant l'atelier"), 3: _l("Mesuré"),
    },
    "actionability": {
        0: _l("Hors compétence de la collectivité"), 1: _l("Dépend d'un tiers"),
        2: _l("Un responsable est nommé"), 3: _l("Un responsable et les moyens"),
    },
}


LABELS = {kind: {value: lazy_gettext(msgid) for value, msgid in names.items()} for kind, names in MSGIDS.items()}


def label(kind: str, value) -> str:
    """The display name of a coded value, or the value itself when it has none."""
    if value is None:
        return "—"
    # The catalogue read straight (hub.core.translations): a board names a status on every card.
    msgid = MSGIDS.get(kind, {}).get(value)
    if msgid is None:
        return str(value)
    try:
        return current_translations().ugettext(msgid)
    except RuntimeError:  # no app context (a unit test of a pure module): the French name
        return msgid
