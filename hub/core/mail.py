"""Email, only when SMTP settings are configured (Flask-Mail); otherwise the team passes links on."""

from __future__ import annotations

import logging

from flask import Flask, current_app
from flask_mail import Mail, Message

mail = Mail()
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Read the SMTP settings; without MAIL_SERVER nothing is ever sent."""
    mail.init_app(app)


def enabled() -> bool:
    """Whether an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send(*, to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False (and a log line) when it could not go."""
    if not enabled():
        return False
    try:
        mail.send(Message(subject=subject, recipients=[to], body=body))
    except OSError:
        log.exception("envoi du courriel impossible à %s", to)
        return False
    return True
