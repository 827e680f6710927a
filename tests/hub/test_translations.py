"""French by default, English complete: every extracted string has its English translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

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


def test_numbers_and_dates_follow_the_language(client_as, world):
    client = client_as("facilitator")
    page = client.get(f"/programmes/{world.programme.slug}").get_data(as_text=True)
    assert "12 avril 2024" in page
    client.post("/langue", data={"lang": "en"})
    page = client.get(f"/programmes/{world.programme.slug}").get_data(as_text=True)
    assert "April 12, 2024" in page or "12 April 2024" in page
