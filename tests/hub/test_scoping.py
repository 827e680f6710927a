"""Scoping to a collectivity happens once, in the session (DESIGN §5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from hub.core.scoping import (
    CollectivityOwned,
    Scope,
    ScopedToCollectivity,
    ScopeViolation,
    UnscopedSessionError,
    scoped_models,
)
from irritants.models import Irritant, IrritantEvent
from participants.models import Collectivity
from tests.conftest import session_on
from workshops.models import Workshop

# Accounts point to a collectivity without being owned by it: login must find them before any
# scope exists. This is the only link to a collectivity allowed outside the scoped tables.
UNSCOPED_LINKS = {("user_account", "scope_collectivity_id")}


def test_every_table_with_a_collectivity_id_is_scoped():
    mapped = {m.local_table.name: m.class_ for m in SQLModel._sa_registry.mappers}
    for table in SQLModel.metadata.sorted_tables:
        if "collectivity_id" in table.c:
            assert issubclass(mapped[table.name], CollectivityOwned), f"{table.name} is not scoped"


def test_no_other_link_to_a_collectivity_escapes_the_scope():
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "collectivity" and fk.parent.name != "collectivity_id":
                assert (table.name, fk.parent.name) in UNSCOPED_LINKS, f"{table.name}.{fk.parent.name}"


def test_the_collectivity_table_is_scoped_by_its_own_id():
    assert Collectivity in scoped_models()
    assert Collectivity.__scope_column__ == "id"
    assert all(issubclass(model, ScopedToCollectivity) for model in scoped_models())


def test_a_session_without_scope_refuses_scoped_tables(connection, world):
    session = session_on(connection, scope=None)
    with pytest.raises(UnscopedSessionError):
        session.exec(select(Irritant)).all()
    with pytest.raises(UnscopedSessionError):
        session.exec(select(Collectivity.name)).all()


def test_a_session_without_scope_refuses_to_write(connection, world):
    session = session_on(connection, scope=None)
    session.add(IrritantEvent(irritant_id=world.own_irritant.id, collectivity_id=world.own.id, to_status="done"))
    with pytest.raises(UnscopedSessionError):
        session.flush()


def test_a_referent_scope_sees_only_its_collectivity_in_every_scoped_table(connection, world):
    session = session_on(connection, scope=Scope.collectivity(world.own.id))
    for model in scoped_models():
        column = getattr(model, model.__scope_column__)
        owners = set(session.exec(select(column)).all())
        assert owners <= {world.own.id}, model.__name__
    assert session.get(Irritant, world.foreign_irritant.id) is None
    assert session.get(Irritant, world.own_irritant.id) is not None


def test_a_referent_scope_applies_to_joins_and_aggregates(connection, world):
    session = session_on(connection, scope=Scope.collectivity(world.own.id))
    count = session.exec(select(sa.func.count(Irritant.id))).one()
    assert count == 1
    joined = session.exec(select(Workshop.id).join(Irritant, Irritant.workshop_id == Workshop.id)).all()
    assert joined == [world.own_workshop.id]


def test_anonymous_scope_sees_nothing(connection, world):
    session = session_on(connection, scope=Scope.nothing())
    assert session.exec(select(Irritant)).all() == []
    assert session.exec(select(Collectivity)).all() == []


def test_new_rows_take_their_owner_from_the_scope(connection, world):
    session = session_on(connection, scope=Scope.collectivity(world.own.id))
    event = IrritantEvent(irritant_id=world.own_irritant.id, to_status="qualified")
    session.add(event)
    session.flush()
    assert event.collectivity_id == world.own.id


def test_a_write_into_another_collectivity_is_refused(connection, world):
    session = session_on(connection, scope=Scope.collectivity(world.own.id))
    session.add(IrritantEvent(irritant_id=world.foreign_irritant.id, collectivity_id=world.foreign.id,
                              to_status="qualified"))
    with pytest.raises(ScopeViolation):
        session.flush()


def test_a_board_read_in_a_referent_s_session_holds_only_their_collectivity_s_cards(connection, world):
    from irritants.boards import BoardFilters, board

    session = session_on(connection, scope=Scope.collectivity(world.own.id))
    for filters in (BoardFilters(programme_id=world.programme.id), BoardFilters(collectivity_id=world.foreign.id)):
        columns, counts, names = board(session, filters=filters, count_cap=1000)
        cards = [card for cards in columns.values() for card in cards]
        assert {card.collectivity_id for card in cards} <= {world.own.id}, filters
        assert set(names) <= {world.own.id} and world.foreign.name not in names.values()
        assert world.foreign_irritant.id not in {card.id for card in cards}
        assert sum(counts.values()) == len(cards)  # the columns' counts do not count the other's cards either
    assert world.own_irritant.id in {card.id for cards in board(
        session, filters=BoardFilters(programme_id=world.programme.id))[0].values() for card in cards}


def test_one_statement_run_in_two_scopes_gives_each_its_own_rows(connection, world):
    # A statement built once per worker and scoped once per collectivity (hub.core.scoping._scoped): the copy
    # scoped for one référent is never the one another référent's session runs, nor the team's.
    statement = select(Irritant.collectivity_id).where(Irritant.programme_id == world.programme.id)
    seen = {}
    for reader, scope in (("own", Scope.collectivity(world.own.id)), ("foreign", Scope.collectivity(world.foreign.id)),
                          ("own again", Scope.collectivity(world.own.id)), ("team", Scope.all())):
        seen[reader] = set(session_on(connection, scope=scope).exec(statement))
    assert seen == {"own": {world.own.id}, "foreign": {world.foreign.id}, "own again": {world.own.id},
                    "team": {world.own.id, world.foreign.id}}
