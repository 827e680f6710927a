"""French first, English available: the locale chosen and the formats that follow it."""

from __future__ import annotations

import os
from datetime import date

from flask import Flask, current_app, request, session
from flask_babel import Babel, format_currency, format_date, format_decimal, format_percent

from hub.labels import label

babel = Babel()


def select_locale() -> str:
    """The language the visitor chose, French until they choose."""
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def number(value, digits: int = 0) -> str:
    """A number in the visitor's conventions (``1 234,5`` in French)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def euros(value) -> str:
    """An amount in euros, without cents."""
    if value is None:
        return "—"
    return format_currency(round(value), "EUR", format="#,##0\u00a0¤", currency_digits=False)


def percent(value) -> str:
    """A share (0–1) as a percentage."""
    if value is None:
        return "—"
    return format_percent(value, format="#,##0\u00a0%")


def day(value, style: str = "long") -> str:
    """A date in the visitor's conventions (``12 avril 2024`` in French)."""
    if value is None:
        return "—"
    if isinstance(value, str):  # report snapshots keep dates as ISO strings
        value = date.fromisoformat(value[:10])
    return format_date(value, format=style)


def init_app(app: Flask) -> None:
    """Install Flask-Babel and the formatting filters templates use."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(number=number, euros=euros, percent=percent, day=day)
    app.jinja_env.globals["current_locale"] = select_locale
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["request_path"] = lambda: request.full_path.rstrip("?")
