"""The request's locale and catalogue, read in a few microseconds.

flask_babel finds them again on every call (its context on ``g``, the locale, then its cache), about 50 µs: a
board of 300 cards asks a thousand times. Here the locale flask_babel settled for the request (or that
``force_locale`` set, for a mail in its recipient's language) is read straight from that context, and the
catalogue comes from a dictionary by locale; the first call of a request, or a call outside one, goes through
flask_babel itself.
"""

from __future__ import annotations

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import g
from flask_babel import get_locale, get_translations

# Every app of the process reads the same catalogues (hub/translations), so one dictionary serves them all; keyed
# by the locale's identifier, since comparing two babel Locale objects walks a dozen attributes.
_CATALOGUES: dict[tuple, Translations | NullTranslations] = {}


def locale_key(locale: Locale) -> tuple:
    """A cheap dictionary key for a locale (flask_babel parses a new Locale object for each request)."""
    return locale.language, locale.territory, locale.script, locale.variant


def _settled_locale() -> Locale | None:
    try:
        context = g._flask_babel  # flask_babel's own per-request namespace
    except (AttributeError, RuntimeError):  # not created yet, or no app context
        return None
    return getattr(context, "babel_locale", None)


def current_locale() -> Locale | None:
    """The locale of this request (None outside one, as flask_babel's ``get_locale``)."""
    return _settled_locale() or get_locale()


class FrenchSource(NullTranslations):
    """French, the language the messages are written in: no catalogue, and a plural from 2 (« 0 atelier »).

    gettext's default plural, when no catalogue says otherwise, is English's (n != 1): « 0 ateliers ».
    """

    def ngettext(self, singular: str, plural: str, num: int) -> str:
        """The singular for 0 and 1, as French writes them."""
        return singular if num < 2 else plural

    ungettext = ngettext


FRENCH_SOURCE = FrenchSource()


def current_translations() -> Translations | NullTranslations:
    """The catalogue of this request's locale (flask_babel's, looked up once per locale and app)."""
    locale = _settled_locale()
    if locale is None:
        return get_translations()
    key = locale_key(locale)
    catalogue = _CATALOGUES.get(key)
    if catalogue is None:
        catalogue = _CATALOGUES[key] = FRENCH_SOURCE if locale.language == "fr" else get_translations()
    return catalogue
