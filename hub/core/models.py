"""Core tables: programmes, their milestones and themes, accounts and the audit log."""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    """An account's role. A ``str``: the column keeps the plain value and ``user.role == "participant"`` holds."""

    ADMIN = "admin"
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"  # a collectivity's référent
    STEERING = "steering"  # the steering committee: reads, writes nothing


# The project team, who run the programme: the roles most pages are for (``roles_required(*TEAM)``).
TEAM = (Role.ADMIN, Role.FACILITATOR)
# Plain strings, for the command line's choices (click would match an enum by its NAME).
ROLES = tuple(role.value for role in Role)


def utcnow() -> datetime:
    """The current time, aware, in UTC (SQLModel stores aware datetimes)."""
    return datetime.now(timezone.utc)


class Programme(SQLModel, table=True):
    """A 12-month experimentation programme an agency runs with collectivities."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    name: str = Field(max_length=200)
    agency: str = Field(max_length=200)
    region_name: str = Field(max_length=120)
    # The région's départements, so coverage can name the missing ones.
    region_departements: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    launch_date: date
    launch_place: str = Field(default="", max_length=120)
    duration_months: int = Field(default=12)
    tool_name: str = Field(default="", max_length=120)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    # The agency's logo for the report's cover (optional): PNG, JPEG or SVG as uploaded by the admin.
    agency_logo: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    agency_logo_type: str = Field(default="", max_length=40)
    is_demo: bool = Field(default=False)
    # An archived programme leaves the lists and menus; it stays readable with everything it owns.
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    # Moved by the database's triggers (migration 0020), never by the application: what a worker keeps per
    # programme is kept under these values (hub.core.revisions). Themes, services, scoring parameters:
    settings_revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Enrolments, and their collectivities' name, département, kind and population; the register's collectivities
    # added, removed or renamed (migration 0022):
    selection_revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Its irritants added or removed, or changed in what the lists and boards count them by (migration 0021):
    irritants_revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Milestone(SQLModel, table=True):
    """A dated step of a programme: launch day, workshops window, tool access, committees."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    kind: str = Field(max_length=40)
    label: str = Field(max_length=200)
    starts_on: date
    ends_on: date | None = None


class ProgrammeTheme(SQLModel, table=True):
    """A theme the programme's workshops explore (findability, citizen relations, …)."""

    __tablename__ = "programme_theme"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=60)
    label: str = Field(max_length=200)


class User(UserMixin, SQLModel, table=True):
    """An account. A référent's account is limited to one collectivity.

    Accounts are not themselves collectivity-owned rows: authentication must find an
    account before any scope exists, so the link is named for what it does.
    """

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    full_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    scope_collectivity_id: int | None = Field(default=None, foreign_key="collectivity.id", index=True)
    active: bool = Field(default=True)
    is_demo: bool = Field(default=False)
    # The interface language the person chose, kept from one session and one device to the next.
    language: str | None = Field(default=None, max_length=5)
    # A session is valid only while it carries this number: logging out or a new password moves it on, so that a
    # cookie copied earlier, or a session on another device, ends too (hub.core.auth).
    session_epoch: int = Field(default=0)
    last_login_at: datetime | None = None
    # The référent's last look at their home: its news are what happened since the visit before (hub/app/home).
    home_seen_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        """Whether the account may log in."""
        return self.active

    @property
    def display_name(self) -> str:
        """The person's name where a person is meant (who facilitates, who did what); their e-mail without one."""
        return self.full_name.strip() or self.email

    @property
    def is_project_team(self) -> bool:
        """Admins and facilitators run the programme."""
        return self.role in TEAM


class BackgroundJob(SQLModel, table=True):
    """Long work a page asked for and the worker does (hub/core/jobs.py): its state, for the page that waits."""

    __tablename__ = "background_job"
    __table_args__ = (sa.Index("ix_background_job_kind_programme", "kind", "programme_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60)
    programme_id: int | None = Field(default=None, foreign_key="programme.id")
    status: str = Field(default="pending", max_length=20)  # pending | running | done | failed
    arguments: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    result: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    error: str = Field(default="", max_length=1000)
    attempts: int = Field(default=0)
    requested_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class LoginThrottle(SQLModel, table=True):
    """Failed logins counted for one account or one address, shared by every web worker (hub/core/throttle.py)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=300)  # "compte:<e-mail>" or "adresse:<IP>"
    failures: int = Field(default=0)
    window_started_at: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None


class AuditEntry(SQLModel, table=True):
    """One insert, update or delete of a domain row: who, when, what changed."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=10)
    table_name: str = Field(max_length=60, index=True)
    row_id: int | None = Field(default=None)
    changes: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class Invitation(SQLModel, table=True):
    """A one-time link with which a new référent sets their password (only its hash is kept)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    # "invitation": a new account sets its first password; "reset": its owner asked for a new one (by e-mail).
    purpose: str = Field(default="invitation", max_length=20,
                         sa_column_kwargs={"server_default": "invitation"})
    expires_at: datetime
    used_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
