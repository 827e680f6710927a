"""Forms of the accounts screens, the audit log's filters and the forgotten-password page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from hub.core.forms import HubForm, choices
from hub.core.labels import LABELS
from hub.core.query import parse_int

STATE_LABELS = {"active": _l("Actif"), "invited": _l("Invité, pas encore activé"), "deactivated": _l("Désactivé")}


def role_choices(first=None):
    """The four roles by their names, after an optional first choice (« Tous »)."""
    return choices([*([first] if first else []), *LABELS["role"].items()])


class CollectivityChoice:
    """A form's « collectivity » select: filled by the view with the engaged collectivities, read as an id."""

    def set_collectivities(self, pairs: list[tuple[int, str]], *, none_label) -> None:
        """Offer these (id, name) pairs after a first, empty choice."""
        self.collectivity.choices = choices([("", none_label), *((str(i), name) for i, name in pairs)])

    def collectivity_id(self) -> int | None:
        """The chosen collectivity's id, or None."""
        return parse_int(self.collectivity.data, minimum=1)


class InviteForm(HubForm, CollectivityChoice):
    """Someone to invite: their address, name, role and, for a référent, collectivity."""

    email = EmailField(_l("Adresse électronique"), validators=[
        DataRequired(_l("Indiquez l'adresse électronique de la personne.")),
        Email(_l("Cette adresse électronique n'est pas valide.")), Length(max=254)])
    full_name = StringField(_l("Nom et fonction"), validators=[Length(max=200)])
    role = SelectField(_l("Rôle"), choices=role_choices(), validators=[DataRequired(_l("Choisissez le rôle."))])
    collectivity = SelectField(_l("Collectivité (pour un référent seulement)"), choices=[],
                               validators=[Optional()])


class RoleForm(HubForm, CollectivityChoice):
    """Another role for an account (a référent with its collectivity)."""

    role = SelectField(_l("Nouveau rôle"), choices=role_choices(), validators=[DataRequired(_l("Choisissez le rôle."))])
    collectivity = SelectField(_l("Collectivité (pour un référent seulement)"), choices=[],
                               validators=[Optional()])


class ConfirmForm(HubForm):
    """A button that changes an account (deactivate, reactivate, new link): its CSRF token only."""


class AccountFilterForm(HubForm):
    """The accounts list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    role = SelectField(_l("Rôle"), choices=role_choices(("", _l("Tous"))), validators=[Optional()])
    state = SelectField(_l("État"), choices=choices([("", _l("Tous")), *STATE_LABELS.items()]),
                        validators=[Optional()])


class JournalFilterForm(HubForm, CollectivityChoice):
    """The audit log's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    person = StringField(_l("Personne (adresse ou nom, en partie)"), validators=[Optional(), Length(max=254)])
    collectivity = SelectField(_l("Collectivité"), choices=[], validators=[Optional()])
    table = SelectField(_l("Table"), choices=[], validators=[Optional()])
    first_day = DateField(_l("Du"), validators=[Optional()])
    last_day = DateField(_l("Au"), validators=[Optional()])


class ForgotPasswordForm(HubForm):
    """The address of the account whose password was forgotten."""

    email = EmailField(_l("Adresse électronique de votre compte"), validators=[
        DataRequired(_l("Saisissez votre adresse électronique.")),
        Email(_l("Cette adresse électronique n'est pas valide.")), Length(max=254),
    ], render_kw={"autocomplete": "username"})
