"""ARNia's 2024 programme in Bourgogne-Franche-Comté, as demonstration data.

The programme, its dates, its 9 collectivities with their kinds and départements come from
the launch-day article (seed 002). Populations are rounded orders of magnitude. Everything
the workshops found (services, hypotheses' outcomes, irritants, figures) is invented for the
demonstration and is marked as such in the interface.
"""

from __future__ import annotations

from datetime import date

from irritants.ai_act import classify

PROGRAMME = {
    "slug": "experimentation-ia-2024-bfc",
    "name": "Expérimentation IA 2024 — Bourgogne-Franche-Comté",
    "agency": "ARNia",
    "region_name": "Bourgogne-Franche-Comté",
    "region_departements": ["21", "25", "39", "58", "70", "71", "89", "90"],
    "launch_date": date(2024, 4, 12),
    "launch_place": "Mâcon",
    "duration_months": 12,
    "tool_name": "Delibia",
    "description": (
        "Programme de 12 mois mené par l'ARNia avec neuf collectivités : ateliers « vis ma vie » sur site pour "
        "qualifier les irritants et les souhaits d'évolution, puis accès à l'outil d'IA générative Delibia et "
        "étude de ses usages. Constats d'ateliers inventés pour la démonstration."
    ),
}

MILESTONES = [
    ("launch", "Journée de lancement à Mâcon", date(2024, 4, 12), None),
    ("workshops", "Ateliers « vis ma vie » sur site", date(2024, 5, 1), date(2024, 7, 31)),
    ("tool_access", "Accès à l'outil Delibia", date(2024, 9, 16), date(2025, 4, 11)),
    ("mid_term", "Comité de pilotage de mi-parcours", date(2024, 10, 15), None),
    ("final_report", "Rapport final du programme", date(2025, 4, 11), None),
]

THEMES = [
    ("classement", "Classement documentaire et trouvabilité"),
    ("citoyens", "Relation avec les citoyens"),
    ("tableau_bord", "Tableau de bord des décisionnaires"),
    ("rh", "Questions RH récurrentes"),
]

# name, kind, EPCI subkind, département, rounded population, workshop date, place, agents met, services
COLLECTIVITIES = [
    ("Chalon-sur-Saône", "commune", None, "71", 45000, date(2024, 5, 14), "Hôtel de ville", 18,
     ["accueil", "état civil", "RH", "finances", "DSI"]),
    ("Le Grand Chalon", "epci", "CA", "71", 110000, date(2024, 5, 23), "Siège communautaire", 15,
     ["RH", "finances", "commande publique", "DSI"]),
    ("Chassagne-Montrachet", "commune", None, "21", 300, date(2024, 6, 4), "Mairie", 3,
     ["secrétariat de mairie", "urbanisme"]),
    ("Chéroy", "commune", None, "89", 1500, date(2024, 6, 11), "Mairie", 5, ["accueil", "état civil", "urbanisme"]),
    ("Communauté Urbaine Creusot Montceau", "epci", "CU", "71", 92000, date(2024, 6, 18), "Siège communautaire", 16,
     ["RH", "finances", "assemblées", "DSI", "communication"]),
    ("Héry", "commune", None, "89", 1900, date(2024, 6, 25), "Mairie", 4, ["accueil", "secrétariat de mairie"]),
    ("Lormes", "commune", None, "58", 1250, date(2024, 7, 2), "Mairie", 4, ["accueil", "état civil", "finances"]),
    ("Mâconnais Beaujolais Agglomération", "epci", "CA", "71", 78000, date(2024, 7, 9), "Siège communautaire", 14,
     ["RH", "assemblées", "finances", "relation usagers"]),
    ("Nièvre Numérique", "syndicat_mixte", None, "58", None, date(2024, 7, 16), "Siège du syndicat", 8,
     ["direction", "DSI", "assistance aux adhérents"]),
]
# Their real SIREN, from the official registry (Etalab's découpage administratif 6.0.0), so that loading the registry
# or importing the official list of the région matches them instead of creating them twice. Héry is the Yonne's.
# Nièvre Numérique, a syndicat mixte, is not in that registry: its SIREN is left empty rather than guessed.
SIRENS = {
    "Chalon-sur-Saône": "217100767", "Le Grand Chalon": "247100589", "Chassagne-Montrachet": "212101505",
    "Chéroy": "218901007", "Communauté Urbaine Creusot Montceau": "247100290", "Héry": "218902013",
    "Lormes": "215801457", "Mâconnais Beaujolais Agglomération": "200070308",
}

