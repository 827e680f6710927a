"""A board's cards are rendered once per worker for what they show (irritants.board_cards), never stale."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from hub.core import fragments
from irritants.models import Irritant
from tests.conftest import reading_in

BOARDS = {"facilitator": "/programmes/{slug}/tableau", "participant": "/mon-tableau"}


def _cards(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return "".join(re.findall(r'<li class="board-card">.*?</li>', page, re.S))


@pytest.mark.parametrize("role", sorted(BOARDS))
def test_a_kept_card_is_the_card_rendered_afresh(client_as, world, db, role):
    url = BOARDS[role].format(slug=world.programme.slug)
    client = client_as(role)
    first = _cards(client, url)
    assert world.own_irritant.title.replace("'", "&#39;") in first
    kept = _cards(client, url)
    fragments.forget_all()
    assert kept == first == _cards(client, url)


@pytest.mark.parametrize("role", sorted(BOARDS))
def test_a_card_shows_its_new_values_at_the_next_view(client_as, world, db, role):
    url = BOARDS[role].format(slug=world.programme.slug)
    client = client_as(role)
    assert "Arrêtés introuvables" not in _cards(client, url)
    irritant = db.exec(select(Irritant).where(Irritant.id == world.own_irritant.id)).one()
    irritant.title, irritant.hours_per_year, irritant.recommended_family = "Arrêtés introuvables", 1321.4, "formation"
    db.commit()
    cards = _cards(client, url)
    assert "Arrêtés introuvables" in cards and "1\u202f321 h/an" in cards and "Recommandation : Formation" in cards


def test_the_team_board_names_a_renamed_collectivity_at_the_next_view(client_as, world, db):
    url = BOARDS["facilitator"].format(slug=world.programme.slug)
    client = client_as("facilitator")
    assert f"{world.own.name} · " in _cards(client, url)
    world.own.name = "Chéroy-sur-Lunain"
    db.commit()
    assert "Chéroy-sur-Lunain · " in _cards(client, url)


def test_each_reader_gets_the_cards_in_their_language(client_as, world, db):
    # Scored cards carry no note, whose words would differ anyway: only the language tells the two cards apart.
    for irritant in (world.own_irritant, world.foreign_irritant):
        irritant.status = "scored"
    db.commit()
    url = BOARDS["facilitator"].format(slug=world.programme.slug)
    french = client_as("facilitator")
    assert " h/an" in _cards(french, url)
    cards = _cards(reading_in(client_as("facilitator"), "en"), url)
    assert " h/year" in cards and " h/an" not in cards
    assert " h/an" in _cards(french, url)


def test_a_card_s_note_follows_the_irritant_s_evidence_at_the_next_view(client_as, world, db):
    # The note under an identified card is worked out once per worker for its figures: new figures, a new note.
    url = BOARDS["participant"]
    client = client_as("participant")
    irritant = db.exec(select(Irritant).where(Irritant.id == world.own_irritant.id)).one()
    irritant.status, irritant.evidence_level = "identified", 0
    db.commit()
    assert "Le besoin n&#39;est pas encore assez établi" in _cards(client, url)
    irritant.evidence_level = 3
    db.commit()
    assert "Le besoin n&#39;est pas encore assez établi" not in _cards(client, url)
