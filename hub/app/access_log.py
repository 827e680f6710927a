"""gunicorn's access log without secrets: the token of a one-time link never reaches a log line.

gunicorn reads ``gunicorn.conf.py`` from the directory it starts in (the repository's names this logger class), so
``make run`` and any deployment started from the repository log ``/invitation/[masqué]``, in the request line as in
the Referer of the pages and files that link opens.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# The one-time links' paths: what follows the prefix is the secret.
SECRET_PATHS = re.compile(r"(/invitation/)[^/?#\s\"]+")


def redact(text: str) -> str:
    """The text with every one-time link's token replaced."""
    return SECRET_PATHS.sub(r"\1[masqué]", text)


class RedactingLogger(Logger):
    """gunicorn's logger, whose access-log fields carry no token."""

    def atoms(self, resp, req, environ, request_time):
        """The access log's fields, each redacted."""
        fields = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in fields.items()}
