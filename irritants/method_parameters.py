"""The method's parameters: visible defaults a programme's admin may change, each with its reason or source.

A programme saves its own values as a new numbered version (irritants.models.ScoringParameters); what it
does not save comes from here. Risk factors are parameters too, with the reason each one exists: a
judgement of the programme, shown as such, never presented as a measurement.
"""

from __future__ import annotations

from participants.reasons import N_

# Each risk factor: the share of an option's value kept when the risk applies (1 keeps all of it), its name
# and why it discounts the value. AI options carry data and review risks; every option, AI or not, carries a
# delivery risk: a training may not change habits, a process may not be adopted, a tool may come late.
RISKS = {
    "risk_sensitive_data": (0.5, N_("données sensibles sur un outil non souverain"),
                            N_("des données sensibles confiées à un outil hors du contrôle de la collectivité "
                               "exposent à une fuite et à l'arrêt du projet")),
    "risk_personal_data": (0.8, N_("données personnelles sur un outil non souverain"),
                           N_("des données personnelles hors du contrôle de la collectivité demandent des "
                              "garanties qui retardent ou réduisent l'usage")),
    "risk_public_unreviewed": (0.6, N_("texte destiné au public sans relecture humaine"),
                               N_("une erreur publiée sans relecture engage la collectivité et oblige à corriger "
                                  "après coup")),
    "risk_no_review": (0.9, N_("pas de relecture humaine des résultats"),
                       N_("des résultats non relus laissent passer des erreurs qu'il faudra reprendre")),
    "risk_high_risk_class": (0.8, N_("classe à haut risque de l'AI Act"),
                             N_("les obligations du déployeur (analyse d'impact, contrôle humain, journaux) "
                                "alourdissent et retardent le déploiement")),
    "delivery_formation": (0.9, N_("mise en œuvre d'une formation"),
                           N_("une partie des agents formés ne change pas ses habitudes")),
    "delivery_processus": (0.85, N_("mise en œuvre d'un changement d'organisation"),
                           N_("un processus simplifié doit être adopté par tous les services concernés")),
    "delivery_outil_classique": (0.85, N_("mise en œuvre d'un outil"),
                                 N_("un outil peut être livré en retard ou moins utilisé que prévu")),
    "delivery_ia_generative": (0.85, N_("mise en œuvre d'un assistant d'IA générative"),
                               N_("l'usage d'un assistant doit entrer dans les habitudes et ses réponses être "
                                  "vérifiées")),
    "delivery_ia_specialisee": (0.75, N_("mise en œuvre d'un modèle d'IA spécialisé"),
                                N_("un modèle spécialisé doit être entraîné sur les données de la collectivité "
                                   "puis maintenu")),
}
DISCOUNT_SOURCE = ("France Stratégie, Guide de l'évaluation socioéconomique des investissements publics, complément "
                   "opérationnel I « Révision du taux d'actualisation » (comité d'experts du 21 octobre 2021) : "
                   "3,2 % par an, soit 1,2 % sans risque et 2 % de prime de risque")

DEFAULT_PARAMETERS = {
    "loaded_hourly_cost": 30.0,  # € per hour of an agent, salary and charges: a default, not a fact
    "major_threshold_hours": 100.0,
    "high_value_threshold_hours": 300.0,
    "margin": 0.25,
    "amortisation_years": 3.0,
    "min_evidence_level": 2,
    "min_actionability": 2,
    # Google (Aug. 2025): median text prompt 0.24 Wh and 0.03 g CO2e. Sources disagree ~10×
    # (irritants.footprints keeps the others, each with its source).
    "energy_wh_per_request": 0.24,
    "co2e_g_per_request": 0.03,
    "footprint_source": "Google, août 2025 : requête texte médiane 0,24 Wh, 0,03 g CO2e",
    # An option's own energy figure turns into emissions with the grid's intensity, never with another source's.
    "grid_co2e_g_per_wh": 0.04144,
    "grid_source": "EcoLogits 0.11.3, mix électrique français : 41,4 g CO2e par kWh",
    "discount_rate": 0.032,
    "discount_source": DISCOUNT_SOURCE,
    # Months over which value is counted; 0 means the default: the programme's remaining months plus amortisation.
    "horizon_months": 0,
    # What joining a shared option costs each collectivity once (meetings, an agreement, a common steering):
    # an estimate to adjust, so that splitting a cost is never free.
    "coordination_cost_per_member": 1500.0,
    **{key: value for key, (value, _name, _why) in RISKS.items()},
}
