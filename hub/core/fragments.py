"""Pieces of a page rendered once per worker for the values they show, instead of on every view.

A board's 70 cards, a grid's 20 rows: rendering them (translations, number formatting, escaping) was a third to
two thirds of their pages (pyinstrument). A fragment's HTML is a function of what it shows, so the memo's key is
everything it shows, plus the reader's language and the site's prefix, which this module adds itself: a changed
value is a new key, never a stale fragment.

A fragment holding a form holds ``CSRF_SLOT`` where the token goes; ``Fragments.get`` puts the reader's token in
on the way out, so no one's token is ever kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hub.core.translations import current_locale, locale_key

# Where a kept form's CSRF token goes: characters a token (URL-safe base64 and dots) and HTML never hold.
CSRF_SLOT = "\x00csrf\x00"
_every_memo: list[Fragments] = []


class Fragments:
    """One kind of fragment (a board's card, a grid's row), kept per worker up to a bound."""

    def __init__(self, at_most: int) -> None:
        """A memo of at most ``at_most`` fragments: past the bound it starts again (a bound, not an LRU)."""
        self.at_most = at_most
        self._kept: dict[tuple, Markup] = {}
        _every_memo.append(self)

    def get(self, shown: Hashable, render: Callable[[], Markup], reader: tuple | None = None) -> Markup:
        """The fragment showing ``shown`` (everything ``render`` reads), rendered on the first ask in this
        language and under this prefix, with the reader's CSRF token where ``render`` wrote ``CSRF_SLOT``.

        ``reader``: ``reader_key()``, when the caller asks for many fragments in one request (read once for all).
        """
        key = (reader or reader_key(), shown)
        found = self._kept.get(key)
        if found is None:
            found = render()
            if len(self._kept) >= self.at_most:
                self._kept.clear()
            self._kept[key] = found
        if CSRF_SLOT in found:
            return Markup(str(found).replace(CSRF_SLOT, generate_csrf()))
        return found

    def clear(self) -> None:
        """Drop every fragment of this kind."""
        self._kept.clear()


def reader_key() -> tuple:
    """What of the request changes a fragment besides what it shows: the reader's language, the site's prefix."""
    locale = current_locale()
    return locale_key(locale) if locale is not None else None, request.script_root


def forget_all() -> None:
    """Drop every kept fragment of every kind (tests: a template change, or a reader's language, from scratch)."""
    for memo in _every_memo:
        memo.clear()
