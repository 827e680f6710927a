"""French first, English available: the locale chosen and the formats that follow it."""

from __future__ import annotations

import math
import os
import re
from datetime import date, datetime
from functools import lru_cache
from numbers import Number

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_percent, format_scientific, get_currency_symbol, parse_pattern
from flask import Flask, current_app, request, session
from flask_babel import Babel, to_user_timezone
from jinja2 import pass_eval_context
from markupsafe import Markup

from hub.core.labels import label
from hub.core.translations import current_locale, current_translations, locale_key

babel = Babel()


def select_locale() -> str:
    """The language the visitor chose, French until they choose."""
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


FALLBACK_LOCALE = Locale.parse("fr")


def formatting_locale() -> Locale:
    """The visitor's locale; French outside a request (a command, the report's worker thread, a unit test)."""
    try:
        return current_locale() or FALLBACK_LOCALE
    except RuntimeError:  # an app context with no request: the locale selector has no session to read
        return FALLBACK_LOCALE


def gettext(msgid: str, **values) -> str:
    """flask_babel's gettext, also outside a request: the msgid (French) then, where flask_babel would raise."""
    try:
        text = current_translations().ugettext(msgid)
    except RuntimeError:  # an app context with no request and no forced locale
        return msgid % values if values else msgid
    return text % values if values else text


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """flask_babel's ngettext, also outside a request (French, whose plural starts at 2)."""
    try:
        text = current_translations().ungettext(singular, plural, num)
    except RuntimeError:
        return (singular if num < 2 else plural) % {"num": num, **values}
    return text % {"num": num, **values}


def semicolons(items) -> str:
    """Items joined by semicolons, spaced as the visitor's language does (« a ; b » in French, "a; b")."""
    return gettext("%(before)s ; %(after)s", before="", after="").join(str(item) for item in items)


def number(value, digits: int = 0, *, up_to: bool = False) -> str:
    """A number in the visitor's conventions (``1 234,5`` in French); French outside a request.

    ``up_to``: at most ``digits`` decimals, only those needed (``0,25`` and ``30``, not ``0,250`` and ``30,000``).
    """
    if value is None or _not_finite(value):
        return "—"
    if _huge(value):
        return _scientific(value)
    pattern = "#,##0" + ("." + ("#" if up_to else "0") * digits if digits else "")
    return _formatted(value, _pattern(pattern), formatting_locale())


def euros(value) -> str:
    """An amount in euros, without cents, placed as the visitor's language does (``14 700 €``, ``€14,700``)."""
    if value is None or _not_finite(value):
        return "—"
    if _huge(value):
        return f"{_scientific(value)} €"
    locale = formatting_locale()
    whole_units = _pattern(locale.currency_formats["standard"].pattern.replace(".00", ""))
    return _formatted(round(value), whole_units, locale, currency="EUR")  # the one currency: _symbols reads EUR


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    """A CLDR number pattern, parsed once: Babel's format functions parse it again on every call."""
    return parse_pattern(pattern)


def _formatted(value, pattern: NumberPattern, locale: Locale, currency: str | None = None) -> str:
    """``value`` in ``pattern``: Babel's own result, by Python's grouping when the value and pattern are whole.

    A list of 50 rows formats a hundred figures; Babel's general path (decimal quantization) costs ~0.1 ms each,
    the whole-number path a few µs. tests/hub/test_number_formats.py checks both give the same text.
    """
    if pattern.frac_prec != (0, 0) or pattern.grouping != (3, 3) or pattern.scale or isinstance(value, bool):
        return pattern.apply(value, locale, currency=currency, currency_digits=False)
    if isinstance(value, float):
        # Without decimals, Babel rounds half to even, as round() does: a tie (x.5) is exact in binary, so both
        # see the same value. Only a negative that rounds to zero (or -0.0) differs: Babel writes « -0 ».
        rounded = round(value)
        if rounded == 0 and math.copysign(1.0, value) < 0:
            return pattern.apply(value, locale, currency=currency, currency_digits=False)
        value = rounded
    elif not isinstance(value, int):
        return pattern.apply(value, locale, currency=currency, currency_digits=False)
    group, minus, euro = _symbols(locale_key(locale))
    negative = value < 0
    text = pattern.prefix[negative] + f"{abs(value):,}".replace(",", group) + pattern.suffix[negative]
    if negative:
        text = text.replace("-", minus)
    return text.replace("¤", euro) if currency else text


@lru_cache(maxsize=16)
def _symbols(key: tuple) -> tuple[str, str, str]:
    """The group separator, minus sign and euro symbol of the locale ``key`` names, read once from CLDR."""
    locale = Locale(*key)
    symbols = locale.number_symbols["latn"]
    return symbols["group"], symbols["minusSign"], get_currency_symbol("EUR", locale)


def percent(value, decimals: int = 0) -> str:
    """A share (0–1) as a percentage, spaced as the visitor's language does (``25 %``, ``25%``).

    With ``decimals``, up to that many decimals are shown, none when the figure is whole (``59,8 %``, ``60 %``).
    """
    if value is None or _not_finite(value):
        return "—"
    if _huge(value):
        return f"{_scientific(value * 100)} %"
    locale = formatting_locale()
    if not decimals:
        return format_percent(value, locale=locale)
    # The language's own pattern (its spacing and sign), with optional decimals after its last integer digit.
    pattern = locale.percent_formats[None].pattern
    return format_percent(value, format=pattern.replace("0", "0." + "#" * decimals, 1), locale=locale)


