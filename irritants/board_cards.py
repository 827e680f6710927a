"""A board's cards rendered once per worker for the values they show, instead of on every view (hub.core.fragments).

A national board shows 70 cards, a collectivity's up to 175; rendering them was a third of the page (pyinstrument).
A card shows the irritant's id, title, service, hours and recommended family, the note under it and its
collectivity's name: all of it is the memo's key, with the reader's language and the site's prefix.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from hub.core.fragments import Fragments, reader_key
from hub.core.i18n import say

_cards = Fragments(at_most=10_000)  # about 5 MB of HTML per worker


def rendered_cards(columns: dict[str, list], notes: dict, names: dict[int, str] | None) -> dict[int, Markup]:
    """Each card's HTML by irritant id; ``names`` the collectivities' names when the board shows them."""
    html, reader = {}, reader_key()
    for cards in columns.values():
        for irritant in cards:
            note = notes.get(irritant.id)
            name = None if names is None else names.get(irritant.collectivity_id, "")
            # The card's link is link_prefix()'s (hub.app.navigation), which only the site's prefix changes. The
            # note is in the key as a reason (irritants.answers), worded in the reader's language on a miss only.
            shown = (irritant.id, irritant.title, irritant.service, irritant.hours_per_year,
                     irritant.recommended_family, note, name)
            html[irritant.id] = _cards.get(shown, lambda card=irritant, name=name, note=note: _card_macro()(
                card, name, say(note) if note else None), reader)
    return html


def _card_macro():
    return get_template_attribute("irritants/_board_card.html", "card")
