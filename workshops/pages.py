"""The extension points of the workshops' pages, where the packages above add what they know."""

from __future__ import annotations

from hub.core.extension_points import pages

# Receivers get ``session`` and ``workshop``, and return a PageSection (or None); the page sends it only
# once the viewer may read what the workshop found.
workshop_page = pages.signal("workshop-page")
