"""Why, as data: the method names its reasons; the ground floor words them in the reader's language.

The method (scoring, robustness, selection) is pure: no Flask, no Babel, nothing of ``hub``. So it
writes no sentence. It returns a ``Reason``: the French msgid the catalogue already knows, and the
values that fill it, numbers kept as numbers. ``hub.core.i18n.say`` translates the msgid and formats
the numbers where the reason is read: a page in the reader's language, the published report in French.

Why here: participants is the lowest domain, so both participants.selection and the irritants method
may import it, and this module imports only the standard library. The ground floor may import no
domain, so ``say`` reads a reason by its shape (msgid, values, plural, count, digits; items and by for
a series) rather than by this class.

``N_`` and ``ngettext`` are named as pybabel's default keywords, so that extraction keeps finding the
msgids here, where they are written, with no extraction setting of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    """A msgid and its values; ``plural`` and ``count`` when the wording depends on a number."""

    msgid: str
    values: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None
    digits: Mapping[str, int] = field(default_factory=dict)  # decimals shown for a numeric value; none unless named
    # The figures behind a plain sentence, one click away: pages show them in a details element.
    detail: Reason | None = None

    def __hash__(self) -> int:  # the generated hash would fail on the dicts: hash what they hold
        return hash((self.msgid, tuple(self.values.items()), self.plural, self.count, tuple(self.digits.items()),
                     self.detail))


@dataclass(frozen=True)
class Series:
    """Reasons (or plain text) read one after the other: ``by`` is "sentences", "commas" or "semicolons"."""

    items: tuple = ()
    by: str = "sentences"


def N_(msgid: str, /, digits: Mapping[str, int] | None = None, detail: Reason | None = None,
       **values: object) -> Reason:
    """A reason to translate when read (gettext_noop's usual name, so pybabel extracts the msgid)."""
    return Reason(msgid, values, digits=digits or {}, detail=detail)


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> Reason:
    """A reason whose wording follows ``count`` (``%(num)s``); named as gettext's, so pybabel extracts both forms."""
    return Reason(singular, values, plural=plural, count=count)
