"""Forms of the core: ``HubForm``, the base of every form, its number fields, login and language choice, and
``handle_form``, the one way a write form is answered."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from babel.numbers import format_decimal
from flask import flash, make_response, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlmodel import Session
from wtforms import DateField, DecimalField, EmailField, HiddenField, PasswordField, SelectField, TextAreaField, widgets
from wtforms import IntegerField as WTFormsIntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from hub.core.db import db
from hub.core.i18n import formatting_locale
from hub.core.query import has_control_characters, parse_int
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


CONTROL_MESSAGE = _l("Ce champ contient un caractère invisible (caractère de contrôle) : retirez-le.")
# The hub's dates (workshops, decisions, surveys, report versions): a year beyond these is a typing slip, and
# 9999-12-31 would overflow the day after it that a report's cut-off computes.
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2099, 12, 31)
DATE_MESSAGE = _l("Saisissez une date entre le 01/01/1990 et le 31/12/2099 (jj/mm/aaaa).")
# A select (or radio buttons, or a list of checkboxes) posted with a value it does not offer: WTForms would say
# « Invalid Choice: could not coerce. » or « Not a valid choice. », in its own words.
CHOICE_MESSAGE = _l("Choisissez l'une des valeurs proposées.")


PLACEHOLDER = _l("— Choisir —")


class MenuWithPlaceholder(widgets.Select):
    """A required single menu that opens on an empty choice, as the HTML standard asks, never on a real one."""

    def __call__(self, field, **kwargs) -> Markup:
        """The menu, with an empty first option unless its first choice already is one."""
        html = super().__call__(field, **kwargs)
        first = next(iter(field.iter_choices()), None)
        if self.multiple or not field.flags.required or (first is not None and first[0] in ("", None)):
            return html
        # A menu with a value keeps it selected; one without opens on the placeholder, chosen by no one.
        opening_end = html.index(">") + 1
        return html[:opening_end] + Markup('<option value="">{}</option>').format(PLACEHOLDER) + html[opening_end:]

    @classmethod
    def _dispatch_render_option(cls):
        # WTForms 3.3 reads render_option's signature at every menu it renders (inspect.signature), to adapt an
        # override written for the older one; ours has the 3.3 signature. Without this, the same menus as before.
        return cls.render_option

    @classmethod
    def render_option(cls, choice, **kwargs) -> Markup:
        """One option, written as WTForms writes it (``<option selected value="…">``), without its general
        attribute machinery when the option has no attribute of its own: a list's filter menus (themes,
        statuses, collectivities) spent a tenth of the page there."""
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        # A label marked for translation is translated once here, not once to test it and again to escape it.
        label = str(choice.label) if choice.label is not None else ""
        return Markup(f'<option {selected}value="{escape(value)}">{escape(label or choice.value)}</option>')


class HubForm(FlaskForm):
    """The base of every form of the hub: a control character (NUL…) in any field, or a date out of the years the
    hub deals with, is refused with a message.

    PostgreSQL refuses NUL in a text column, and no control character has a place in what people type: tabs and
    line breaks are allowed in multi-line texts only. Files are the import's business (participants.csv_import).
    A select posted with a value it does not offer (« abc » where a number is expected, an unknown id) is refused
    with the hub's own message, whatever the form.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            """Every select answers a value it does not offer with ``CHOICE_MESSAGE``; a required one opens empty."""
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, SelectField):  # radio buttons and multiple selects too
                # Set before the form reads what was posted: the « could not coerce » error is raised then.
                field.invalid_value_message = field.invalid_value_message or CHOICE_MESSAGE
                field.invalid_choice_message = field.invalid_choice_message or CHOICE_MESSAGE
                if type(field.widget) is widgets.Select:
                    field.widget = MenuWithPlaceholder(multiple=field.widget.multiple)
            return field

    def validate(self, extra_validators=None) -> bool:
        """The fields' own validation, then the control characters of every typed value."""
        valid = super().validate(extra_validators)
        for field in self:
            multiline = isinstance(field, TextAreaField)
            typed = [raw for raw in (field.raw_data or ()) if isinstance(raw, str)]
            if any(has_control_characters(raw, multiline=multiline) for raw in typed):
                field.errors = [*field.errors, CONTROL_MESSAGE]
                valid = False
            if isinstance(field, DateField) and isinstance(field.data, date) and \
                    not FIRST_DAY <= field.data <= LAST_DAY:
                field.errors = [*field.errors, DATE_MESSAGE]
                valid = False
        return valid


