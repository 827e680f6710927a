"""Collectivities, their enrolment in programmes, tool seats, usage and surveys."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hub.core.models import utcnow
from hub.core.scoping import CollectivityOwned, ScopedToCollectivity

KINDS = ("commune", "epci", "syndicat_mixte", "departement", "region", "other")
EPCI_SUBKINDS = ("CC", "CA", "CU", "metropole")
ENROLMENT_STATUSES = ("candidacy", "selected", "not_selected", "enrolled", "withdrawn", "completed")


class Collectivity(SQLModel, ScopedToCollectivity, table=True):
    """A commune, an EPCI, a syndicat mixte… A référent sees only their own."""

    __scope_column__ = "id"
    __table_args__ = (sa.UniqueConstraint("name", "departement_code"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    slug: str = Field(max_length=200, unique=True, index=True)
    kind: str = Field(max_length=20, index=True)
    epci_subkind: str | None = Field(default=None, max_length=20)
    departement_code: str = Field(max_length=3, index=True)
    siren: str | None = Field(default=None, max_length=9, unique=True)
    population: int | None = None
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class Enrolment(CollectivityOwned, table=True):
    """A collectivity's candidacy to a programme and where it stands."""

    __table_args__ = (sa.UniqueConstraint("programme_id", "collectivity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    status: str = Field(default="candidacy", max_length=20, index=True)
    motivation: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    applied_on: date
    motivation_score: int | None = None


class EnrolmentEvent(CollectivityOwned, table=True):
    """One dated change of an enrolment's status, by whom and why."""

    __tablename__ = "enrolment_event"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    at: datetime = Field(default_factory=utcnow)
    by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    reason: str = Field(default="", max_length=500)


class ToolSeat(CollectivityOwned, table=True):
    """Seats of the programme's generative-AI tool given to a collectivity."""

    __tablename__ = "tool_seat"

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    seats: int
    granted_on: date
    withdrawn_on: date | None = None


class UsageMonth(CollectivityOwned, table=True):
    """A collectivity's use of the tool over one month."""

    __tablename__ = "usage_month"
    __table_args__ = (sa.UniqueConstraint("programme_id", "collectivity_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    month: date  # the first day of the month
    active_users: int
    requests: int
    use_cases: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    source: str = Field(default="entered", max_length=20)
    validated: bool = Field(default=False)
    # A référent's change to a validated month, waiting for the team: {"values": …, "by_user_id": …, "at": …}.
    correction: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(none_as_null=True), nullable=True))


class SurveyWave(SQLModel, table=True):
    """A satisfaction survey run across the programme (agents or users)."""

    __tablename__ = "survey_wave"

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    label: str = Field(max_length=200)
    audience: str = Field(max_length=20)  # agents | users
    opened_on: date
    closed_on: date | None = None


class SurveyResult(CollectivityOwned, table=True):
    """A collectivity's aggregated answers to one survey wave."""

    __tablename__ = "survey_result"
    __table_args__ = (sa.UniqueConstraint("wave_id", "collectivity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="survey_wave.id", index=True)
    respondents: int
    positive: int
    validated: bool = Field(default=False)
    # A référent's change to validated results, waiting for the team (as UsageMonth.correction).
    correction: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(none_as_null=True), nullable=True))


class RegistryEntry(SQLModel, table=True):
    """A commune, an EPCI or a département of France's official registry (Etalab's découpage administratif).

    Reference data, loaded by ``hub registry load``, the same for every programme: adding a collectivity starts
    with a search here, which fills its identity (participants/registry.py).
    """

    __tablename__ = "registry_entry"
    __table_args__ = (sa.UniqueConstraint("kind", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # commune | epci | departement
    code: str = Field(max_length=9)  # INSEE code of a commune or a département, SIREN of an EPCI
    siren: str | None = Field(default=None, max_length=9, index=True)
    name: str = Field(max_length=200)
    # The name, codes and postcodes in lower case without accents: what a search matches, word by word.
    search_text: str = Field(default="", max_length=400)
    departement_code: str = Field(default="", max_length=3, index=True)
    region_code: str = Field(default="", max_length=3)
    epci_subkind: str | None = Field(default=None, max_length=20)
    population: int | None = None
    postcodes: str = Field(default="", max_length=200)
    epci_siren: str | None = Field(default=None, max_length=9, index=True)  # a commune's EPCI