HYPOTHESES = [
    ("Rédiger une première réponse aux messages des citoyens ferait gagner du temps aux agents.", "citoyens"),
    ("Retrouver un ancien arrêté prend plus de 10 minutes.", "classement"),
    ("Résumer les courriels entrants aiderait à les trier et à les distribuer.", "classement"),
    ("Un assistant répondrait à la plupart des questions RH récurrentes (ordres de mission, première connexion).",
     "rh"),
    ("Rédiger les comptes rendus de réunion prend plus d'une heure par réunion.", "classement"),
    ("Les élus n'ont pas de vue d'ensemble des indicateurs sans une compilation manuelle.", "tableau_bord"),
]

# The kinds of work the seeds name, as invented findings. Each entry:
# title, theme, service, occurrences per month, minutes each, agents, evidence, actionability,
# flags (citizens, compliance, mental load), raised by, description, wish, options
# (family, label, reduction %, one-off €, recurring €/year).
IRRITANT_KINDS = [
    ("Tri et distribution du courrier électronique entrant", "classement", "accueil", 120, 6, 2, 2, 2,
     (False, False, True), "agent d'accueil",
     "Les messages arrivent dans une boîte partagée ; chacun les lit pour savoir à qui les transmettre.",
     "Que les messages soient résumés et orientés vers le bon service.",
     [("processus", "Règles de tri et adresses par service", 30, 500, 0),
      ("ia_generative", "Résumé et proposition d'orientation par l'assistant", 55, 2000, 1200)]),
    ("Recherche d'anciens arrêtés", "classement", "secrétariat de mairie", 10, 25, 1, 2, 3,
     (False, True, False), "secrétaire de mairie",
     "Les arrêtés antérieurs à 2015 sont rangés par année dans des classeurs ou des dossiers réseau sans index.",
     "Retrouver un arrêté par son objet en quelques secondes.",
     [("outil_classique", "Plan de classement partagé et recherche existante", 50, 1500, 0),
      ("ia_specialisee", "Recherche sémantique sur les actes numérisés", 70, 6000, 1500)]),
    ("Rédaction des comptes rendus de réunion", "classement", "assemblées", 8, 90, 3, 2, 2,
     (False, False, True), "assistante de direction",
     "Chaque réunion de bureau ou de commission donne lieu à un compte rendu rédigé à partir de notes manuscrites.",
     "Partir d'une trame et d'une transcription pour gagner du temps.",
     [("outil_classique", "Modèle de compte rendu commun", 20, 300, 0),
      ("ia_generative", "Transcription et premier jet par l'assistant, relus par l'agent", 55, 1500, 1800)]),
    # Seed 004: an internal assistant for such recurring questions, with a 15 % HR saving estimated.
    ("Questions récurrentes sur les ordres de mission", "rh", "RH", 60, 10, 2, 2, 2, (False, False, False),
     "gestionnaire RH",
     "Les agents demandent souvent comment remplir un ordre de mission et quels frais sont remboursés.",
     "Une réponse disponible sans solliciter le service RH.",
     [("outil_classique", "FAQ RH sur l'intranet", 30, 800, 0),
      ("ia_generative", "Assistant RH interne", 60, 3000, 2400)]),
    ("Première connexion des nouveaux agents", "rh", "DSI", 6, 45, 1, 2, 3, (False, False, False),
     "technicien informatique",
     "Chaque arrivée demande d'expliquer la messagerie, les dossiers partagés et les mots de passe.",
     "Un parcours d'accueil numérique que l'agent suit seul.",
     [("formation", "Guide pas à pas et session d'accueil mensuelle", 50, 600, 0)]),
    ("Contrôle des anomalies de paie", "rh", "RH", 1, 600, 2, 3, 3, (False, True, True), "responsable paie",
     "Chaque mois, les écarts de paie sont recherchés à la main dans plusieurs tableaux.",
     "Être alerté des anomalies avant la clôture de la paie.",
     [("outil_classique", "Contrôles automatiques dans le logiciel de paie", 45, 2500, 300),
      ("ia_specialisee", "Détection d'anomalies sur l'historique de paie", 65, 9000, 2000)]),
    ("Réponses aux avis en ligne des usagers", "citoyens", "relation usagers", 40, 20, 3, 2, 2,
     (True, False, False), "chargée de communication",
     "Les avis laissés en ligne restent parfois plusieurs jours sans réponse.",
     "Répondre plus vite, avec un ton juste.",
     [("formation", "Trames de réponse et atelier rédactionnel", 30, 700, 0),
      ("ia_generative", "Proposition de réponse par l'assistant, validée par l'agent", 60, 1500, 1200)]),
    ("Réponses aux demandes d'état civil par courriel", "citoyens", "état civil", 60, 8, 2, 2, 3,
     (True, False, False), "officier d'état civil",
     "Les mêmes questions reviennent : pièces à fournir, délais, actes en ligne.",
     "Orienter les demandes simples vers une réponse type.",
     [("outil_classique", "Formulaire en ligne et réponses types", 45, 1200, 0),
      ("ia_generative", "Brouillons de réponse aux demandes simples", 55, 1500, 1200)]),
    ("Renseignements d'urbanisme au guichet", "citoyens", "urbanisme", 25, 15, 1, 1, 2, (True, False, False),
     "instructeur urbanisme",
     "Les administrés demandent le règlement applicable à leur parcelle ; il faut chercher dans plusieurs documents.",
     "Trouver vite la règle applicable à une parcelle.",
     [("formation", "Fiche de synthèse du règlement par zone", 35, 900, 0)]),
    ("Compilation des indicateurs pour les élus", "tableau_bord", "finances", 2, 240, 2, 2, 2,
     (False, False, True), "contrôleur de gestion",
     "Les chiffres sont dans plusieurs logiciels ; chaque mois on les recopie dans un tableur pour les élus.",
     "Un tableau de bord alimenté automatiquement.",
     [("outil_classique", "Tableau de bord alimenté par les exports existants", 60, 4000, 500),
      ("ia_generative", "Synthèse commentée générée par l'assistant", 40, 2000, 1500)]),
    ("Données dispersées pour le rapport d'activité", "tableau_bord", "direction", 1, 900, 1, 1, 1,
     (False, False, False), "directeur général des services",
     "Le rapport annuel demande de réunir des données de chaque service, dans des formats différents.",
     "Des données déjà rassemblées au fil de l'année.",
     [("processus", "Collecte trimestrielle avec un modèle commun", 40, 500, 0)]),
    ("Préparation des délibérations", "classement", "assemblées", 6, 60, 2, 2, 2, (False, True, False),
     "assistante des assemblées",
     "Chaque délibération reprend des éléments d'actes antérieurs qu'il faut retrouver et recopier.",
     "Partir d'un modèle et retrouver les actes liés.",
     [("outil_classique", "Bibliothèque de modèles de délibération", 35, 800, 0),
      ("ia_generative", "Premier jet de délibération à partir des actes antérieurs", 50, 1500, 1200)]),
    ("Suivi des demandes d'assistance des adhérents", "citoyens", "assistance aux adhérents", 80, 12, 3, 3, 2,
     (False, False, True), "technicien support",
     "Les demandes des communes adhérentes arrivent par téléphone et courriel sans suivi commun.",
     "Un suivi unique des demandes et des réponses réutilisables.",
     [("outil_classique", "Outil de tickets et base de réponses", 45, 3000, 600),
      ("ia_generative", "Suggestion de réponses à partir des tickets passés", 60, 2500, 2000)]),
    ("Nommage incohérent des fichiers partagés", "classement", "DSI", 20, 10, 5, 1, 2, (False, False, False),
     "chargé de mission",
     "Chacun nomme ses fichiers à sa façon ; les versions se multiplient.",
     "Une règle de nommage simple et partagée.",
     [("formation", "Règle de nommage et demi-journée de formation", 40, 400, 0)]),
    ("Saisie des factures reçues au format papier", "tableau_bord", "finances", 150, 4, 1, 3, 3,
     (False, True, False), "gestionnaire comptable",
     "Une partie des fournisseurs envoie encore des factures papier qu'il faut ressaisir.",
     "Ne plus ressaisir les factures.",
     [("processus", "Relance des fournisseurs vers le dépôt dématérialisé", 60, 300, 0),
      ("ia_specialisee", "Lecture automatique des factures (OCR)", 70, 4000, 1500)]),
]

