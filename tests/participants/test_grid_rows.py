"""The selection grid's rows are rendered once per worker for what they show (participants.grid_rows): never
stale, in the reader's language, and each reader's forms carry that reader's own CSRF token."""

from __future__ import annotations

import re
from datetime import date

from hub.core import fragments
from participants.models import Enrolment
from tests import factories
from tests.conftest import logged_in, reading_in
from tests.hub.fuzz_support import post_forms

TOKEN = re.compile(r'name="s\d+-csrf_token" type="hidden" value="([^"]+)"')


def _candidacy(db, world, score: int | None = 2) -> Enrolment:
    candidate = factories.collectivity(db, name="Syndicat de la Loue", kind="syndicat_mixte", departement_code="25")
    enrolment = Enrolment(programme_id=world.programme.id, collectivity_id=candidate.id, applied_on=date(2024, 2, 1),
                          motivation_score=score, motivation="Courriers en retard")
    db.add(enrolment)
    db.commit()
    return enrolment


def _rows(client, world, query: str = "") -> str:
    page = client.get(f"/programmes/{world.programme.slug}/candidatures{query}").get_data(as_text=True)
    return page[page.index("<tbody>"):page.index("</tbody>")]


def _without_tokens(rows: str) -> str:
    # A token holds the second it was signed: two views a second apart differ there and only there.
    return re.sub(r'(csrf_token" type="hidden" value=")[^"]+"', r'\1…"', rows)


def test_a_kept_row_carries_each_reader_s_own_token_and_their_post_is_accepted(make_app, world, db):
    enrolment = _candidacy(db, world)
    app = make_app(WTF_CSRF_ENABLED=True)
    first, second = logged_in(app, world.users["facilitator"]), logged_in(app, world.users["admin"])
    first_tokens = TOKEN.findall(_rows(first, world))
    url = f"http://localhost/programmes/{world.programme.slug}/candidatures"
    page = second.get(url).get_data(as_text=True)  # the rows the first reader's view kept
    assert TOKEN.findall(page) and set(TOKEN.findall(page)).isdisjoint(first_tokens)
    score = next(form for form in post_forms(page, url) if form.action.endswith(f"/{enrolment.id}/note"))
    assert second.post(score.action, data={**score.baseline(), f"s{enrolment.id}-score": "4"}).status_code == 302
    db.refresh(enrolment)
    assert enrolment.motivation_score == 4


def test_a_kept_row_is_the_row_rendered_afresh(client_as, world, db):
    _candidacy(db, world)
    client = client_as("facilitator")
    first = _without_tokens(_rows(client, world))
    assert "Syndicat de la Loue" in first
    assert first.count('csrf_token" type="hidden" value="…"') == 2 * first.count("<tr>")  # two forms a row
    kept = _without_tokens(_rows(client, world))
    fragments.forget_all()
    assert kept == first == _without_tokens(_rows(client, world))


def test_a_row_shows_its_new_values_at_the_next_view(client_as, world, db):
    enrolment = _candidacy(db, world)
    client = client_as("facilitator")
    assert 'value="2"' in _rows(client, world)
    enrolment.motivation_score, enrolment.motivation = 5, "Standard saturé le lundi"
    collectivity = db.get(type(world.own), enrolment.collectivity_id)
    collectivity.name, collectivity.population = "Syndicat des eaux de la Loue", 12_480
    db.commit()
    rows = _rows(client, world)
    assert 'value="5"' in rows and "Standard saturé le lundi" in rows
    assert "Syndicat des eaux de la Loue" in rows and "12\u202f480 habitants" in rows


def test_the_status_form_comes_back_to_the_grid_page_it_was_posted_from(client_as, world, db):
    enrolment = _candidacy(db, world)
    client = client_as("facilitator")
    back = re.compile(rf'name="e{enrolment.id}-back" value="([^"]+)"')
    assert back.search(_rows(client, world)).group(1).endswith("/candidatures?")
    assert back.search(_rows(client, world, "?places=3")).group(1).endswith("/candidatures?places=3")


def test_each_reader_gets_the_rows_in_their_language(client_as, world, db):
    _candidacy(db, world)
    french = client_as("facilitator")
    assert "Syndicat mixte" in _rows(french, world)
    rows = _rows(reading_in(client_as("facilitator"), "en"), world)
    assert "Score out of 5" in rows and "Note sur 5" not in rows
    assert "Note sur 5" in _rows(french, world)


def _names_in_order(rows: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', rows)


def test_the_grid_reads_status_then_name_and_a_renamed_collectivity_moves_at_the_next_view(client_as, world, db):
    _candidacy(db, world)  # a candidacy: before the engaged ones (« candidacy » < « enrolled »)
    client = client_as("facilitator")
    assert _names_in_order(_rows(client, world)) == ["Syndicat de la Loue", "Chéroy", "Lormes"]
    world.foreign.name = "Avallon"
    db.commit()
    assert _names_in_order(_rows(client, world)) == ["Syndicat de la Loue", "Avallon", "Chéroy"]
    # A page past the last shows the last, as every list does.
    assert _names_in_order(_rows(client, world, "?page=999")) == ["Syndicat de la Loue", "Avallon", "Chéroy"]
