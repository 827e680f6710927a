"""A collectivity's board reads its columns' first cards, each column's count and the irritants set aside, with
their reasons, in one statement (irritants.collectivity_board)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import select

from irritants import service
from irritants.boards import BOARD_COLUMN_SIZE
from irritants.models import Irritant
from tests import factories
from tests.sql_statements import statements_run


def _set_aside(db, world, title: str, note: str) -> Irritant:
    irritant = factories.irritant(db, world.programme, world.own, title=title)
    service.change_status(db, irritant=irritant, to_status="rejected", expected_version=irritant.version,
                          by_user_id=world.users["facilitator"].id, note=note)
    return irritant


def _column(html: str, status_id: str) -> str:
    return html.split(f'id="col-{status_id}"')[1].split("</section>")[0]


def test_the_board_reads_cards_counts_and_set_aside_cards_in_one_statement(connection, client_as, world, db):
    for n in range(BOARD_COLUMN_SIZE + 2):
        factories.irritant(db, world.programme, world.own, title=f"Relance {n}")
    _set_aside(db, world, "Doublon du courrier", "Déjà traité par le courrier entrant.")
    _set_aside(db, world, "Relevés papier", "Le logiciel de la trésorerie le fait.")
    db.commit()
    identified = db.exec(select(sa.func.count(Irritant.id)).where(
        Irritant.collectivity_id == world.own.id, Irritant.status == "identified")).one()
    with statements_run(connection) as statements:
        html = client_as("participant").get("/mon-tableau").get_data(as_text=True)
    assert len([s for s in statements if re.search(r"FROM irritant\b", s)]) == 1, statements
    column = _column(html, "identified")
    # The column shows its first cards and counts them all, past the cards it shows.
    assert f"({identified})" in column and column.count('class="board-card"') == BOARD_COLUMN_SIZE
    aside = _column(html, "set-aside")
    assert "(2)" in aside and "Déjà traité par le courrier entrant." in aside
    # The latest set aside first.
    assert aside.index("Relevés papier") < aside.index("Doublon du courrier")


def test_the_board_of_a_theme_counts_and_sets_aside_only_that_theme_s_irritants(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Ordres de mission", theme="rh")
    _set_aside(db, world, "Doublon du courrier", "Déjà traité.")
    db.commit()
    html = client_as("participant").get("/mon-tableau?theme=rh").get_data(as_text=True)
    column = _column(html, "identified")
    assert "(1)" in column and "Ordres de mission" in column
    assert 'id="col-set-aside"' not in html  # the set-aside irritant is of another theme
