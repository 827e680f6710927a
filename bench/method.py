"""Benchmarks of the method's pure functions, one section after the other.

Run from the repository root:  .venv/bin/python bench/method.py [SECTION …]  (all sections when none is named)

Sections (each a function listed in ``SECTIONS``, which ``main`` runs in order):

- similarity groups: ``irritants.similarity.propose_groups`` on 2,500 and 5,000 synthetic French irritant
  texts spread over 200 collectivities (fixed seed), at the default threshold; prints the median of 3
  runs, the number of groups and the largest group's size.
- stored answers: loads ``hub demo --scale national`` (100,000 irritants and their options) into a scratch
  SQLite database under a temporary directory, then saves new scoring parameters for that programme, which
  recomputes every stored priority and family in the same transaction (rolled back after each run); prints the
  median of 3 runs, the SQL statements each run sends and their share of the time, and the cost per irritant.
- robustness draws: ``irritants.robustness.robustness`` (the seeded Monte Carlo, default draws) on 50 demo-like
  irritants with 2 or 3 options; prints the median and the largest time per irritant and how many are fragile.
"""

from __future__ import annotations

import random
import statistics
import time

from irritants import answers
from irritants.similarity import DEFAULT_THRESHOLD, Item, propose_groups

RUNS = 3
SEED = 2024
COLLECTIVITIES = 200
SIZES = (2500, 5000)
# Themes of pain points: what the agent does, on what, and the trouble; a text draws one of each from a theme,
# then common phrases, so that texts of one theme read alike without being copies.
THEMES = {
    "courrier": (["enregistrer", "scanner", "distribuer", "trier"], ["le courrier entrant", "les plis recommandés",
                 "les courriels du standard"], ["à la main chaque matin", "sans suivi de l'affectation"]),
    "arretes": (["rechercher", "retrouver", "publier", "numéroter"], ["les arrêtés anciens", "les arrêtés du maire",
                "les délibérations du conseil"], ["dans des classeurs papier", "sans index ni mots-clés"]),
    "etat_civil": (["saisir", "vérifier", "délivrer", "mettre à jour"], ["les actes d'état civil",
                   "les mentions marginales", "les livrets de famille"], ["en double dans deux logiciels",
                   "avec des erreurs de transcription"]),
    "missions": (["préparer", "signer", "rembourser", "contrôler"], ["les ordres de mission",
                 "les états de frais de déplacement", "les justificatifs kilométriques"],
                 ["sur des formulaires papier", "avec trois validations successives"]),
    "paie": (["calculer", "corriger", "contrôler"], ["les heures supplémentaires", "les bulletins de paie",
             "les absences des agents"], ["dans un tableur partagé", "à chaque fin de mois"]),
    "urbanisme": (["instruire", "compléter", "transmettre"], ["les permis de construire",
                  "les déclarations préalables", "les certificats d'urbanisme"], ["avec des pièces manquantes",
                  "par courrier aux services de l'État"]),
    "cimetiere": (["retrouver", "renouveler", "attribuer"], ["les concessions funéraires", "les emplacements du "
                  "cimetière", "les registres d'inhumation"], ["sur un plan papier", "sans alerte d'échéance"]),
    "marches": (["rédiger", "analyser", "publier"], ["les pièces des marchés publics", "les offres des candidats",
                "les avis d'appel public"], ["à partir de modèles disparates", "sans grille commune"]),
    "accueil": (["répondre", "orienter", "renseigner"], ["les usagers au téléphone", "les demandes à l'accueil",
                "les questions sur les horaires"], ["plusieurs fois par jour", "sans base de réponses"]),
    "assemblees": (["convoquer", "rédiger", "diffuser"], ["les conseils municipaux", "les procès-verbaux de séance",
                   "les comptes rendus de commission"], ["dans des délais serrés", "en recopiant les notes"]),
}
COMMON = ["cela prend beaucoup de temps", "les agents perdent du temps", "le travail est répétitif",
          "le risque d'erreur est élevé", "la secrétaire de mairie est seule", "pendant les congés rien n'avance"]
