"""Extension points: a lower package's page shows what the packages above it register there (DESIGN §5).

A lower package may not import an upper one. Its page sends a blinker signal (Flask ships blinker) and renders
what the receivers return; an upper package connects its receiver in its views module, which the app factory
imports. A collectivity's page thus shows its workshops, irritants and decisions without participants knowing
those packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace, Signal
from markupsafe import Markup

pages = Namespace()


@dataclass(frozen=True)
class PageSection:
    """What an upper package adds to a page: figures for the page's summary list, then a section of HTML."""

    order: int
    html: Markup = Markup("")
    figures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ListColumn:
    """A column an upper package adds to a list: its heading and each row's value, by row id."""

    order: int
    heading: str
    values: dict[int, object]
    default: object = 0


def collected(signal: Signal, sender: object, **context) -> list:
    """What every receiver of ``signal`` returns for this page, in the order they declare."""
    returned = (value for _receiver, value in signal.send(sender, **context) if value is not None)
    return sorted(returned, key=lambda value: value.order)
