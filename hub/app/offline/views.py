"""The installable, offline-first hub: its manifest, its service worker, the offline page, the pages to keep."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from hub.app.offline import version
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.models import ROLES, TEAM, Programme
from workshops.models import Workshop

blueprint = Blueprint("offline", __name__, template_folder="templates")
blueprint.record_once(lambda state: version.init_app(state.app))

WORKER_SOURCE = Path(__file__).resolve().parents[2] / "static" / "service-worker.js"
VERSION_PLACEHOLDER = '"__HUB_VERSION__"'
# The hub's colours (hub.css): its blue, on the white of Pico's light theme.
THEME_COLOUR = "#1d4ed8"
BACKGROUND_COLOUR = "#ffffff"
# Workshops this many days ahead are kept: a facilitator opens the hub before the week's trips, on the office's network.
DAYS_AHEAD = 7


@cache
def _worker_source() -> str:
    # Read once per process: the version a process serves is the one it computed at startup.
    return WORKER_SOURCE.read_text(encoding="utf-8")


@blueprint.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: the hub installs on a tablet's home screen and opens without the browser's bars."""
    icons = [
        {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": url_for("static", filename="icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"},
    ]
    body = {"name": "Hub d'expérimentation IA", "short_name": "Hub IA", "lang": "fr", "dir": "ltr",
            "start_url": "/", "scope": "/", "display": "standalone", "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR, "icons": icons}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@blueprint.get("/service-worker.js")
def service_worker():
    """The service worker, from the site's root so that its scope is the whole site, with the hub's version in it."""
    source = _worker_source().replace(VERSION_PLACEHOLDER, json.dumps(current_app.config["HUB_VERSION"]))
    response = Response(source, mimetype="text/javascript")
    # The browser checks for a new worker at each navigation: it must ask the server, never a stale copy.
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/hors-ligne")
def offline_page():
    """The page the service worker shows for a page not kept; ``?formulaire=1``: a form that could not be sent."""
    return render_template("offline/offline.html", form_not_sent=request.args.get("formulaire") == "1")


@blueprint.get("/hors-ligne/a-garder")
@roles_required(*ROLES)
def pages_to_keep():
    """The pages this tablet keeps for offline use: for the team, those of the coming workshops and its home."""
    if current_user.role not in TEAM:
        # Only the team works on site; fetching a référent's home in the background would count as their visit.
        return jsonify(urls=[])
    urls = [url for workshop_id in _coming_workshops(date.today()) for url in _workshop_pages(workshop_id)]
    return jsonify(urls=[*urls, url_for("home.index")])


def _coming_workshops(today: date) -> list[int]:
    # One query; archived programmes are out of the lists, and the scope leaves out what the reader may not see.
    query = (select(Workshop.id).join(Programme, Programme.id == Workshop.programme_id)
             .where(Workshop.status == "planned", Workshop.held_on >= today,
                    Workshop.held_on <= today + timedelta(days=DAYS_AHEAD), Programme.archived_at.is_(None))
             .order_by(Workshop.held_on, Workshop.id))
    return list(db().exec(query))


def _workshop_pages(workshop_id: int) -> list[str]:
    return [url_for("capture.capture_page", workshop_id=workshop_id),
            url_for("hypotheses.day_hypotheses", workshop_id=workshop_id)]
