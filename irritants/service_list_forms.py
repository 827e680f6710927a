"""Forms of a programme's services page: add a service, rename one, merge duplicates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from hub.core.forms import HubForm, choices
from workshops.forms import CheckboxListField


class AddServiceForm(HubForm):
    """A new service in the programme's list."""

    name = StringField(_l("Nom du service"), validators=[
        DataRequired(_l("Nommez le service.")), Length(max=80, message=_l("80 caractères au plus."))])


class RenameServiceForm(HubForm):
    """A service's new name: every irritant that carries it follows."""

    service_id = SelectField(_l("Service à renommer"), coerce=int,
                             validators=[DataRequired(_l("Choisissez le service à renommer."))])
    new_name = StringField(_l("Nouveau nom"), validators=[
        DataRequired(_l("Indiquez le nouveau nom.")), Length(max=80, message=_l("80 caractères au plus."))])


class MergeServicesForm(HubForm):
    """Two or more services that name one, and the one kept: the others' irritants move to it."""

    services = CheckboxListField(_l("Services à fusionner"), coerce=int,
                                 validators=[DataRequired(_l("Cochez au moins deux services à fusionner."))])
    kept = SelectField(_l("Nom gardé"), coerce=int, validators=[DataRequired(_l("Choisissez le nom à garder."))])

    def offer(self, entries) -> None:
        """The list's services as the choices of both fields."""
        pairs = [(entry.id, entry.name) for entry in entries]
        self.services.choices = choices(pairs)
        self.kept.choices = choices(pairs)
