"""The tool's use: seats, months entered or imported (all or nothing, idempotent), adoption on screen."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from participants.models import ToolSeat, UsageMonth
from tests.participants.support import (
    USAGE_HEADER,
    confirm_usage,
    enter_month,
    preview_usage,
    reload,
    usage_months,
)

FIGURES = ("collectivity_id", "month", "active_users", "requests")


def test_a_good_file_imports_and_the_same_file_again_changes_nothing(client_as, world, db):
    content = (USAGE_HEADER + f"{world.own.slug};2024-11;7;150;redaction:100|resume:50\n"
               f"{world.foreign.slug};2024-10;9;200;\n").encode("utf-8")
    client = client_as("facilitator")
    page = preview_usage(client, world, content).get_data(as_text=True)
    assert "Nouveau mois" in page and "Remplace le mois enregistré" in page  # Lormes had 6 users in October
    assert confirm_usage(client, world, page).status_code == 302
    after_first = usage_months(db, world, *FIGURES)
    assert (world.own.id, date(2024, 11, 1), 7, 150) in after_first
    assert (world.foreign.id, date(2024, 10, 1), 9, 200) in after_first
    november = db.exec(select(UsageMonth).where(UsageMonth.month == date(2024, 11, 1))).one()
    assert november.use_cases == {"redaction": 100, "resume": 50} and november.source == "imported"
    again = preview_usage(client, world, content).get_data(as_text=True)
    assert again.count("Déjà enregistré à l&#39;identique") == 2 or again.count("Déjà enregistré à l'identique") == 2
    assert "Rien de nouveau à importer." in again
    assert usage_months(db, world, *FIGURES) == after_first


def test_a_mixed_file_names_each_error_and_writes_only_valid_rows(client_as, world, db):
    content = (USAGE_HEADER + f"{world.own.slug};2024-12;5;80;\n"
               "inconnue;2024-12;5;80;\n"
               f"{world.own.slug};décembre;5;80;\n"
               f"{world.own.slug};2025-01;cinq;80;\n"
               f"{world.own.slug};2024-12;6;90;\n"
               f"{world.own.slug};2025-02;5;80;redaction=3\n").encode("utf-8")
    client = client_as("facilitator")
    page = preview_usage(client, world, content).get_data(as_text=True)
    assert "Collectivité inconnue dans ce programme" in page
    assert "Mois illisible" in page
    assert "nombres entiers positifs" in page
    assert "figure déjà plus haut dans le fichier" in page
    assert "Cas d&#39;usage illisible" in page or "Cas d'usage illisible" in page
    confirm_usage(client, world, page)
    written = [m for m in usage_months(db, world, *FIGURES) if m[1] >= date(2024, 12, 1)]
    assert written == [(world.own.id, date(2024, 12, 1), 5, 80)]


def test_a_file_in_an_unreadable_encoding_is_refused(client_as, world, db):
    response = preview_usage(client_as("facilitator"), world, USAGE_HEADER.encode() + b"\x81\x8d;2024-10;1;1;\n")
    assert response.status_code == 422 and "Encodage non reconnu" in response.get_data(as_text=True)


def test_adoption_is_active_users_over_seats_and_a_month_without_seats_has_none(client_as, world, db):
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/usages").get_data(as_text=True)
    # 6 active users for 10 seats in October 2024, in each collectivity.
    assert "60" in page and "6/10" in page
    assert "alt=\"Adoption du programme par mois : 2024-10 60.0 %" in page


def test_a_referent_enters_their_month_and_the_team_validates_it(client_as, world, db):
    client = client_as("participant")
    response = enter_month(client, world, month="2024-11", users="4", requests="50")
    assert response.status_code == 302
    row = db.exec(select(UsageMonth).where(UsageMonth.month == date(2024, 11, 1))).one()
    assert row.validated is False and row.collectivity_id == world.own.id
    page = client.get(f"/programmes/{world.programme.slug}/usages").get_data(as_text=True)
    assert "Lormes" not in page  # another collectivity's figures never show
    assert client_as("facilitator").post(f"/usages/{row.id}/validation").status_code == 302
    assert reload(db, row).validated is True


def test_a_month_must_be_readable(client_as, world):
    response = enter_month(client_as("facilitator"), world, month="novembre", users="4", requests="50")
    assert response.status_code == 422 and "Mois illisible" in response.get_data(as_text=True)
    assert 'value="novembre"' in response.get_data(as_text=True)


def test_the_team_grants_seats(client_as, world, db):
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/usages/droits",
                                             data={"collectivity_id": world.own.id, "seats": "5",
                                                   "granted_on": "01/12/2024"})
    assert response.status_code == 302
    assert db.exec(select(ToolSeat).where(ToolSeat.granted_on == date(2024, 12, 1))).one().seats == 5


def test_withdrawn_seats_stop_counting_from_the_month_after(client_as, world, db):
    client = client_as("facilitator")
    assert client.post(f"/droits/{world.own_grant.id}/retrait", data={"withdrawn_on": "01/11/2024"}).status_code == 302
    assert reload(db, world.own_grant).withdrawn_on == date(2024, 11, 1)
    refused = client.post(f"/droits/{world.foreign_grant.id}/retrait", data={"withdrawn_on": "01/01/2020"},
                          follow_redirects=True)
    assert "ne peut pas précéder l&#39;attribution" in refused.get_data(as_text=True) or \
        "ne peut pas précéder l'attribution" in refused.get_data(as_text=True)


def test_an_oversize_cell_is_refused_in_french_instead_of_a_server_error(client_as, world, db):
    content = (USAGE_HEADER + f"{world.own.slug};2024-10;1;1;" + "redaction:1|" * 20_000 + "\n").encode("utf-8")
    response = preview_usage(client_as("facilitator"), world, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ligne 2 : une cellule dépasse" in page and "caractères" in page
