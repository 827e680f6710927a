"""A board's cards rendered once per worker for the values they show, instead of on every view.

A national board shows 70 cards, a collectivity's up to 175; rendering them (translations, number formatting,
escaping) was a third of the page (pyinstrument). A card's HTML is a function of what it shows: the irritant's id,
title, service, hours and recommended family, the note under it, its collectivity's name, the reader's language and
the site's prefix. All of it is the memo's key, so a changed card is a new key, never a stale card.
"""

from __future__ import annotations

from flask import get_template_attribute, request
from markupsafe import Markup

from hub.core.i18n import say
from hub.core.translations import current_locale, locale_key

RENDERED_AT_MOST = 10_000  # a bound, not an LRU: about 5 MB of HTML per worker
_rendered: dict[tuple, Markup] = {}


def rendered_cards(columns: dict[str, list], notes: dict, names: dict[int, str] | None) -> dict[int, Markup]:
    """Each card's HTML by irritant id; ``names`` the collectivities' names when the board shows them."""
    locale = current_locale()
    language = locale_key(locale) if locale is not None else None
    card = None
    html = {}
    for cards in columns.values():
        for irritant in cards:
            note = notes.get(irritant.id)
            said = say(note) if note else None
            name = None if names is None else names.get(irritant.collectivity_id, "")
            # The card's link is link_prefix()'s (hub.app.navigation), which only the site's prefix changes.
            key = (language, request.script_root, irritant.id, irritant.title, irritant.service,
                   irritant.hours_per_year, irritant.recommended_family, said, name)
            found = _rendered.get(key)
            if found is None:
                card = card or get_template_attribute("irritants/_board_card.html", "card")
                found = card(irritant, name, said)
                if len(_rendered) >= RENDERED_AT_MOST:
                    _rendered.clear()
                _rendered[key] = found
            html[irritant.id] = found
    return html


def forget_all() -> None:
    """Drop every rendered card (tests: a template change, or a reader's language, checked from scratch)."""
    _rendered.clear()
