"""Forms of the core: login and language choice, and ``handle_form``, the one way a write form is answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, make_response, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session
from wtforms import DecimalField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from hub.core.db import db
from hub.core.refusals import Refused

T = TypeVar("T")


def choices(pairs) -> list[SelectChoice]:
    """Options of a select from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def handle_form(form: FlaskForm, write: Callable[[], T], *, success: str | Callable[[T], str | None] | None,
                redirect_to: str | Callable[[T], str], failure: Callable[[], ResponseReturnValue],
                default_field: str | None = None, session: Session | None = None) -> ResponseReturnValue:
    """Answer a write form: validate it, write, commit and redirect; or show it again with what went wrong.

    - The form is valid: ``write()`` is called. If it raises a ``Refused``, the session is rolled back and each
      message goes on its field (``refused.field`` when the form has it, else ``default_field``), or is flashed as
      an error when there is no field; then the failure below. Otherwise the session is committed, ``success``
      is flashed ("success") and the answer redirects to ``redirect_to``.
    - ``success`` is the message, or a function of ``write()``'s result run after the commit that returns it
      (``None``: nothing to flash, e.g. it flashed its own); ``redirect_to`` is the URL, or a function of the
      result (the id of what was created).
    - Otherwise (a GET, an invalid form, a refusal): ``failure()``, the view's own page with the form as typed.
      After a POST it is answered 422 unless it chose its own status (409, 400) or redirects.

    ``session`` is the request's session unless another is given. Any other exception passes through (a view
    catches its own, e.g. ``StaleVersion`` for its conflict page).
    """
    if form.validate_on_submit():
        session = db() if session is None else session
        try:
            result = write()
        except Refused as refused:
            # Nothing half-written stays in the session: the page shown again reads what is saved.
            session.rollback()
            _show(refused, form, default_field)
        else:
            session.commit()
            message = success(result) if callable(success) else success
            if message:
                flash(message, "success")
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    response = make_response(failure())
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 422  # what was posted is shown again, unsaved
    return response


def _show(refused: Refused, form: FlaskForm, default_field: str | None) -> None:
    for field, message in refused.errors.items():
        # A service names its own field; a form that calls it differently gets the view's default field.
        name = field if field is not None and field in form else default_field
        if name is None:
            flash(str(message), "error")
        else:
            form[name].errors = [*form[name].errors, str(message)]


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
