"""The header of every page (brand, menu of the role, account, notifications, search box) rendered once per worker
for what it shows (hub.core.fragments), instead of on every page: about a tenth of a list or a board (pyinstrument).

What the header shows is the memo's key: the account (id, role, name), the unread count, the programme the reader
last worked on (the menu's links), the page's programme (the search box's scope) and the page's endpoint (which
link is the current page). The logout form's CSRF token is put in on the way out. The search page, whose box shows
what was searched, and an anonymous visit are rendered afresh.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hub.app.navigation import navigation
from hub.app.notifications.views import unread_notifications
from hub.core import programmes
from hub.core.fragments import CSRF_SLOT, Fragments

_headers = Fragments(at_most=5_000)
TEMPLATE = "hub/_site_header.html"


def site_header() -> Markup:
    """This page's header."""
    if not current_user.is_authenticated or request.endpoint == "search.search_page":
        return Markup(render_template(TEMPLATE, header_token=generate_csrf()))
    shown_programme = navigation().programme
    shown = (current_user.id, current_user.role, current_user.display_name, unread_notifications(),
             programmes.remembered_slug(), shown_programme.slug if shown_programme else None, request.endpoint)
    return _headers.get(shown, lambda: Markup(render_template(TEMPLATE, header_token=CSRF_SLOT)))


def init_app(app: Flask) -> None:
    """Give every template ``site_header()``."""
    app.jinja_env.globals["site_header"] = site_header
