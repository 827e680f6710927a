"""Every package's tables, imported in one place for the app, the migrations and the tests."""

from __future__ import annotations


def import_all_models() -> None:
    """Import every package's tables so that the metadata and the scope registry are whole."""
    import exports.models  # noqa: F401
    import hub.core.models  # noqa: F401
    import hub.core.notifications  # noqa: F401
    import irritants.models  # noqa: F401
    import participants.models  # noqa: F401
    import workshops.models  # noqa: F401
    import workshops.service_list  # noqa: F401