# Which kinds each collectivity met, by index in IRRITANT_KINDS: about 50 irritants in all.
FINDINGS = {
    "Chalon-sur-Saône": [0, 1, 2, 3, 6, 7, 9, 13],
    "Le Grand Chalon": [0, 2, 3, 4, 5, 9, 14],
    "Chassagne-Montrachet": [1, 8, 13],
    "Chéroy": [1, 7, 8],
    "Communauté Urbaine Creusot Montceau": [0, 1, 2, 3, 5, 10, 11],
    "Héry": [1, 7, 13],
    "Lormes": [1, 7, 14],
    "Mâconnais Beaujolais Agglomération": [0, 1, 2, 3, 6, 9, 11],
    "Nièvre Numérique": [4, 10, 12, 13],
}

# Delibia's seats from autumn 2024 and twelve months of (invented) use: adoption climbs in most
# collectivities; one falls away in the spring.
TOOL_FROM = date(2024, 9, 16)
ADOPTION_CURVE = [0.30, 0.45, 0.55, 0.62, 0.68, 0.72, 0.75, 0.78, 0.80, 0.80, 0.82, 0.85]
FALLING_CURVE = [0.40, 0.60, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.60, 0.40, 0.20]
FALLING_AWAY = "Lormes"

# The steering committee of the mid-term, which recorded the demo's decisions (invented).
COMMITTEE_DAY = date(2024, 10, 15)
# The committee follows the method's answer, with these rationales (invented)...
FOLLOWING_RATIONALES = {
    "ai_pilot": "Valeur très forte et conditions réunies : pilote IA avec relecture par un agent (décision inventée "
                "pour la démonstration).",
    "frugal_action": "Frugal d'abord : l'option classique suffit (décision inventée pour la démonstration).",
    "defer": "Aucune option n'apporte assez pour l'instant : l'irritant sera reformulé (décision inventée pour la "
             "démonstration).",
}
# ...except where it departs from it, and says why (invented): by title and the method's answer departed from.
DEPARTURES = {
    ("Recherche d'anciens arrêtés", "reformulate"): (
        "frugal_action",
        "La méthode conseille de reformuler car peu d'heures sont en jeu, mais un arrêté introuvable expose la "
        "commune à une erreur de droit : le comité engage quand même le plan de classement partagé, peu coûteux "
        "(décision inventée pour la démonstration)."),
}

