"""The collectivity list's rows rendered once per worker for the values they show (hub.core.fragments).

A page of 50 rows, each translating its kind and status and formatting its figures, was most of the list's
rendering (pyinstrument). A row shows the collectivity's id, name, demo flag, kind, EPCI subkind, département
and population, its enrolment's status and the other packages' columns (its irritants…): all of it is the key.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from hub.core.fragments import Fragments, reader_key

_rows = Fragments(at_most=20_000)  # about 8 MB of HTML per worker at most


def rendered_rows(items: list, columns: list) -> list[Markup]:
    """Each row's HTML, in the page's order; ``items`` the page's (collectivity, enrolment) pairs, ``columns`` the
    list's extra columns (hub.core.extension_points.ListColumn)."""
    html, reader = [], reader_key()
    for collectivity, enrolment in items:
        values = tuple(column.values.get(collectivity.id, column.default) for column in columns)
        status = enrolment.status if enrolment else None
        shown = (collectivity.id, collectivity.name, collectivity.is_demo, collectivity.kind,
                 collectivity.epci_subkind, collectivity.departement_code, collectivity.population, status, values)
        html.append(_rows.get(shown, lambda c=collectivity, s=status, v=values: _row_macro()(c, s, v), reader))
    return html


def _row_macro():
    return get_template_attribute("participants/_list_row.html", "row")
