"""Forms of the exports package: publishing a version of the report, retrying a failed rendering."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional


class PublishForm(FlaskForm):
    """Publish a numbered version; the date the data stand at defaults to today."""

    as_of = DateField(_l("Données arrêtées au"), validators=[Optional()],
                      description=_l("Laisser vide pour aujourd'hui. La date figure sur la couverture."))


class RetryForm(FlaskForm):
    """Render a failed version again (only the CSRF token)."""
