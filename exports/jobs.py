"""Report renderings run outside the request that asked for them.

A thread per gunicorn worker renders one version at a time; the version row holds the state and
the progress, so any worker can answer the page that polls it, and a rendering whose process died
is seen as stale and may be retried (exports/service.py). Renderings are rare (a few a year per
programme), which is why no broker or separate queue service is worth running for them.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from hub.core.scoping import Scope

_EXECUTOR: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rendu-rapport")
    return _EXECUTOR


def run_rendering(app: Flask, version_id: int, user_id: int | None) -> None:
    """Render one version in its own session, audited as the person who asked."""
    from flask_babel import force_locale

    from exports.service import render_version
    from hub.core.db import new_session

    # The report is published in French whatever the language of the person who asked.
    with app.app_context(), force_locale("fr"), new_session(scope=Scope.all(), user_id=user_id) as session:
        render_version(session, version_id=version_id)


def submit_rendering(version_id: int, user_id: int | None) -> Future | None:
    """Start rendering a version: in a worker thread, or at once when the app renders inline."""
    app = current_app._get_current_object()
    if app.config["REPORT_RENDERING"] == "inline":
        # An empty context, as a worker thread would have: outside the request, so nothing of it
        # (the logged-in user, its session) leaks into the rendering.
        contextvars.Context().run(run_rendering, app, version_id, user_id)
        return None
    return _executor().submit(run_rendering, app, version_id, user_id)
