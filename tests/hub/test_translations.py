"""French by default, English complete: every extracted string has its English translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from sqlmodel import select

from hub.core.models import AuditEntry
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "hub" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_interface_string_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(template), "hub", "participants", "workshops", "irritants", "exports"],
                   cwd=ROOT, check=True)
    extracted = _ids(read_po(template.open("rb")))
    english = read_po(ENGLISH.open("rb"))
    missing = extracted - _ids(english)
    assert not missing, f"chaînes absentes du catalogue anglais (make translations-update) : {sorted(missing)[:10]}"
    empty = [m.id for m in english if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not empty, f"chaînes sans traduction anglaise : {empty[:10]}"


def test_french_by_default_and_english_on_request(client_as):
    client = client_as("participant")
    page = client.get("/mon-tableau").get_data(as_text=True)
    assert '<html lang="fr"' in page and "Tableau des irritants" in page
    client.post("/langue", data={"lang": "en", "next": "/mon-tableau"})
    page = client.get("/mon-tableau").get_data(as_text=True)
    assert '<html lang="en"' in page and "Pain-point board" in page and "Log out" in page
    assert "Tableau des irritants" not in page


def test_coded_values_are_named_in_the_reader_s_language_in_pages_and_menus(client_as, world):
    # label() reads the catalogue directly, the forms' menus through lazy strings: both must follow the language.
    client = client_as("facilitator")
    client.post("/langue", data={"lang": "en", "next": "/"})
    page = client.get(f"/collectivites?programme={world.programme.slug}").get_data(as_text=True)
    assert '<option value="syndicat_mixte">Joint syndicate</option>' in page  # the filter's menu
    assert "Syndicat mixte" not in page
    board = client.get(f"/programmes/{world.programme.slug}/tableau").get_data(as_text=True)
    assert "Identified" in board and "Identifiés" not in board  # a column named by label()


def test_numbers_and_dates_follow_the_language(client_as, world):
    client = client_as("facilitator")
    page = client.get(f"/programmes/{world.programme.slug}").get_data(as_text=True)
    assert "12 avril 2024" in page
    client.post("/langue", data={"lang": "en"})
    page = client.get(f"/programmes/{world.programme.slug}").get_data(as_text=True)
    assert "April 12, 2024" in page or "12 April 2024" in page


def _log_in(client, user):
    return client.post("/connexion", data={"email": user.email, "password": PASSWORD})


def test_the_language_chosen_is_kept_on_the_account_from_one_session_to_the_next(app, client_as, world, db):
    referent = world.users["participant"]
    client_as("participant").post("/langue", data={"lang": "en", "next": "/mon-tableau"})
    db.refresh(referent)
    assert referent.language == "en"
    logged = db.exec(select(AuditEntry).where(AuditEntry.table_name == "user_account",
                                              AuditEntry.row_id == referent.id)).all()
    assert any(entry.changes.get("language") == [None, "en"] for entry in logged)

    another_device = app.test_client()
    assert '<html lang="fr"' in another_device.get("/connexion").get_data(as_text=True)
    _log_in(another_device, referent)
    page = another_device.get("/mon-tableau").get_data(as_text=True)
    assert '<html lang="en"' in page and "Pain-point board" in page


def test_a_language_chosen_before_logging_in_becomes_the_account_s(app, world, db):
    facilitator = world.users["facilitator"]
    client = app.test_client()
    client.post("/langue", data={"lang": "en", "next": "/connexion"})
    assert "Log in" in client.get("/connexion").get_data(as_text=True)
    _log_in(client, facilitator)
    db.refresh(facilitator)
    assert facilitator.language == "en"
    client.post("/deconnexion")
    assert '<html lang="en"' in client.get("/connexion").get_data(as_text=True)


def test_amounts_and_shares_are_written_as_each_language_writes_them(app):
    from flask_babel import force_locale

    from hub.core.i18n import euros, number, percent

    with app.test_request_context():
        with force_locale("fr"):
            written = (euros(14700.4), percent(0.25), number(1234.5, 1))
            assert written == ("14\u202f700\u00a0€", "25\u00a0%", "1\u202f234,5")
        with force_locale("en"):
            assert (euros(14700.4), percent(0.25), number(1234.5, 1)) == ("€14,700", "25%", "1,234.5")
    # Outside a request (a command, the report's worker thread): French.
    assert euros(14700) == "14\u202f700\u00a0€"
