"""Where am I and where can I go: the programme menu on every programme page, and the breadcrumbs above it.

Built here, in the composition root, because it names the pages of every domain. A page belongs to a programme when
its URL names one (``/programmes/<slug>/…``, ``?programme=``), when it shows an irritant or a workshop (their
programme), or, for a référent, always (the programme their collectivity takes part in). The menu offers only what
its reader may open (``hub.core.auth.may_use``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask import Flask, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import may_use
from hub.core.db import db
from hub.core.i18n import formatting_locale
from hub.core.models import Programme, Role
from hub.core.query import str_arg
from hub.core.translations import locale_key
from irritants.models import Irritant
from participants.service import current_programme_of
from workshops.models import Workshop

# How an endpoint of the menu takes its programme: in its path (``slug``) or in its query string (``programme``).
PATH, QUERY, NONE = "path", "query", "none"


@dataclass(frozen=True)
class Item:
    """One entry of the programme menu."""

    endpoint: str
    label: object
    programme_in: str = PATH


@dataclass(frozen=True)
class Group:
    """A heading of the programme menu and its entries."""

    key: str
    label: object
    items: tuple[Item, ...]


MENU = (
    Group("participants", _l("Participants"), (
        Item("participants.collectivity_list", _l("Collectivités"), QUERY),
        Item("selection.candidacies", _l("Candidatures et sélection")),
        Item("selection.coverage", _l("Couverture")),
        Item("surveys.survey_page", _l("Enquêtes de satisfaction")),
    )),
    Group("workshops", _l("Ateliers"), (
        Item("workshops.calendar", _l("Calendrier des ateliers")),
        Item("workshops.workshop_list", _l("Liste des ateliers"), QUERY),
        Item("hypotheses.hypothesis_library", _l("Hypothèses")),
    )),
    Group("irritants", _l("Irritants"), (
        Item("irritants.my_board", _l("Mon tableau"), NONE),
        Item("irritants.programme_board", _l("Tableau des irritants")),
        Item("irritants.irritant_list", _l("Liste des irritants"), QUERY),
        Item("groups.group_list", _l("Groupes de mutualisation")),
        Item("method.parameters", _l("Paramètres de la méthode")),
        Item("services.service_page", _l("Services")),
    )),
    Group("decisions", _l("Décisions"), (
        Item("decisions.decision_log", _l("Journal des décisions")),
    )),
    Group("impact", _l("Impact"), (
        Item("usage.usage_page", _l("Usage de l'outil")),
        Item("impact.impact_page", _l("Impact des actions")),
    )),
    Group("report", _l("Rapport"), (
        Item("exports.report", _l("Rapport du programme")),
        Item("publication.version_list", _l("Versions publiées")),
        Item("publication.key_figures", _l("Chiffres clés")),
    )),
)

# A page that is no entry of the menu sits under one: its breadcrumbs go through it. The first entry its reader may
# open wins (a référent's irritant sits under their board, the team's under the programme's board).
PARENTS = {
    "irritants.irritant_detail": ("irritants.programme_board", "irritants.my_board", "decisions.decision_log"),
    "irritants.irritant_new": ("irritants.programme_board", "irritants.my_board"),
    "irritants.collectivity_board": ("participants.collectivity_list",),
    "options.edit_option": ("irritants.programme_board",),
    "workshops.workshop_detail": ("workshops.calendar", "workshops.workshop_list"),
    "workshops.edit_workshop": ("workshops.calendar",),
    "workshops.plan_workshop": ("workshops.calendar",),
    "capture.capture_page": ("workshops.calendar", "workshops.workshop_list"),
    "hypotheses.day_hypotheses": ("workshops.calendar", "workshops.workshop_list"),
    "workshop_reports.workshop_report": ("workshops.calendar", "workshops.workshop_list"),
    "participants.collectivity_detail": ("participants.collectivity_list",),
    "participants.collectivity_edit": ("participants.collectivity_list",),
    "participants.collectivity_merge": ("participants.collectivity_list",),
    "usage.usage_import": ("usage.usage_page",),
    "publication.version_page": ("publication.version_list",),
    "publication.compare_versions": ("publication.version_list",),
    "publication.progress": ("publication.version_list",),
    "report_cover.logo": ("exports.report",),
    "programme_admin.programme_edit": (),
}


@dataclass
class Link:
    """A place to go: its words, its address, and whether it is the page being read."""

    label: object
    url: str
    current: bool = False


@dataclass
class Navigation:
    """What the layout shows: the programme and its menu (empty outside a programme), and the breadcrumbs."""

    programme: Programme | None = None
    menu: list[tuple[Group, list[Link]]] = field(default_factory=list)
    breadcrumbs: list[Link] = field(default_factory=list)


def _url(item: Item, slug: str) -> str:
    if item.programme_in == PATH:
        return url_for(item.endpoint, slug=slug)
    if item.programme_in == QUERY:
        return url_for(item.endpoint, programme=slug)
    return url_for(item.endpoint)


@lru_cache(maxsize=256)
def _menu_of(_app: Flask, _role: str, _slug: str, _script_root: str, _language: tuple) -> tuple:
    """The menu's groups, each with the entries this role may open, their words and their addresses.

    The same for every page of a programme a role reads in a language (keyed by the app, the role, the programme's
    slug, the prefix the site is served under and the language): built once, not 25 routings, permission checks
    and translations on every page.
    """
    menu = []
    for group in MENU:
        offered = tuple((item, str(item.label), _url(item, _slug)) for item in group.items if _offered(item))
        if offered:
            menu.append((Group(group.key, str(group.label), group.items), offered))
    return tuple(menu)


def _offered(item: Item) -> bool:
    if item.endpoint == "irritants.my_board":  # a référent's board is theirs alone: the team has the programme's
        return current_user.role == Role.PARTICIPANT
    return may_use(item.endpoint)


def _programme_by_slug(session, slug: str) -> Programme | None:
    # The view has most often loaded this programme already: found in the session's identity map, it costs no
    # query (a programme is no collectivity's: no scope to apply).
    for loaded in session.identity_map.values():
        if isinstance(loaded, Programme) and loaded.slug == slug:
            return loaded
    return session.exec(select(Programme).where(Programme.slug == slug)).first()


def page_programme() -> Programme | None:
    """The programme the page being served belongs to, if any (see the module's docstring)."""
    session = db()
    if g.get("programme_slug"):
        return g.get("current_programme") or _programme_by_slug(session, g.programme_slug)
    if current_user.role == Role.PARTICIPANT:
        return programmes.taken_part_in(session, current_user.scope_collectivity_id, current_programme_of)
    slug = str_arg("programme")
    if slug:
        return _programme_by_slug(session, slug)
    # The view has loaded its irritant or workshop: the session's identity map answers without a query. Only the
    # agency's roles come here, who see every collectivity.
    view_args = request.view_args or {}
    shown = None
    if "irritant_id" in view_args:
        shown = session.get(Irritant, view_args["irritant_id"])
    elif "workshop_id" in view_args:
        shown = session.get(Workshop, view_args["workshop_id"])
    return session.get(Programme, shown.programme_id) if shown is not None else None


def _parent(endpoint: str | None, links: dict[str, Link]) -> str | None:
    for candidate in PARENTS.get(endpoint or "", ()):
        if candidate in links:
            return candidate
    return None


def navigation() -> Navigation:
    """The menu and breadcrumbs of the page being served, worked out once per request."""
    if "navigation" in g:
        return g.navigation
    result = Navigation()
    g.navigation = result
    if not current_user.is_authenticated or request.endpoint is None:
        return result
    programme = page_programme()
    home = Link(_l("Accueil"), url_for("home.index"), current=request.endpoint == "home.index")
    result.breadcrumbs.append(home)
    if programme is None:
        return result
    result.programme = programme
    links: dict[str, Link] = {}
    for group, offered in _menu_of(current_app._get_current_object(), current_user.role, programme.slug,
                                   request.script_root, locale_key(formatting_locale())):
        entries = []
        for item, words, url in offered:
            link = Link(words, url, current=item.endpoint == request.endpoint)
            links[item.endpoint] = link
            entries.append(link)
        result.menu.append((group, entries))
    if may_use("home.programme"):
        result.breadcrumbs.append(Link(programme.name, url_for("home.programme", slug=programme.slug),
                                       current=request.endpoint == "home.programme"))
    endpoint = request.endpoint
    section = endpoint if endpoint in links else _parent(endpoint, links)
    if section is not None and section != endpoint:
        result.breadcrumbs.append(links[section])
    return result


LINK_SENTINEL = "987654321"  # an id no row has, found and cut off the URL it was built into


def link_prefix(endpoint: str, key: str, **values) -> str:
    """``endpoint``'s URL up to its last value ``key``: a list writes each row's link as this prefix and the id.

    url_for costs ~25 µs (routing, the programme's slug, quoting); a list of 50 rows and a board of 60 cards
    built one per row spent a tenth of their time there.
    """
    url = url_for(endpoint, **values, **{key: int(LINK_SENTINEL)})
    if not url.endswith(LINK_SENTINEL):
        raise ValueError(f"{endpoint}: {key} is not the last part of its URL ({url})")
    return url[:-len(LINK_SENTINEL)]


def init_app(app: Flask) -> None:
    """Give every template ``navigation()``, ``link_prefix()`` and the programme its reader last worked on."""
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["link_prefix"] = link_prefix
    app.jinja_env.globals["remembered_programme"] = programmes.remembered_slug
    app.jinja_env.globals["today"] = date.today
