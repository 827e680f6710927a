"""The irritant list's rows rendered once per worker for the values they show (hub.core.fragments).

A page of 50 rows, each formatting its hours and euros and translating its status, was over half of the list's
rendering (pyinstrument). A row shows the irritant's id, title, service, status, hours and priority, its
collectivity's name and its theme's label: all of it is the memo's key.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from hub.core.fragments import Fragments, reader_key

_rows = Fragments(at_most=20_000)  # about 8 MB of HTML per worker at most


def rendered_rows(items: list, themes: dict[str, str]) -> list[Markup]:
    """Each row's HTML, in the page's order; ``items`` the page's (irritant, collectivity name) pairs."""
    html, reader = [], reader_key()
    for irritant, collectivity_name in items:
        theme = themes.get(irritant.theme, irritant.theme)
        shown = (irritant.id, irritant.title, collectivity_name, irritant.service, theme, irritant.status,
                 irritant.hours_per_year, irritant.priority_value)
        html.append(_rows.get(shown, lambda row=irritant, name=collectivity_name, theme=theme: _row_macro()(
            row, name, theme), reader))
    return html


def _row_macro():
    return get_template_attribute("irritants/_list_row.html", "row")
