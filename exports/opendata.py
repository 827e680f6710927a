"""The open-data catalogue of a programme's irritants: anonymised rows, their Table Schema, a Frictionless Data Package.

What goes out, one row per irritant the project team has taken up (every status but « proposé », a référent's
proposal not yet reviewed, and « écarté », set aside):

- coded facts the method works with: kind (irritant or souhait), status, theme (code and label), evidence level,
  actionability, hours lost per year rounded to the nearest ten (workshop estimates, more precision would be
  false), whether the method qualifies it (réel, majeur, actionnable under the programme's current parameters), the
  recommended family of remedy and, when that remedy is an AI option, its AI Act class;
- where, coarsely: the collectivity's kind, its département code and a population band;
- when, coarsely: the month of the workshop that found it.

What is withheld, and why:

- every text a person wrote (title, description, wish, « remonté par », comments, decisions' rationale, options'
  labels): free text can name or describe an agent, a user or a case, and cannot be checked row by row at scale;
- the service: a label the team types (« accueil de la mairie »), which in a small commune often is one agent;
- the number of agents concerned, occurrences and minutes: with the service gone they still single out a lone
  agent (« 1 agent ») and let hours be traced back to a person's working time;
- the collectivity's name, SIREN and exact population: the catalogue describes the irritants of a programme, not a
  ranking of named collectivities, and without them a row cannot be joined back to a team of a few people; a
  collectivity may still be recognisable from its kind, département and band, which tells nothing about a person;
- accounts, référents, facilitators, dates finer than the month, and the priority in euros (it depends on each
  collectivity's own costs and options, which stay between the team and the collectivity).

The catalogue is public: an anonymous visitor's request session has the empty scope and sees no irritant, so the
catalogue reads through a session of its own with the whole programme in scope, opened and closed here and used for
nothing else (DESIGN §5: scoping stays in one place, and this is its single, documented exception).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from exports.cutoff import irritant_counts, irritant_status
from hub.core import programmes
from hub.core.db import new_session
from hub.core.models import Programme
from hub.core.scoping import Scope
from hub.core.tabular import to_csv
from irritants import answers, scoring
from irritants.models import AI_ACT_CLASSES, FAMILIES, IRRITANT_STATUSES, KINDS, Irritant, RemedyOption
from participants.models import KINDS as COLLECTIVITY_KINDS
from participants.models import Collectivity
from workshops.models import Workshop

PUBLISHED_STATUSES = tuple(s for s in IRRITANT_STATUSES if s not in ("proposed", "rejected"))
HOURS_STEP = 10
# Upper bounds (exclusive) of the population bands, INSEE's usual cuts for communes and EPCI.
POPULATION_BANDS = ((2_000, "0-1999"), (10_000, "2000-9999"), (50_000, "10000-49999"),
                    (200_000, "50000-199999"), (None, "200000+"))
LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0",
           "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}

# The descriptor is a published document: it stays in French whatever the visitor's language, so that two
# downloads of the same data never differ, hence plain strings here rather than translations.
FIELDS = (
    {"name": "identifiant", "type": "integer", "title": "Identifiant",
     "description": "Numéro de l'irritant dans le hub, stable d'une publication à l'autre.",
     "constraints": {"required": True, "unique": True}},
    {"name": "programme", "type": "string", "title": "Programme",
     "description": "Identifiant du programme d'expérimentation.", "constraints": {"required": True}},
    {"name": "type", "type": "string", "title": "Type",
     "description": "irritant : difficulté du travail quotidien ; souhait : souhait d'évolution.",
     "constraints": {"required": True, "enum": list(KINDS)}},
    {"name": "statut", "type": "string", "title": "Statut",
     "description": "Étape de l'irritant : identified (identifié), qualified (qualifié), scored (évalué), "
                    "decided (décidé), in_progress (en cours), done (résolu), abandoned (abandonné).",
     "constraints": {"required": True, "enum": list(PUBLISHED_STATUSES)}},
    {"name": "thematique", "type": "string", "title": "Thématique (code)",
     "description": "Code de la thématique du programme."},
    {"name": "thematique_libelle", "type": "string", "title": "Thématique",
     "description": "Libellé de la thématique, tel que le programme l'a déclaré."},
    {"name": "type_collectivite", "type": "string", "title": "Type de collectivité",
     "description": "commune, epci, syndicat_mixte, departement, region ou other.",
     "constraints": {"required": True, "enum": list(COLLECTIVITY_KINDS)}},
    {"name": "departement", "type": "string", "title": "Département",
     "description": "Code officiel géographique du département de la collectivité.",
     "constraints": {"required": True, "pattern": "([0-9]{2,3}|2A|2B)"}},
    {"name": "tranche_population", "type": "string", "title": "Tranche de population",
     "description": "Population de la collectivité, en tranche (habitants) ; vide si inconnue.",
     "constraints": {"enum": [band for _limit, band in POPULATION_BANDS]}},
    {"name": "niveau_preuve", "type": "integer", "title": "Niveau de preuve",
     "description": "0 ressenti par une personne, 1 rapporté par plusieurs agents, 2 observé pendant l'atelier, "
                    "3 mesuré.", "constraints": {"required": True, "minimum": 0, "maximum": 3}},
    {"name": "actionnabilite", "type": "integer", "title": "Actionnabilité",
     "description": "0 hors compétence de la collectivité, 1 dépend d'un tiers, 2 un responsable est nommé, "
                    "3 un responsable et les moyens.", "constraints": {"required": True, "minimum": 0, "maximum": 3}},
    {"name": "heures_par_an", "type": "integer", "title": "Heures perdues par an",
     "description": f"Estimation d'atelier, arrondie à la dizaine d'heures ({HOURS_STEP} h).",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "qualifie", "type": "boolean", "title": "Qualifié",
     "description": "Réel, majeur et actionnable selon la méthode et les paramètres en vigueur du programme.",
     "constraints": {"required": True}},
    {"name": "famille_recommandee", "type": "string", "title": "Famille de solution recommandée",
     "description": "ia_generative, ia_specialisee, formation, processus, outil_classique, ou reformulate "
                    "(reformuler ou abandonner) ; vide tant qu'aucune option n'est étudiée.",
     "constraints": {"enum": [*FAMILIES, scoring.REFORMULATE]}},
    {"name": "classe_ai_act", "type": "string", "title": "Classe AI Act de l'option recommandée",
     "description": "Quand l'option recommandée est une IA : prohibited, high_risk, limited ou minimal ; vide "
                    "sinon.", "constraints": {"enum": list(AI_ACT_CLASSES)}},
    {"name": "mois_atelier", "type": "yearmonth", "title": "Mois de l'atelier",
     "description": "Mois de l'atelier « vis ma vie » où l'irritant a été relevé ; vide s'il l'a été ailleurs."},
)


def population_band(population: int | None) -> str | None:
    """The band a population falls in, or None when it is unknown."""
    if population is None:
        return None
    return next(band for limit, band in POPULATION_BANDS if limit is None or population < limit)


def rounded_hours(hours: float) -> int:
    """Hours per year to the nearest ten."""
    return int(round(hours / HOURS_STEP) * HOURS_STEP)


def _statement(programme_id: int, as_of: date | None = None):
    # Only the columns the catalogue publishes or the method needs: the free texts are never even loaded.
    status = irritant_status(as_of).label("status")
    return (select(Irritant.id, Irritant.kind, status, Irritant.theme, Irritant.evidence_level,
                   Irritant.actionability, Irritant.occurrences_per_month, Irritant.minutes_per_occurrence,
                   Irritant.agents_affected, Irritant.impact_citizens, Irritant.compliance_risk, Irritant.mental_load,
                   Irritant.volume_unknown,
                   Collectivity.kind.label("collectivity_kind"), Collectivity.departement_code,
                   Collectivity.population, Workshop.held_on)
            .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
            .outerjoin(Workshop, Workshop.id == Irritant.workshop_id)
            .where(Irritant.programme_id == programme_id, irritant_counts(as_of),
                   irritant_status(as_of).in_(PUBLISHED_STATUSES))
            .order_by(Irritant.id))


def rows(session: Session, programme: Programme, *, as_of: date | None = None) -> list[tuple]:
    """The catalogue's rows, in the order of ``FIELDS``, for the irritants the session may see (on ``as_of``)."""
    _version, params = answers.parameters(session, programme_id=programme.id, on=as_of)
    themes = programmes.themes(session, programme.id)
    options: dict[int, list[RemedyOption]] = {}
    for option in session.exec(select(RemedyOption).join(Irritant, Irritant.id == RemedyOption.irritant_id)
                               .where(Irritant.programme_id == programme.id).order_by(RemedyOption.id)):
        options.setdefault(option.irritant_id, []).append(option)
    out = []
    for row in session.exec(_statement(programme.id, as_of)):
        # The detail page's own computation, so that the catalogue never disagrees with what the team sees.
        result = answers.assess(row, options.get(row.id, []), params)
        chosen = result.chosen.option if result.chosen is not None and row.id in options else None
        out.append((row.id, programme.slug, row.kind, row.status, row.theme or None,
                    themes.get(row.theme, row.theme) or None, row.collectivity_kind, row.departement_code,
                    population_band(row.population), row.evidence_level, row.actionability,
                    rounded_hours(result.hours), result.qualification.qualified,
                    result.family if row.id in options else None,
                    chosen.ai_act_class if chosen is not None and chosen.is_ai else None,
                    row.held_on.strftime("%Y-%m") if row.held_on else None))
    return out


