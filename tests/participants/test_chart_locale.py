"""Charts speak the reader's language: French months and numbers on a French page, English on an English one."""

from __future__ import annotations

import re

import vl_convert

from hub.core import charts

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FRENCH_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
                 "janvier", "février", "avril", "juillet", "septembre", "octobre", "novembre", "décembre")


def _adoption_chart_texts(client, world, monkeypatch) -> list[str]:
    """The adoption chart's texts as the page draws it: the page's PNG call, redrawn as SVG with the same locale."""
    drawn = []

    def as_svg(spec, scale=1, **options):
        drawn.append(vl_convert.vegalite_to_svg(spec, **options))
        return b"png"

    monkeypatch.setattr(charts.vl_convert, "vegalite_to_png", as_svg)
    assert client.get(f"/programmes/{world.programme.slug}/usages").status_code == 200
    assert len(drawn) == 1
    return re.findall(r"<text[^>]*>([^<]*)</text>", drawn[0])


def test_the_adoption_chart_of_a_french_page_names_months_in_french(client_as, world, monkeypatch):
    texts = _adoption_chart_texts(client_as("steering"), world, monkeypatch)
    assert any(text.startswith(FRENCH_MONTHS) for text in texts), texts
    assert not any(re.search(rf"\b{month}\b", text) for text in texts for month in ENGLISH_MONTHS), texts


def test_the_adoption_chart_of_an_english_page_keeps_english(client_as, world, monkeypatch):
    client = client_as("steering")
    client.post("/langue", data={"lang": "en", "next": "/"})
    texts = _adoption_chart_texts(client, world, monkeypatch)
    assert any(text.startswith(ENGLISH_MONTHS) for text in texts), texts


def test_a_chart_s_numbers_use_french_separators_outside_a_request():
    spec = charts.bar_chart([{"c": "a", "v": 12000}], category="c", value="v", category_title="c", value_title="v")
    spec["encoding"]["x"]["axis"]["format"] = ",d"  # grouped thousands: the separator is the locale's
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", charts.svg(spec))
    assert "12\xa0000" in texts and "12,000" not in texts
