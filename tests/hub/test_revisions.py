"""What a programme's pages keep per worker (hub.core.revisions) follows every write, whoever writes.

The database moves the programme's counters itself (the triggers of migrations 0020 and 0022): a write made with a
plain SQL statement, which no application listener sees, moves them as an ORM write does. A page viewed after any
such write shows it: themes and services in the filter menus, the scoring parameters in the answers, the selection's
grid and the register it offers candidacies from.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from hub.core import programmes, revisions
from hub.core.models import Programme, ProgrammeTheme
from hub.core.scoping import Scope
from irritants import answers
from participants.models import Collectivity, Enrolment
from tests import factories
from tests.conftest import session_on
from tests.sql_statements import statements_run
from workshops import service_list


def _counters(connection, programme_id: int) -> tuple[int, int]:
    return tuple(connection.execute(sa.text(
        "SELECT settings_revision, selection_revision FROM programme WHERE id = :id"), {"id": programme_id}).one())


_REGISTER_COPIED = [column.name for column in Collectivity.__table__.columns if column.name != "id"]
# Each write, as plain SQL on the test's connection, and which counter it must move (settings, selection).
WRITES = {
    "theme added": ("INSERT INTO programme_theme (programme_id, code, label) VALUES (:p, 'nouveau', 'Nouveau')",
                    (1, 0)),
    "theme renamed": ("UPDATE programme_theme SET label = 'Autre' WHERE programme_id = :p AND code = 'rh'", (1, 0)),
    "theme removed": ("DELETE FROM programme_theme WHERE programme_id = :p AND code = 'rh'", (1, 0)),
    "service added": ("INSERT INTO programme_service (programme_id, name, folded) VALUES (:p, 'Piscine', 'piscine')",
                      (1, 0)),
    "service renamed": ("UPDATE programme_service SET name = 'Accueil général' "
                        "WHERE programme_id = :p AND folded = 'accueil'", (1, 0)),
    "parameters saved": ("INSERT INTO scoring_parameters (programme_id, version, \"values\", note, created_at) "
                         "VALUES (:p, 1, '{\"margin\": 1.5}', '', CURRENT_TIMESTAMP)", (1, 0)),
    "score given": ("UPDATE enrolment SET motivation_score = 4 WHERE programme_id = :p", (0, 1)),
    "candidacy withdrawn": ("DELETE FROM enrolment WHERE programme_id = :p AND collectivity_id = :c", (0, 1)),
    "collectivity renamed": ("UPDATE collectivity SET name = 'Chéroy-le-Neuf' WHERE id = :c", (0, 1)),
    "population corrected": ("UPDATE collectivity SET population = 1234 WHERE id = :c", (0, 1)),
    "département corrected": ("UPDATE collectivity SET departement_code = '21' WHERE id = :c", (0, 1)),
    "kind corrected": ("UPDATE collectivity SET kind = 'epci' WHERE id = :c", (0, 1)),
    # The register the grid offers candidacies from (migration 0022): every programme's selection moves.
    "collectivity added": (f"INSERT INTO collectivity ({', '.join(_REGISTER_COPIED)}) SELECT "
                           f"{', '.join('name || slug' if c in ('name', 'slug') else c for c in _REGISTER_COPIED)} "
                           "FROM collectivity WHERE id = :loose", (0, 1)),
    "collectivity removed": ("DELETE FROM collectivity WHERE id = :loose", (0, 1)),
    "unenrolled collectivity renamed": ("UPDATE collectivity SET name = 'Vézelay-Asquins' WHERE id = :loose",
                                        (0, 1)),
    # Not weighed by the selection: the counters stay, and the grid is not weighed again for nothing.
    "contact changed": ("UPDATE collectivity SET contact_name = 'Mme Martin' WHERE id = :c", (0, 0)),
    "irritant added": ("UPDATE irritant SET title = 'Autre titre' WHERE programme_id = :p", (0, 0)),
}


@pytest.mark.parametrize("write", WRITES)
def test_the_database_moves_the_counter_of_each_write_whoever_writes(connection, world, db, write):
    loose = factories.collectivity(db)  # in the register, in no programme, pointed to by nothing
    db.commit()
    statement, (settings_moves, selection_moves) = WRITES[write]
    before = _counters(connection, world.programme.id)
    connection.execute(sa.text(statement), {"p": world.programme.id, "c": world.own.id, "loose": loose.id})
    after = _counters(connection, world.programme.id)
    assert (after[0] > before[0], after[1] > before[1]) == (bool(settings_moves), bool(selection_moves))


def test_an_enrolled_collectivity_s_change_moves_every_programme_it_is_enrolled_in_and_no_other(connection, db):
    first, second, elsewhere = (factories.programme(db) for _ in range(3))
    shared = factories.collectivity(db, first)
    db.add(Enrolment(programme_id=second.id, collectivity_id=shared.id, applied_on=date(2024, 2, 1)))
    db.commit()
    before = {p.id: _counters(connection, p.id)[1] for p in (first, second, elsewhere)}
    connection.execute(sa.text("UPDATE collectivity SET population = 99 WHERE id = :c"), {"c": shared.id})
    after = {p.id: _counters(connection, p.id)[1] for p in (first, second, elsewhere)}
    assert (after[first.id] - before[first.id], after[second.id] - before[second.id],
            after[elsewhere.id] - before[elsewhere.id]) == (1, 1, 0)


def test_a_value_is_computed_once_while_its_counter_stands_and_again_once_it_moves(connection, world, db):
    db.commit()
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    def ask():
        return revisions.kept(db, world.programme.id, "settings_revision", "test", compute)

    assert (ask(), ask()) == (1, 1)  # the second is what the first kept
    connection.execute(sa.text("UPDATE programme_theme SET label = 'Autre' WHERE programme_id = :p"),
                       {"p": world.programme.id})
    db.expire_all()  # a new request's session reads the programme again
    assert ask() == 2


def test_a_session_that_has_written_neither_reads_nor_keeps(world, db):
    db.commit()
    assert programmes.themes(db, world.programme.id)["rh"] == "Questions RH"  # kept as committed
    db.add(ProgrammeTheme(programme_id=world.programme.id, code="piscine", label="Piscine"))
    db.flush()
    assert "piscine" in programmes.themes(db, world.programme.id)  # its own write, not what was kept
    db.rollback()
    assert "piscine" not in programmes.themes(db, world.programme.id)  # what it saw was never kept


def test_a_session_reads_its_own_committed_write_at_once(world, db):
    db.commit()
    assert "Piscine" not in service_list.names(db, world.programme.id)
    service_list.add(db, programme_id=world.programme.id, name="Piscine")
    db.commit()
    # expire_on_commit is off: the programme in the session would keep its old counter without the listener
    # that expires it after a commit.
    assert "Piscine" in service_list.names(db, world.programme.id)


def test_the_scoring_parameters_kept_are_a_copy_the_caller_may_change(world, db):
    db.commit()
    _version, values = answers.parameters(db, programme_id=world.programme.id)
    values["margin"] = -1
    assert answers.parameters(db, programme_id=world.programme.id)[1]["margin"] != -1


def test_the_filter_menus_show_a_theme_and_a_service_added_by_another_writer(connection, client_as, world, db):
    db.commit()
    client = client_as("facilitator")
    board = f"/programmes/{world.programme.slug}/tableau"
    assert "Médiathèque" not in client.get(board).get_data(as_text=True)
    connection.execute(sa.text("INSERT INTO programme_theme (programme_id, code, label) "
                               "VALUES (:p, 'lecture', 'Lecture publique')"), {"p": world.programme.id})
    connection.execute(sa.text("INSERT INTO programme_service (programme_id, name, folded) "
                               "VALUES (:p, 'Médiathèque', 'mediatheque')"), {"p": world.programme.id})
    page = client.get(board).get_data(as_text=True)
    assert "Lecture publique" in page and "Médiathèque" in page


def test_the_grid_weighs_again_after_a_collectivity_is_corrected_by_another_writer(connection, client_as, world,
                                                                                   db):
    db.commit()
    client = client_as("facilitator")
    grid = f"/programmes/{world.programme.slug}/candidatures"
    assert "Chéroy" in client.get(grid).get_data(as_text=True)
    connection.execute(sa.text("UPDATE collectivity SET name = 'Chéroy-sur-Lunain' WHERE id = :c"),
                       {"c": world.own.id})
    assert "Chéroy-sur-Lunain" in client.get(grid).get_data(as_text=True)


def test_the_counters_are_not_written_by_the_application(world, db):
    # An ORM update of a programme writes only what changed: it must not put back a counter it read earlier.
    db.commit()
    programme = db.get(Programme, world.programme.id)
    settings = programme.settings_revision
    db.add(ProgrammeTheme(programme_id=programme.id, code="piscine", label="Piscine"))
    db.commit()
    programme.name = "Programme renommé"
    db.commit()
    db.expire_all()
    assert db.get(Programme, world.programme.id).settings_revision == settings + 1


def test_what_one_scope_computed_is_never_served_to_another(connection, world, db):
    db.commit()
    team = session_on(connection, scope=Scope.all())
    referent = session_on(connection, scope=Scope.collectivity(world.own.id))

    def enrolled(session):
        return revisions.kept(session, world.programme.id, "selection_revision", "enrolled", lambda: tuple(
            session.exec(select(Enrolment.collectivity_id).where(Enrolment.programme_id == world.programme.id))))

    assert set(enrolled(team)) == {world.own.id, world.foreign.id}
    assert set(enrolled(referent)) == {world.own.id}  # not the team's list, kept under the same counter
    assert set(enrolled(team)) == {world.own.id, world.foreign.id}  # nor the référent's


def test_the_irritant_list_s_collectivity_menu_follows_an_enrolment_and_a_rename(connection, client_as, world, db):
    db.commit()
    client = client_as("facilitator")
    url = f"/irritants?programme={world.programme.slug}"
    assert "Vézelay" not in client.get(url).get_data(as_text=True)
    newcomer = factories.collectivity(db, name="Vézelay", departement_code="89")
    db.add(Enrolment(programme_id=world.programme.id, collectivity_id=newcomer.id, applied_on=date(2024, 3, 1)))
    db.commit()
    assert "Vézelay" in client.get(url).get_data(as_text=True)
    connection.execute(sa.text("UPDATE collectivity SET name = 'Vézelay-Asquins' WHERE id = :c"), {"c": newcomer.id})
    assert "Vézelay-Asquins" in client.get(url).get_data(as_text=True)


def test_the_collectivity_list_counts_again_after_an_enrolment_changes(connection, client_as, world, db):
    db.commit()
    client = client_as("facilitator")
    url = f"/collectivites?programme={world.programme.slug}&status=enrolled"
    in_nievre = f"/collectivites?programme={world.programme.slug}&departement=58"
    assert "<p>1 collectivité" in client.get(in_nievre).get_data(as_text=True)
    assert "2 collectivités" in client.get(url).get_data(as_text=True)
    connection.execute(sa.text("UPDATE enrolment SET status = 'completed' WHERE collectivity_id = :c"),
                       {"c": world.own.id})
    assert "1 collectivité" in client.get(url).get_data(as_text=True)
    connection.execute(sa.text("UPDATE collectivity SET departement_code = '21' WHERE id = :c"),
                       {"c": world.foreign.id})
    assert "<p>0 collectivité" in client.get(in_nievre).get_data(as_text=True)  # Lormes moved to Côte-d'Or


def test_the_grid_s_candidacy_menu_follows_the_register_whoever_writes(connection, client_as, world, db):
    loose = factories.collectivity(db, name="Vézelay")  # in the register, not a candidate yet
    db.commit()
    client = client_as("facilitator")
    grid = f"/programmes/{world.programme.slug}/candidatures"
    assert ">Vézelay</option>" in client.get(grid).get_data(as_text=True)
    connection.execute(sa.text("UPDATE collectivity SET name = 'Vézelay-Asquins' WHERE id = :c"), {"c": loose.id})
    assert ">Vézelay-Asquins</option>" in client.get(grid).get_data(as_text=True)
    connection.execute(sa.text(WRITES["collectivity added"][0]), {"loose": loose.id})
    # The copy, named name || slug.
    assert f">Vézelay-Asquins{loose.slug}</option>" in client.get(grid).get_data(as_text=True)
    connection.execute(sa.text("DELETE FROM collectivity WHERE id = :c"), {"c": loose.id})
    assert ">Vézelay-Asquins</option>" not in client.get(grid).get_data(as_text=True)


def test_an_unchanged_grid_does_not_read_the_register_again(connection, client_as, world, db):
    db.commit()
    client = client_as("facilitator")
    grid = f"/programmes/{world.programme.slug}/candidatures"
    with statements_run(connection) as first:
        client.get(grid)
    with statements_run(connection) as second:
        client.get(grid)
    assert [s for s in first if "NOT IN" in s] and not [s for s in second if "NOT IN" in s]
