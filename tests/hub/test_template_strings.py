"""No template holds text a reader sees that gettext cannot translate.

Every template is parsed with Jinja; the literal HTML between its tags (``TemplateData``) must carry no words,
in text or in the attributes people read (``alt``, ``title``, ``placeholder``, ``aria-label``…). Words belong in
``{{ _("…") }}``. A few tokens read the same in every language and are listed below with the reason.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "participants", "workshops", "irritants", "exports")
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription",
                   "aria-valuetext", "label", "value"}
WORD = re.compile(r"[^\W\d_]{2,}")

# Tokens that are the same in French and English, by template, with why.
INVARIANT = {
    # File formats, named as such in both languages.
    "exports/templates/exports/_export_links.html": {"CSV", "XLSX", "JSON"},
    "exports/templates/exports/versions.html": {"SHA-256"},
    # Units of measure.
    "exports/templates/exports/sections/method.html": {"Wh", "g CO2e"},
    "irritants/templates/irritants/detail.html": {"kWh", "kg CO2e"},
    # The language switch names each language in its own language (with lang="…"), and the option values are codes.
    "hub/templates/base.html": {"Français", "English", "fr", "en", "width=device-width, initial-scale=1"},
    # The CSV import's column names are part of the file format, not prose.
    "participants/templates/participants/import.html": {
        "nom", "type", "type_epci", "departement", "siren", "population", "contact_nom", "contact_email"},
}


class _ReadableText(HTMLParser):
    """Collects the words a reader meets in a piece of literal HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        for name, value in attrs:
            if (name in READ_ATTRIBUTES or name.startswith("data-text")) and value and WORD.search(value):
                self.found.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and WORD.search(data):
            self.found.append(data.strip())


def untranslated(source: str) -> list[str]:
    """The literal words of a template that are not inside a gettext call."""
    tree = Environment(extensions=["jinja2.ext.i18n"]).parse(source)
    reader = _ReadableText()
    for node in tree.find_all(nodes.TemplateData):
        reader.feed(node.data)
    reader.close()
    return reader.found


def _templates() -> list[Path]:
    # Nested too: the composition root's packages (hub/app/<package>/templates/) keep their own templates.
    return sorted(path for package in PACKAGES for path in (ROOT / package).glob("**/templates/**/*.html"))


def test_the_check_catches_text_and_attributes_outside_gettext():
    assert untranslated('<p>Bonjour</p><img alt="Logo" src="x.png">') == ["Bonjour", "Logo"]
    assert untranslated('<p>{{ _("Bonjour") }}</p><img alt="{{ _(\'Logo\') }}" src="x.png"> 12 — ·') == []
    assert untranslated("{% trans %}Bonjour{% endtrans %}") == []
    assert untranslated("<style>body { color: red }</style><p>{{ value }}</p>") == []


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_holds_an_untranslated_string(template):
    allowed = INVARIANT.get(str(template.relative_to(ROOT)), set())
    left = [text for text in untranslated(template.read_text(encoding="utf-8")) if text not in allowed]
    assert not left, f"{template.relative_to(ROOT)} : texte hors de _() — {left}"


def test_templates_are_found():
    assert len(_templates()) > 40
