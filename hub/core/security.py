"""HTTP hardening: CSRF on every form, security headers with a strict CSP, login throttling."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# No inline script or style anywhere: every script and stylesheet is one of our static files.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    # The service worker and the manifest (hub/app/offline) come from the site itself, nowhere else.
    "worker-src": "'self'",
    "manifest-src": "'self'",
}


def local_path(target: str | None) -> str | None:
    """The target if it is a path on this site, else None: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def init_app(app: Flask) -> None:
    """Install CSRF protection, the rate limiter and the security headers."""
    csrf.init_app(app)
    limiter.init_app(app)
    production = app.config["HUB_ENV"] == "production"
    Talisman(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        # TLS ends at the reverse proxy; the app only marks cookies and sends HSTS there.
        force_https=False,
        strict_transport_security=production,
        session_cookie_secure=production,
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
