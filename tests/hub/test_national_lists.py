"""A national list counts only as far as anyone reads: « plus de 10 000 », pages up to the cap."""

from __future__ import annotations

import pytest
from sqlmodel import select

from irritants.models import Irritant
from tests import factories
from tests.conftest import logged_in
from tests.sql_statements import statements_run


def _irritants_of_programme(db, world) -> int:
    return len(db.exec(select(Irritant.id).where(Irritant.programme_id == world.programme.id)).all())


def test_a_list_past_the_cap_says_more_than_and_pages_stop_at_the_cap(make_app, world, db):
    for n in range(8):
        factories.irritant(db, world.programme, world.own, title=f"Irritant {n}")
    db.commit()
    assert _irritants_of_programme(db, world) > 6
    client = logged_in(make_app(LIST_COUNT_CAP=6, PAGE_SIZE=2), world.users["facilitator"])
    first = client.get(f"/irritants?programme={world.programme.slug}").get_data(as_text=True)
    assert "Plus de 6 irritants : affinez les filtres pour les voir tous." in first
    assert "Page 1 sur plus de 3" in first
    last = client.get(f"/irritants?programme={world.programme.slug}&page=99").get_data(as_text=True)
    assert "Page 3 sur plus de 3" in last and 'rel="next"' not in last  # a page past the cap is its last page


def test_a_list_within_the_cap_gives_its_exact_count(make_app, world, db):
    for n in range(3):
        factories.irritant(db, world.programme, world.own, title=f"Irritant {n}")
    db.commit()
    total = _irritants_of_programme(db, world)
    client = logged_in(make_app(LIST_COUNT_CAP=total, PAGE_SIZE=2), world.users["facilitator"])
    page = client.get(f"/irritants?programme={world.programme.slug}").get_data(as_text=True)
    assert f"{total} irritants</p>" in page and "Plus de" not in page
    assert f"Page 1 sur {-(-total // 2)}<" in page


def test_a_programme_board_counts_each_column_to_its_cap(client_as, world, db, monkeypatch):
    import irritants.boards

    monkeypatch.setattr(irritants.boards, "BOARD_COUNT_CAP", 2)
    for n in range(3):
        factories.irritant(db, world.programme, world.own, title=f"Identifié {n}", status="identified")
    db.commit()
    identified = _column(client_as("facilitator").get(f"/programmes/{world.programme.slug}/tableau"), "identified")
    assert "(plus de 2)" in identified
    # The référent's own board is one collectivity's: counted exactly.
    own = db.exec(select(Irritant.id).where(Irritant.collectivity_id == world.own.id,
                                            Irritant.status == "identified")).all()
    mine = _column(client_as("participant").get("/mon-tableau"), "identified")
    assert f"({len(own)})" in mine and "plus de" not in mine


def test_a_programme_board_within_the_cap_counts_exactly(client_as, world, db):
    identified = db.exec(select(Irritant.id).where(Irritant.programme_id == world.programme.id,
                                                   Irritant.status == "identified")).all()
    column = _column(client_as("facilitator").get(f"/programmes/{world.programme.slug}/tableau"), "identified")
    assert f"({len(identified)})" in column and "plus de" not in column


def _column(response, status: str) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True).split(f'id="col-{status}"')[1].split("</h2>")[0]


def test_a_programme_board_shows_ten_cards_a_column_and_links_to_the_rest(client_as, world, db):
    for n in range(12):
        factories.irritant(db, world.programme, world.own, title=f"Carte {n:02d}", status="qualified")
    db.commit()
    total = len(db.exec(select(Irritant.id).where(Irritant.programme_id == world.programme.id,
                                                  Irritant.status == "qualified")).all())
    page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/tableau").get_data(as_text=True)
    column = page.split('id="col-qualified"')[1].split("</section>")[0]
    assert column.count('class="board-card"') == 10
    assert f"Voir les {total} irritants" in column and "status=qualified" in column
    # A collectivity's own board keeps its 25 cards a column.
    mine = client_as("participant").get("/mon-tableau").get_data(as_text=True)
    assert mine.split('id="col-qualified"')[1].split("</section>")[0].count('class="board-card"') == min(total, 25)


def test_a_row_link_is_its_endpoint_s_url_up_to_the_id(app):
    from hub.app.navigation import link_prefix

    with app.test_request_context():
        assert link_prefix("irritants.irritant_detail", "irritant_id") == "/irritants/"
        assert link_prefix("participants.collectivity_detail", "collectivity_id") == "/collectivites/"
        with pytest.raises(ValueError):  # the id is not the URL's end: a prefix would make a wrong link
            link_prefix("selection.motivation_score", "enrolment_id", slug="programme")


BOARDS = [("facilitator", "/programmes/{slug}/tableau"), ("participant", "/mon-tableau")]
STATUSES = ("identified", "qualified", "scored", "decided", "in_progress", "done", "proposed")


@pytest.mark.parametrize("account, board", BOARDS)
def test_a_board_reads_the_cards_of_its_seven_columns_in_one_statement(connection, client_as, world, db, account,
                                                                        board):
    for status in STATUSES:
        factories.irritant(db, world.programme, world.own, title=f"Carte {status}", status=status)
    db.commit()
    with statements_run(connection) as statements:
        page = client_as(account).get(board.format(slug=world.programme.slug)).get_data(as_text=True)
    # One round trip for every column's first cards (and one for the columns' counts), not one per column.
    card_reads = [s for s in statements if "irritant.title" in s and "ORDER BY" in s and "LIMIT" in s]
    assert len(card_reads) == 1, card_reads
    for status in STATUSES:
        assert f"Carte {status}" in page.split(f'id="col-{status}"')[1].split("</section>")[0]


def test_the_programme_board_names_each_card_s_collectivity_from_the_cards_own_statement(connection, client_as,
                                                                                        world, db):
    db.commit()
    with statements_run(connection) as statements:
        page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/tableau").get_data(as_text=True)
    assert f"{world.own.name} · " in page and f"{world.foreign.name} · " in page
    assert not [s for s in statements if "FROM collectivity" in s and "irritant" not in s], statements