# Before and after of decided actions, on the first irritant of each title decided: title, metric, unit, before,
# after, nature, share of the irritant's hours saved a year. Seed 003: mean response time to citizens' reviews
# 7 → 3 days. Seed 004: an internal assistant for recurring HR questions, 15 % HR saving estimated by the service
# (self-reported, not measured): for hours a year, "hours" is the irritant's own and "after" the share left.
# The drafting time (20 → 12 minutes, measured) is invented.
IMPACT_PLANS = [
    ("Réponses aux avis en ligne des usagers", "Délai moyen de réponse aux avis des usagers", "jours", 7.0, 3.0,
     "measured", None),
    ("Réponses aux avis en ligne des usagers", "Temps de rédaction d'une réponse", "minutes", 20.0, 12.0, "measured",
     0.4),
    ("Questions récurrentes sur les ordres de mission", "Temps RH consacré aux questions récurrentes",
     "heures par an", "hours", 0.85, "self_reported", 0.15),
]

# Irritants move along their life at different paces; this cycle spreads the demo's statuses.
STATUS_CYCLE = ["identified", "qualified", "scored", "identified", "decided", "in_progress", "identified",
                "rejected", "scored", "done", "proposed"]

# Three candidacies the demo shows as not selected. Their names are invented on purpose, and say
# so: no real collectivity that did not apply may appear here.
NOT_SELECTED = [
    ("Commune fictive de Valbruyère", "commune", None, "71", 2100, 2,
     "Département et type déjà représentés ; motivation peu étayée."),
    ("Communauté de communes imaginaire du Val-Dormant", "epci", "CC", "21", 8400, 1,
     "Candidature incomplète : aucun service identifié pour l'atelier."),
    ("Commune fictive de Saint-Exemple", "commune", None, "89", 650, 2,
     "Département et type déjà représentés ; moyens humains insuffisants cette année."),
]

