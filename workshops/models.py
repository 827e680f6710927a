"""On-site "vis ma vie" workshops and the AI-usefulness hypotheses they test."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hub.core.scoping import CollectivityOwned

WORKSHOP_STATUSES = ("planned", "held", "published")
HYPOTHESIS_OUTCOMES = ("untested", "validated", "invalidated", "unclear")


class Workshop(CollectivityOwned, table=True):
    """One on-site day in one collectivity."""

    __table_args__ = (sa.Index("ix_workshop_programme_date", "programme_id", "held_on"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    held_on: date
    place: str = Field(default="", max_length=200)
    status: str = Field(default="planned", max_length=20, index=True)
    services: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    themes: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    agents_met: int | None = None
    context: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    next_steps: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    published_at: datetime | None = None


class WorkshopFacilitator(CollectivityOwned, table=True):
    """A member of the project team booked on a workshop."""

    __tablename__ = "workshop_facilitator"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)


class Hypothesis(SQLModel, table=True):
    """An AI-usefulness hypothesis from the programme's library."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    statement: str = Field(max_length=500)
    theme: str = Field(default="", max_length=60)


class HypothesisTest(CollectivityOwned, table=True):
    """What one workshop found about one hypothesis, with its evidence."""

    __tablename__ = "hypothesis_test"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "hypothesis_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    hypothesis_id: int = Field(foreign_key="hypothesis.id", index=True)
    outcome: str = Field(default="untested", max_length=20)
    evidence: str = Field(default="", max_length=1000)
    agents_count: int | None = None
