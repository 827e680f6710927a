"""Forms of the core: login and language choice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length


def choices(pairs) -> list[SelectChoice]:
    """Options of a select from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Adresse électronique"), validators=[
        DataRequired(_l("Saisissez votre adresse électronique.")),
        Email(_l("Cette adresse électronique n'est pas valide.")),
        Length(max=254),
    ], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Saisissez votre mot de passe."))],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class LanguageForm(FlaskForm):
    """The language switch in the page header."""

    lang = SelectField(_l("Langue"), choices=choices([("fr", "Français"), ("en", "English")]))
    next = HiddenField()


class DecimalCommaField(DecimalField):
    """A decimal that accepts the French comma (« 2,5 ») as well as the point."""

    def process_formdata(self, valuelist):
        """Read « 1 234,5 » as 1234.5 before WTForms parses it."""
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")]
        super().process_formdata(valuelist)


class SetPasswordForm(FlaskForm):
    """A new référent chooses their password."""

    password = PasswordField(_l("Mot de passe (12 caractères au moins)"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(min=12, max=200, message=_l("Le mot de passe compte 12 caractères au moins.")),
    ], render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Confirmez le mot de passe"), validators=[
        DataRequired(_l("Saisissez le mot de passe une seconde fois.")),
        EqualTo("password", message=_l("Les deux saisies diffèrent.")),
    ], render_kw={"autocomplete": "new-password"})