# A second programme, invented for the demonstration, whose only workshop is still planned.
NEXT_PROGRAMME = {
    "slug": "experimentation-ia-2027-demo",
    "name": "Expérimentation IA 2027 (programme fictif de démonstration)",
    "agency": "ARNia",
    "region_name": "Bourgogne-Franche-Comté",
    "region_departements": ["21", "25", "39", "58", "70", "71", "89", "90"],
    "launch_date": date(2027, 1, 15),
    "launch_place": "Dijon",
    "duration_months": 12,
    "tool_name": "Delibia",
    "description": "Programme inventé pour montrer un atelier encore à venir.",
}
NEXT_WORKSHOP = ("Héry", date(2027, 3, 9), "Mairie", ["accueil", "secrétariat de mairie"])

# The programmes' list of services: those the workshops visited and those the irritants carry, as written above
# (the irritants choose theirs from it).
SERVICES = sorted({name for row in COLLECTIVITIES for name in row[8]} | {kind[2] for kind in IRRITANT_KINDS}
                  | set(NEXT_WORKSHOP[3]), key=str.casefold)

# The AI Act use of each AI option above, as the demo's team confirmed it: help to agents who stay the
# authors of their work, an art. 6(3) derogation, or a text published under editorial responsibility.
AI_ACT_USES = {
    "Résumé et proposition d'orientation par l'assistant": "preparatory_task",
    "Recherche sémantique sur les actes numérisés": "internal_assistance",
    "Transcription et premier jet par l'assistant, relus par l'agent": "internal_assistance",
    "Assistant RH interne": "internal_assistance",
    "Détection d'anomalies sur l'historique de paie": "decision_patterns",
    "Proposition de réponse par l'assistant, validée par l'agent": "internal_assistance",
    "Brouillons de réponse aux demandes simples": "internal_assistance",
    "Synthèse commentée générée par l'assistant": "internal_assistance",
    "Premier jet de délibération à partir des actes antérieurs": "published_text",
    "Suggestion de réponses à partir des tickets passés": "internal_assistance",
    "Lecture automatique des factures (OCR)": "narrow_procedural_task",
}


def ai_act_columns(label: str, confirmed_by_id: int | None, confirmed_at) -> dict:
    """An AI option's use, proposed class and the class the demo's team confirmed (the same, reviewed)."""
    use = AI_ACT_USES[label]
    proposed = classify(use, human_review=True).klass  # every demo AI option is reviewed by an agent
    return {"ai_act_use": use, "ai_act_class": proposed, "ai_act_confirmed_class": proposed,
            "ai_act_confirmed_by_id": confirmed_by_id, "ai_act_confirmed_at": confirmed_at, "ai_act_duties": []}
