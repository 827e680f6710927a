"""Forms of the notification pages: a button (its CSRF token only) and each person's choices."""

from __future__ import annotations

from wtforms import SelectField

from hub.core.forms import HubForm, choices
from hub.core.notifications import DELIVERIES, DELIVERY_LABELS, KIND_LABELS


class ButtonForm(HubForm):
    """A button that marks read, follows or stops following: its CSRF token only."""


class PreferencesForm(HubForm):
    """How the person wants to hear of each kind of event; its fields are the kinds offered to their role."""


def preferences_form(kinds: tuple[str, ...], current: dict[str, str], formdata=None) -> PreferencesForm:
    """The form with one choice per kind the person's role can receive, opened on their current choices."""
    # Not marked required: every choice is valid and one is always selected, so the menu needs no empty first
    # option; a value it does not offer (or none) is still refused by the select itself.
    fields = {kind: SelectField(KIND_LABELS[kind],
                                choices=choices((delivery, DELIVERY_LABELS[delivery]) for delivery in DELIVERIES))
              for kind in kinds}
    form_class = type("PreferencesForm", (PreferencesForm,), fields)
    if formdata is None:
        return form_class(formdata=None, data=current)
    return form_class(formdata=formdata)
