"""Forms of the exports package: publishing a version of the report, retrying a failed rendering, the cover's logo."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField
from wtforms.validators import Optional

from hub.core.forms import HubForm


class PublishForm(HubForm):
    """Publish a numbered version; the date the data stand at defaults to today."""

    as_of = DateField(_l("Données arrêtées au"), validators=[Optional()],
                      description=_l("Laisser vide pour aujourd'hui. La date figure sur la couverture."))


class RetryForm(HubForm):
    """Render a failed version again (only the CSRF token)."""


class LogoForm(HubForm):
    """The agency's logo for the report's cover: a PNG or JPEG image of 1 Mo at most."""

    logo = FileField(_l("Logo de l'agence"), validators=[FileRequired(_l("Choisissez une image PNG ou JPEG."))],
                     description=_l("Image PNG ou JPEG, 1 Mo au plus ; elle est réduite à 600 pixels de côté au "
                                    "plus et ses métadonnées sont retirées."),
                     render_kw={"accept": "image/png,image/jpeg"})


class RemoveLogoForm(HubForm):
    """Remove the logo from the cover (only the CSRF token)."""
