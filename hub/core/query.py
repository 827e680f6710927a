"""Reading what a visitor typed: integers and query-string parameters, refused or ignored when they are absurd.

``str.isdigit`` says yes to « ² » and to Arabic-Indic digits, and ``int()`` refuses 4,300 digits with a ValueError:
every integer the hub reads from outside goes through ``parse_int`` instead, and every query-string parameter
through ``int_arg`` or ``str_arg``, so that an odd value is ignored (the page shows its default) and never a 500.
"""

from __future__ import annotations

import re

from flask import request

MAX_INT = 2 ** 31 - 1  # a PostgreSQL integer column, and far beyond any count or id the hub holds
MAX_ARG_LENGTH = 200  # a filter value: a name, a slug, a theme
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_SPACES = str.maketrans("", "", " \u00a0\u202f")
# Control characters (C0, DEL, C1): PostgreSQL refuses NUL in text, and none has a place in a filter.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_int(raw: object, *, minimum: int | None = None, maximum: int = MAX_INT) -> int | None:
    """An integer written in ASCII digits (French spaces allowed) within the bounds, else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip().translate(_SPACES)
    else:
        return None
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or value > maximum:
        return None
    return value


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether the text holds a control character (a multi-line text may hold tabs and line breaks)."""
    if multiline:
        text = text.replace("\t", "").replace("\r", "").replace("\n", "")
    return _CONTROL.search(text) is not None


def int_arg(name: str, default: int | None = None, *, args=None, minimum: int = 1,
            maximum: int = MAX_INT) -> int | None:
    """A positive integer of the query string (an id, a page, a version number); the default when odd."""
    value = parse_int((request.args if args is None else args).get(name), minimum=minimum, maximum=maximum)
    return default if value is None else value


def str_arg(name: str, default: str = "", *, args=None, max_length: int = MAX_ARG_LENGTH) -> str:
    """A text of the query string, without control characters and not too long; the default otherwise."""
    value = (request.args if args is None else args).get(name)
    if not isinstance(value, str) or len(value) > max_length or has_control_characters(value):
        return default
    return value


def clean_args(args=None):
    """The query string without the values ``str_arg`` would ignore, for a filter form to read."""
    source = request.args if args is None else args
    cleaned = source.copy()
    for name in list(cleaned.keys()):
        kept = [value for value in source.getlist(name)
                if len(value) <= MAX_ARG_LENGTH and not has_control_characters(value)]
        cleaned.setlist(name, kept)
    return cleaned
