"""The header of every page is rendered once per worker for what it shows (hub.app.site_header): never stale,
the current page marked, in the reader's language, and each reader's logout form carries that reader's token."""

from __future__ import annotations

import re

from hub.core import fragments
from hub.core.notifications import Notification
from tests.conftest import logged_in, reading_in

LOGOUT_TOKEN = re.compile(r'action="/deconnexion"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def _header(client, url: str = "/irritants") -> str:
    page = client.get(url).get_data(as_text=True)
    return page[page.index('<header class="container site-header">'):page.index("</header>")]


def _without_token(header: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="…"', header)


def test_a_kept_header_carries_each_reader_s_own_token_and_their_logout_is_accepted(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    first, second = logged_in(app, world.users["facilitator"]), logged_in(app, world.users["facilitator"])
    first_token = LOGOUT_TOKEN.search(_header(first)).group(1)
    second_token = LOGOUT_TOKEN.search(_header(second)).group(1)  # the header the first reader's view kept
    assert second_token != first_token
    assert second.post("/deconnexion", data={"csrf_token": second_token}).status_code == 302
    assert second.get("/irritants").status_code == 302  # logged out: the token was the session's own


def test_a_kept_header_is_the_header_rendered_afresh(client_as, world):
    client = client_as("facilitator")
    first = _without_token(_header(client))
    assert "Se déconnecter" in first
    kept = _without_token(_header(client))
    fragments.forget_all()
    assert kept == first == _without_token(_header(client))


def test_the_header_shows_a_new_notification_and_a_new_name_at_the_next_view(client_as, world, db):
    client = client_as("participant")
    assert "non lue" not in _header(client, "/mon-tableau")
    referent = world.users["participant"]
    db.add(Notification(user_id=referent.id, kind="status", target_type="irritant",
                        target_id=world.own_irritant.id, programme_id=world.programme.id))
    db.commit()
    assert "1 non lue" in _header(client, "/mon-tableau")
    referent.full_name = "Claire Bonnot"
    db.commit()
    assert "Claire Bonnot" in _header(client, "/mon-tableau")


def test_the_header_marks_the_notifications_link_on_the_notifications_page_only(client_as, world):
    client = client_as("facilitator")
    current = re.compile(r'class="notifications-link" aria-current="page"')
    assert not current.search(_header(client, "/irritants"))
    assert current.search(_header(client, "/notifications"))
    assert not current.search(_header(client, "/irritants"))


def test_each_reader_gets_the_header_in_their_language(client_as, world):
    french = client_as("facilitator")
    assert "Se déconnecter" in _header(french)
    english = _header(reading_in(client_as("facilitator"), "en"))
    assert "Log out" in english and "Se déconnecter" not in english
    assert "Se déconnecter" in _header(french)