class LoginForm(HubForm):
    """Email and password."""

    email = EmailField(_l("Adresse électronique"), validators=[
        DataRequired(_l("Saisissez votre adresse électronique.")),
        Email(_l("Cette adresse électronique n'est pas valide.")),
        Length(max=254),
    ], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Saisissez votre mot de passe.")),
                                                          Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class LanguageForm(HubForm):
    """The language switch in the page header."""

    lang = SelectField(_l("Langue"), choices=choices([("fr", "Français"), ("en", "English")]))
    next = HiddenField()


# Plain decimals only: no NaN, no Infinity, no exponent beyond what a figure of the hub could mean.
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?")
MAX_NUMBER_LENGTH = 40
DECIMAL_LIMIT = Decimal(10) ** 12  # a float holds it exactly enough, and any sum of such figures stays finite
SHOWN_DECIMALS = 6  # a hub figure never needs more: an energy per request in Wh, a share
DECIMAL_MESSAGE = _l("Saisissez un nombre en chiffres, par exemple 12 ou 2,5.")
INTEGER_MESSAGE = _l("Saisissez un nombre entier en chiffres, par exemple 12.")
TOO_LARGE_MESSAGE = _l("Ce nombre est trop grand : saisissez un nombre entre -1 000 000 000 000 et "
                       "1 000 000 000 000.")


def _typed_number(raw: object) -> str:
    """What was typed, without the spaces of « 1 234 » and with the French comma read as a point."""
    if not isinstance(raw, str):
        return ""
    return raw.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")


class DecimalCommaField(DecimalField):
    """A finite decimal that accepts the French comma (« 2,5 ») as well as the point.

    NaN, Infinity, « ² » and absurd sizes are refused here with a French message: Python's Decimal reads them,
    and they would then break a comparison, a float column or a page that formats them.
    """

    # A number input shows only what the browser reads as a number, the point form: « 0,25 » would show empty.
    widget = widgets.TextInput()

    def __init__(self, *args, render_kw: dict | None = None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "decimal", **(render_kw or {})}, **kwargs)

    def _value(self) -> str:
        """What the input shows: as typed after a post, else the figure as the reader writes it (« 0,25 », « 30 »)."""
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if math.isfinite(self.data) and abs(self.data) < DECIMAL_LIMIT:
            # Only the decimals it has, no trailing « .0 », no thousands separator to retype.
            digits = SHOWN_DECIMALS if self.places is None else self.places
            return format_decimal(self.data, format="0." + "#" * digits, locale=formatting_locale())
        return str(self.data)

    def process_formdata(self, valuelist):
        """Read « 1 234,5 » as 1234.5, or refuse what is not a plain decimal."""
        if not valuelist:
            return
        text = _typed_number(valuelist[0])
        self.data = None
        if not text:
            raise ValueError(DECIMAL_MESSAGE)  # an empty value: the field's validators say what is expected
        if len(text) > MAX_NUMBER_LENGTH or not _DECIMAL.fullmatch(text):
            raise ValueError(DECIMAL_MESSAGE)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:  # the pattern above lets none through; kept as a second lock
            raise ValueError(DECIMAL_MESSAGE) from exc
        if abs(value) > DECIMAL_LIMIT:
            raise ValueError(TOO_LARGE_MESSAGE)
        self.data = value


class IntegerField(WTFormsIntegerField):
    """An integer in ASCII digits (« ² » and 4,300 digits refused with a French message, never a 500)."""

    def process_formdata(self, valuelist):
        """Read « 1 234 » as 1234, or refuse what is not a plain integer."""
        if not valuelist:
            return
        value = parse_int(valuelist[0], minimum=-int(DECIMAL_LIMIT), maximum=int(DECIMAL_LIMIT))
        self.data = value
        if value is None:
            raise ValueError(INTEGER_MESSAGE)


class SetPasswordForm(HubForm):
    """A new référent chooses their password."""

    password = PasswordField(_l("Mot de passe (12 caractères au moins)"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(min=12, max=200, message=_l("Le mot de passe compte 12 caractères au moins.")),
    ], render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Confirmez le mot de passe"), validators=[
        DataRequired(_l("Saisissez le mot de passe une seconde fois.")), Length(max=200),
        EqualTo("password", message=_l("Les deux saisies diffèrent.")),
    ], render_kw={"autocomplete": "new-password"})