WISHES = ["un outil simple", "une recherche rapide", "un modèle partagé", "une saisie unique",
          "une automatisation", "un tableau de suivi"]


def synthetic_irritants(count: int, seed: int = SEED) -> list[Item]:
    """``count`` irritant texts over ``COLLECTIVITIES`` collectivities, the same for the same seed."""
    draw = random.Random(seed)
    items = []
    for number in range(1, count + 1):
        actions, objects, troubles = THEMES[draw.choice(sorted(THEMES))]
        text = " ".join([draw.choice(actions).capitalize(), draw.choice(objects), draw.choice(troubles) + ";",
                         *draw.sample(COMMON, draw.randint(0, 2)), "; souhait :", draw.choice(WISHES)])
        items.append(Item(number, draw.randint(1, COLLECTIVITIES), text))
    return items


def similarity_groups() -> None:
    """Median time of ``propose_groups`` over synthetic irritants, with the groups it found."""
    print(f"== similarity groups (threshold {DEFAULT_THRESHOLD}, {COLLECTIVITIES} collectivities, "
          f"median of {RUNS} runs)")
    for size in SIZES:
        items = synthetic_irritants(size)
        seconds = []
        for _run in range(RUNS):
            start = time.perf_counter()
            groups = propose_groups(items, DEFAULT_THRESHOLD)
            seconds.append(time.perf_counter() - start)
        largest = max((len(g.ids) for g in groups), default=0)
        print(f"{size:>6} irritants: {statistics.median(seconds):6.3f} s  {len(groups):>4} groups  "
              f"largest {largest} irritants  (runs: {', '.join(f'{s:.3f}' for s in seconds)})")


