"""The one base of every refusal a service gives the person who filled a form.

A service that cannot do what was asked raises a subclass of ``Refused`` (``IrritantRefused``, ``TableRefused``…)
with a French message, the words the person reads, and, when it knows, the form field they concern. The write
views show it through ``hub.core.forms.handle_form``: on that field, else on the view's default one, else as an
error message on the page.
"""

from __future__ import annotations

from collections.abc import Mapping


class Refused(ValueError):
    """A write the rules refuse: ``message`` is what the person reads, ``field`` the form field it concerns (if any).

    ``str(refused)`` is the message, so ``flash(str(refused))`` and log lines read the same words.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # Field by field (None: the refusal as a whole); one entry unless ``on_fields`` made it.
        self.errors: dict[str | None, object] = {field: message}

    def __str__(self) -> str:
        # The message may be a lazy translation: the words are read in the request's language.
        return str(self.message)

    @classmethod
    def on_fields(cls, errors: Mapping[str, object]) -> Refused:
        """One refusal for several fields at once (name → message), so the person sees every problem in one go.

        Its ``message`` joins them, for whoever reads the refusal as a whole; its ``field`` is the first one.
        """
        refused = cls(" ".join(str(message) for message in errors.values()), field=next(iter(errors), None))
        refused.errors = dict(errors)
        return refused
