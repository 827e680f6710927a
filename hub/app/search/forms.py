"""The search form, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from hub.app.search.service import KINDS, MAX_LENGTH
from hub.core.forms import HubForm, choices

KIND_LABELS = {"irritant": _l("Irritants"), "collectivity": _l("Collectivités"), "workshop": _l("Ateliers"),
               "decision": _l("Décisions")}


class SearchForm(HubForm):
    """What to look for, and optionally in which kind only (« voir plus »)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Rechercher"), validators=[Optional(), Length(
        max=MAX_LENGTH, message=_l("Une recherche tient en %(max)d caractères au plus : raccourcissez-la."))])
    kind = SelectField(_l("Parmi"), choices=choices([("", _l("Tout")), *((k, KIND_LABELS[k]) for k in KINDS)]),
                       validators=[Optional()])