def stored_answers() -> None:
    """Median time to recompute the national demo's stored answers after a change of parameters."""
    import os
    import secrets
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import sqlalchemy as sa
    from sqlalchemy import event

    root = Path(__file__).resolve().parent.parent
    tmp = Path(tempfile.mkdtemp(prefix="hub-bench-method-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": secrets.token_hex(32),
           "HUB_DEMO_PASSWORD": secrets.token_hex(12)}
    saved_env = {name: os.environ.get(name) for name in env}
    print(f"== stored answers after a change of parameters (national demo, median of {RUNS} runs)")
    try:
        hub = str(Path(sys.executable).parent / "hub")
        for command in (["db", "upgrade"], ["demo", "--scale", "national"]):
            start = time.perf_counter()
            done = subprocess.run([hub, *command], cwd=root, env={**os.environ, **env}, capture_output=True,
                                  text=True)
            if done.returncode != 0:
                raise SystemExit(f"hub {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
            print(f"hub {' '.join(command)}: {time.perf_counter() - start:.1f} s")
        os.environ.update(env)
        from hub import create_app
        from hub.app.demo.national import SLUG
        from hub.core.db import new_session
        from hub.core.models import Programme
        from hub.core.scoping import Scope
        from irritants.models import Irritant, RemedyOption

        app = create_app()
        statements, sql_seconds, started = [0], [0.0], {}

        def before(conn, *_args):
            statements[0] += 1
            started[id(conn)] = time.perf_counter()

        def after(conn, *_args):
            sql_seconds[0] += time.perf_counter() - started.pop(id(conn), time.perf_counter())

        with app.app_context(), new_session(scope=Scope.all()) as session:
            pid = session.exec(sa.select(Programme.id).where(Programme.slug == SLUG)).one()[0]
            irritants = session.exec(sa.select(sa.func.count(Irritant.id)).where(Irritant.programme_id == pid)).one()[0]
            options = session.exec(sa.select(sa.func.count(RemedyOption.id)).join(Irritant, Irritant.id == RemedyOption
                                   .irritant_id).where(Irritant.programme_id == pid)).one()[0]
            print(f"{irritants} irritants, {options} options")
            engine = app.extensions["hub.engine"]
            event.listen(engine, "before_cursor_execute", before)
            event.listen(engine, "after_cursor_execute", after)
            seconds, queries, sql_shares, changed = [], [], [], 0
            for _run in range(RUNS):
                statements[0], sql_seconds[0] = 0, 0.0
                start = time.perf_counter()
                # A 50 % margin and 35 €/h: some AI answers turn frugal, and every value moves.
                answers.save_parameters(session, programme_id=pid, values={"margin": 0.5, "loaded_hourly_cost": 35.0},
                                        note="Banc d'essai", by_user_id=None)
                seconds.append(time.perf_counter() - start)
                queries.append(statements[0])
                sql_shares.append(sql_seconds[0] / seconds[-1])
                changed = session.exec(sa.select(sa.func.count(Irritant.id))  # the recompute bumped their version
                                       .where(Irritant.programme_id == pid, Irritant.version > 1)).one()[0]
                session.rollback()  # each run starts from the same stored answers
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        median = statistics.median(seconds)
        print(f"recompute on saving parameters: {median:.2f} s median (runs: {', '.join(f'{s:.2f}' for s in seconds)})"
              f"; {changed} stored answers changed")
        print(f"SQL statements per run: {', '.join(map(str, queries))} (SQL {statistics.median(sql_shares):.0%} of "
              f"the time); per irritant: {median / irritants * 1e6:.1f} µs")
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(tmp, ignore_errors=True)


def robustness_draws() -> None:
    """Median cost of the robustness Monte Carlo per irritant over 50 demo-like irritants, and the draws used."""
    from irritants.robustness import UNCERTAINTY_DEFAULTS, robustness
    from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, OptionInput

    draw = random.Random(SEED)
    seconds, fragile = [], 0
    for _number in range(50):
        # Like the demo: a few to a hundred occurrences a month, 2 to 3 options, one of them AI half the time.
        irritant = IrritantInput(occurrences_per_month=draw.uniform(2, 100), minutes_per_occurrence=draw.uniform(5, 60),
                                 agents_affected=draw.randint(1, 6), evidence_level=draw.randint(0, 3),
                                 actionability=draw.randint(1, 3), impact_citizens=draw.random() < 0.3)
        options = [OptionInput(family="formation", label="Formation", reduction=draw.uniform(0.1, 0.4),
                               one_off_cost=draw.uniform(0, 2000)),
                   OptionInput(family="outil_classique", label="Modèle partagé", reduction=draw.uniform(0.2, 0.6),
                               one_off_cost=draw.uniform(500, 5000), recurring_cost=draw.uniform(0, 500))]
        if draw.random() < 0.5:
            options.append(OptionInput(family="ia_generative", label="Assistant", reduction=draw.uniform(0.3, 0.8),
                                       one_off_cost=draw.uniform(1000, 10000), recurring_cost=draw.uniform(200, 3000),
                                       requests_per_year=draw.randint(1000, 50000)))
        start = time.perf_counter()
        verdict = robustness(irritant, options, DEFAULT_PARAMETERS)
        seconds.append(time.perf_counter() - start)
        fragile += not verdict.robust
    print(f"== robustness Monte Carlo ({UNCERTAINTY_DEFAULTS['draws']} draws per irritant, 50 demo-like irritants)")
    print(f"median {statistics.median(seconds) * 1000:.1f} ms per irritant, max {max(seconds) * 1000:.1f} ms; "
          f"{fragile} of 50 answers fragile")


SECTIONS = [similarity_groups, stored_answers, robustness_draws]


def main() -> None:
    """Run every section in turn, or those named on the command line (``similarity_groups`` …)."""
    import sys

    chosen = sys.argv[1:] or [section.__name__ for section in SECTIONS]
    for section in SECTIONS:
        if section.__name__ in chosen:
            section()


if __name__ == "__main__":
    main()
