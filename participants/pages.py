"""The extension points of the participants' pages, where the packages above add what they know."""

from __future__ import annotations

from hub.core.extension_points import pages

# Receivers get ``session`` and ``collectivity``, and return a PageSection (or None).
collectivity_page = pages.signal("collectivity-page")
# Receivers get ``session``, ``collectivity_ids`` (the rows shown) and ``programme_id`` (None on the register of
# every collectivity), and return a ListColumn.
collectivity_list = pages.signal("collectivity-list")
