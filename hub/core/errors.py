"""Error pages in the visitor's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from hub.core.scoping import ScopeViolation

MESSAGES = {
    400: lambda: (_("Requête invalide"), _("La demande n'a pas pu être comprise.")),
    403: lambda: (_("Accès refusé"), _("Votre rôle ne permet pas cette action.")),
    404: lambda: (_("Page introuvable"), _("Cette page n'existe pas ou ne vous est pas accessible.")),
    405: lambda: (_("Méthode non permise"), _("Cette adresse ne s'utilise pas ainsi.")),
    413: lambda: (_("Fichier trop volumineux"), _("Le fichier dépasse 5 Mo : découpez-le ou allégez-le.")),
    429: lambda: (_("Trop de tentatives"),
                  _("Trop de tentatives de connexion depuis cette adresse. Patientez une minute puis réessayez.")),
    500: lambda: (_("Erreur interne"), _("Une erreur est survenue ; elle a été enregistrée.")),
}


def error_page(status: int):
    """The site's page for an expected error status, in the visitor's language."""
    title, message = MESSAGES[status]()
    return render_template("hub/error.html", status=status, title=title, message=message), status


def register_error_pages(app: Flask) -> None:
    """Render every expected error with the site's layout."""
    for status in MESSAGES:
        app.register_error_handler(status, lambda exc, status=status: error_page(status))
    app.register_error_handler(CSRFError, lambda exc: _csrf_page())
    # A write aimed at another collectivity is answered like any object one cannot see.
    app.register_error_handler(ScopeViolation, lambda exc: error_page(404))


def wants_json() -> bool:
    """A script's request (the capture queue) rather than a page: it is answered in JSON, and the session is left alone.

    Rendering a page for it would write the session cookie (the layout's forms draw a token), over the session of a
    login under way in another tab of the same tablet: that login would then be refused as an expired form.
    """
    return request.accept_mimetypes.best == "application/json"


def _csrf_page():
    if wants_json():
        return jsonify(error="csrf"), 400
    title = _("Formulaire expiré")
    message = _("Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
    return render_template("hub/error.html", status=400, title=title, message=message), 400
