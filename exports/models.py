"""Published, immutable versions of a programme's report."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hub.core.models import utcnow

VERSION_STATUSES = ("pending", "rendering", "ready", "failed")


class ReportVersion(SQLModel, table=True):
    """A numbered version of the programme report: data snapshot, HTML, PDF and hash.

    Once ``ready`` nothing in it changes again; ``progress`` and ``step`` let the person who
    asked follow the rendering, which runs outside their request.
    """

    __tablename__ = "report_version"
    __table_args__ = (sa.UniqueConstraint("programme_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    number: int
    status: str = Field(default="pending", max_length=20)  # pending | rendering | ready | failed
    as_of: date | None = None
    progress: int = Field(default=0)  # per cent
    step: str = Field(default="", max_length=200)
    snapshot: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    html: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    pdf: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    pages: int | None = None
    # The anonymised open data as it stood at publication: written once, served as a file.
    opendata_csv: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    opendata_package: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    attempts: int = Field(default=0)  # claims by a worker; a rendering that keeps failing stops being retried
    sha256: str = Field(default="", max_length=64)
    error: str = Field(default="", max_length=1000)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    published_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
