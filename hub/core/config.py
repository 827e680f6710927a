"""Configuration read from the environment when the app is created, never at import."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable hub."""


def default_instance_path() -> Path:
    """The repository's ``instance/`` folder, where the SQLite database and dev secrets live."""
    return Path(__file__).resolve().parents[2] / "instance"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written without a driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_url(environ: dict | None = None, instance_path: Path | None = None) -> str:
    """``DATABASE_URL``, or a SQLite file under ``instance/`` by default."""
    environ = os.environ if environ is None else environ
    url = environ.get("DATABASE_URL")
    if url:
        return normalise_database_url(url)
    folder = instance_path or default_instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    # Versions before this one named the file hub.core.db by mistake: a database already there is kept in use.
    earlier = folder / "hub.core.db"
    if earlier.exists() and not (folder / "hub.db").exists():
        return f"sqlite:///{earlier}"
    return f"sqlite:///{folder / 'hub.db'}"


def _secret_key(environ: dict, instance_path: Path, production: bool) -> str:
    key = environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigurationError(
            "SECRET_KEY est obligatoire en production : définissez la variable d'environnement "
            "SECRET_KEY (par exemple avec `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    # In development a key is generated once and kept, so sessions survive restarts and
    # every gunicorn worker signs cookies with the same key.
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load(environ: dict | None = None, instance_path: Path | None = None) -> dict:
    """Build the Flask config from environment variables."""
    environ = os.environ if environ is None else environ
    instance_path = instance_path or default_instance_path()
    env_name = environ.get("HUB_ENV", "development")
    production = env_name == "production"
    return {
        "HUB_ENV": env_name,
        "SECRET_KEY": _secret_key(environ, instance_path, production),
        "DATABASE_URL": database_url(environ, instance_path),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Shared storage (e.g. redis://) lets every worker count the same login attempts.
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": environ.get("HUB_LOGIN_RATE_LIMIT", "5 per minute"),
        # The live open-data catalogue (before any publication) is computed: anonymous visitors may not loop on it.
        "OPENDATA_RATE_LIMIT": environ.get("HUB_OPENDATA_RATE_LIMIT", "10 per minute"),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ("fr", "en"),
        "PAGE_SIZE": int(environ.get("HUB_PAGE_SIZE", "50")),
        # Lists count their rows this far (« plus de 10 000 irritants »): a count never scans a national table.
        "LIST_COUNT_CAP": int(environ.get("HUB_LIST_COUNT_CAP", "10000")),
        "WTF_CSRF_TIME_LIMIT": None,  # a form filled slowly on site must still post
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # uploads are CSV files of a few thousand rows
        # SMTP, for référents' invitation links; without MAIL_SERVER the team passes links on by hand.
        "MAIL_SERVER": environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USERNAME": environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "hub@localhost"),
        # Where the worker's queue is kept (hub/core/jobs.py): empty, beside the database (a SQLite file next to
        # it, or the same PostgreSQL); "immediate" runs each job at once in the request (the test suite).
        "JOBS_URL": environ.get("HUB_JOBS_URL", ""),
        # A rendering silent this long died with its worker: the worker's sweep queues it again.
        "RENDERING_STALE_SECONDS": int(environ.get("HUB_RENDERING_STALE_SECONDS", "120")),
        # Where photos' bytes are kept (hub/core/file_store.py): a folder (by default instance/photos), or an
        # S3-compatible bucket when HUB_S3_BUCKET is set (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
        "FILE_STORE_PATH": environ.get("HUB_FILE_STORE_PATH", ""),
        "S3_BUCKET": environ.get("HUB_S3_BUCKET", ""),
        "S3_ENDPOINT_URL": environ.get("HUB_S3_ENDPOINT_URL", ""),
        "S3_REGION": environ.get("HUB_S3_REGION", ""),
        # Names the service worker's caches (hub/app/offline/version.py): empty, a hash of the code and assets.
        "HUB_VERSION": environ.get("HUB_VERSION", ""),
    }
