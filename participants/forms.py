"""Forms of the participants package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length


class EnrolmentStatusForm(FlaskForm):
    """Move a candidacy along: selected, enrolled, withdrawn…"""

    enrolment_id = HiddenField(validators=[DataRequired()])
    to_status = SelectField(_l("Nouveau statut"), validators=[DataRequired(_l("Choisissez un statut."))])
    reason = TextAreaField(_l("Raison"), validators=[Length(max=500, message=_l("500 caractères au plus."))])