# A figure stored before the forms bounded it (1e27, inf) is shown, never a 500: Babel's decimal context
# refuses to round such a value to a pattern, and a float that is not finite has no digits at all.
HUGE = 10 ** 15


def _not_finite(value) -> bool:
    try:
        return not math.isfinite(value)
    except (TypeError, OverflowError):
        return False


def _huge(value) -> bool:
    try:
        return abs(value) >= HUGE
    except TypeError:
        return False


def _scientific(value) -> str:
    return format_scientific(value, format="0.##E0", locale=formatting_locale())


def day(value, style: str = "long") -> str:
    """A date in the visitor's conventions (``12 avril 2024`` in French)."""
    if value is None:
        return "—"
    if isinstance(value, str):  # report snapshots keep dates as ISO strings
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        # A stored instant is UTC; its day is the agency's (23:30 UTC on the 29th is the 30th in Paris).
        value = to_user_timezone(value).date()
    return _formatted_day(value, style, locale_key(formatting_locale()))


@lru_cache(maxsize=4096)
def _formatted_day(value: date, style: str, key: tuple) -> str:
    """One day in one style and locale, formatted once: a list of 50 workshops formats 50 dates per view, and
    Babel reads the pattern again each time (0.1 ms a date, a tenth of the national workshop list's time)."""
    locale = Locale(*key)
    if value.day == 1 and locale.language == "fr":
        # French writes the first of a month as an ordinal, « 1er mai 2024 »; the other days stay cardinal.
        pattern = locale.date_formats[style].pattern if style in locale.date_formats else style
        style = _first_as_ordinal(pattern)
    return format_date(value, format=style, locale=locale)


def _first_as_ordinal(pattern: str) -> str:
    """The CLDR pattern with its lone day number ``d`` followed by a literal « er » (``dd``, ``01/05``, stays)."""
    parts = re.split(r"('[^']*')", pattern)  # quoted literals are left as they are
    return "".join(part if part.startswith("'") else re.sub(r"(?<!d)d(?!d)", "d'er'", part) for part in parts)


# A name starting with a vowel sound takes « d' »; « h » is left out: an aspirated h (Héry, Hautes-Alpes) keeps « de ».
_VOWEL_START = re.compile(r"[aeiouyàâäéèêëîïôöûùüÿæœ]", re.IGNORECASE)


def of_name(name) -> str:
    """« of » and a name as the reader's language says it: « d'Autun », « de Chéroy », « du Grand Chalon »."""
    name = str(name).strip()
    if formatting_locale().language != "fr":
        return f"of {name}"
    # The article contracts with « de »: « de Le Creusot » is « du Creusot », « de Les Riceys » « des Riceys ».
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return ("d'" if _VOWEL_START.match(name) else "de ") + name


# How a series of reasons is joined; "semicolons" spaces the semicolon as the reader's language does.
_JOINERS = {"sentences": " ".join, "commas": ", ".join, "semicolons": semicolons}


def _worded(value, digits: int) -> str:
    if isinstance(value, Number) and not isinstance(value, bool):
        return number(value, digits).replace("-", "−")  # a true minus sign, as the method's sentences always had
    if getattr(value, "msgid", None) is not None or getattr(value, "by", None) in _JOINERS:
        return say(value)
    return str(value)


def say(reason) -> str:
    """A reason of the method (participants.reasons, read by its shape) in the reader's language; text as is."""
    if isinstance(reason, str):  # already words: an option's label, a source as typed
        return reason
    if getattr(reason, "by", None) in _JOINERS:  # a Series
        return _JOINERS[reason.by]([_worded(item, 0) for item in reason.items])
    digits = reason.digits
    values = {name: _worded(value, digits.get(name, 0)) for name, value in reason.values.items()}
    if reason.plural is not None:
        # gettext's own %(num)s: the count as given (flask_babel puts it in as is), which picks the form.
        return ngettext(reason.msgid, reason.plural, reason.count, **values)
    return gettext(reason.msgid, **values)


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, **values) -> str:
    """Templates' ngettext, as Jinja's own (autoescaped, values escaped), with the count written as the reader
    writes numbers: « 2 000 collectivités », "2,000 local authorities", not « 2000 »."""
    values.setdefault("num", number(num))
    text = current_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % values


def init_app(app: Flask) -> None:
    """Install Flask-Babel and the formatting filters templates use."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)
    # Templates translate through the request's catalogue read once (hub.core.translations), not flask_babel's
    # lookup on every string; the same newstyle callables as flask_babel installs.
    # Jinja asks for both callables; its ngettext is then replaced by template_ngettext, which writes the count as a
    # number of the reader's language where Jinja's would put it in raw.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n), newstyle=True)
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.jinja_env.filters.update(number=number, euros=euros, percent=percent, day=day, say=say, of_name=of_name)
    app.jinja_env.globals["current_locale"] = select_locale
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["say"] = say
    app.jinja_env.globals["of_name"] = of_name
    app.jinja_env.globals["request_path"] = lambda: request.full_path.rstrip("?")
