"""Forms of the workshops package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class CloseWorkshopForm(FlaskForm):
    """What closing a workshop requires: agents met and services visited."""

    agents_met = IntegerField(_l("Agents rencontrés"), validators=[
        InputRequired(_l("Indiquez le nombre d'agents rencontrés (un nombre entier).")),
        NumberRange(min=1, max=10000, message=_l("Entre 1 et 10 000 agents.")),
    ])
    services = StringField(_l("Services visités (séparés par des virgules)"), validators=[
        DataRequired(_l("Indiquez au moins un service visité.")), Length(max=500),
    ])

    def service_list(self) -> list[str]:
        """The services typed, cleaned of blanks and repeats."""
        seen = []
        for name in (self.services.data or "").split(","):
            name = name.strip()
            if name and name not in seen:
                seen.append(name)
        return seen