@contextmanager
def catalogue_session() -> Iterator[Session]:
    """The catalogue's own read-only session over the whole programme, closed when done."""
    session = new_session(scope=Scope.all())
    try:
        yield session
    finally:
        session.rollback()  # it reads only; nothing it touched may outlive it
        session.close()


def _csv(published: list[tuple]) -> str:
    return to_csv([field["name"] for field in FIELDS], published, delimiter=",", bom=False,
                  booleans=("true", "false"))


def catalogue_csv(programme: Programme) -> str:
    """The catalogue as an RFC 4180 CSV (UTF-8, ',' and '.', true/false), as open-data tools expect."""
    with catalogue_session() as session:
        return _csv(rows(session, programme))


def frozen(session: Session, programme: Programme, *, as_of: date) -> tuple[bytes, str]:
    """The catalogue and its descriptor as they stand on a version's cut-off, written once at its publication."""
    package = datapackage(programme)
    package["version"] = as_of.isoformat()
    package["description"] += f" Données arrêtées au {as_of.strftime('%d/%m/%Y')}."
    return _csv(rows(session, programme, as_of=as_of)).encode("utf-8"), json.dumps(package, ensure_ascii=False,
                                                                                   indent=2)


def catalogue_size(programme: Programme, *, as_of: date | None = None) -> int:
    """How many irritants the catalogue publishes (on a version's cut-off, if given)."""
    with catalogue_session() as session:
        return session.exec(select(sa.func.count(Irritant.id)).where(
            Irritant.programme_id == programme.id, irritant_counts(as_of),
            irritant_status(as_of).in_(PUBLISHED_STATUSES))).one()


def table_schema() -> dict:
    """The Table Schema of the catalogue's CSV."""
    return {"fields": [dict(field) for field in FIELDS], "primaryKey": ["identifiant"], "missingValues": [""]}


def datapackage(programme: Programme) -> dict:
    """The Frictionless Data Package describing the catalogue; its CSV sits beside it as ``irritants.csv``."""
    description = ("Irritants (difficultés du travail quotidien des agents) et souhaits d'évolution relevés "
                   f"pendant le programme « {programme.name} » ({programme.agency}), sans donnée personnelle ni "
                   "texte libre : ni intitulé, ni description, ni service, ni nom de collectivité.")
    if programme.is_demo:
        description += " Programme de démonstration : les constats sont inventés."
    return {
        "name": f"irritants-{programme.slug}",
        "title": f"Catalogue anonymisé des irritants — {programme.name}",
        "description": description,
        "licenses": [dict(LICENCE)],
        "contributors": [{"title": programme.agency, "role": "publisher"}],
        "keywords": ["intelligence artificielle", "collectivités territoriales", "irritants", "administration"],
        "resources": [{
            # Relative: beside the descriptor, on the site as on a disk, so the package works in both places.
            "name": "irritants", "path": "irritants.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": table_schema(),
        }],
    }
