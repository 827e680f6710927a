"""Irritants, their remedy options and scoring parameters, decisions and mutual groups."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hub.core.models import utcnow
from hub.core.scoping import CollectivityOwned

IRRITANT_STATUSES = (
    "proposed", "identified", "qualified", "rejected", "scored", "decided", "in_progress", "done", "abandoned",
)
# The statuses an irritant holds once the team has qualified it: every count of "qualified" uses these.
QUALIFIED_STATUSES = ("qualified", "scored", "decided", "in_progress", "done")
KINDS = ("irritant", "souhait")
FAMILIES = ("ia_generative", "ia_specialisee", "formation", "processus", "outil_classique")
AI_FAMILIES = ("ia_generative", "ia_specialisee")
AI_ACT_CLASSES = ("prohibited", "high_risk", "limited", "minimal", "to_classify")
UNSCORED_PRIORITY = -1e15
DECISION_KINDS = ("ai_pilot", "frugal_action", "mutualise", "defer", "drop")


def _text_column() -> sa.Column:
    return sa.Column(sa.Text, nullable=False, server_default="")


# The ORM adds "AND version = ?" to every UPDATE of an irritant: two people saving the same
# irritant cannot silently overwrite each other (DESIGN §6, optimistic locking).
_irritant_version = sa.Column("version", sa.Integer, nullable=False, server_default="1")


class Irritant(CollectivityOwned, table=True):
    """A pain point in an agent's daily work (or a wish for change)."""

    __mapper_args__ = {"version_id_col": _irritant_version}
    __table_args__ = (
        # Lists and boards read their order (priority_sort, hours_per_year, id, all descending)
        # straight from these indexes, scanned backwards, whatever the number of irritants.
        sa.Index("ix_irritant_board", "collectivity_id", "status", "priority_sort", "hours_per_year", "id"),
        sa.Index("ix_irritant_programme_priority", "programme_id", "priority_sort", "hours_per_year", "id"),
        sa.Index("ix_irritant_programme_board", "programme_id", "status", "priority_sort", "hours_per_year", "id"),
        sa.Index("ix_irritant_programme_list", "programme_id", "status", "theme"),
        # The team's to-do lists (hub.app.home.team), across the programmes: one status, the oldest first; the
        # decisions due, the most valuable first.
        sa.Index("ix_irritant_status_created", "status", "created_at", "id"),
        sa.Index("ix_irritant_priority", "priority_sort", "hours_per_year", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", index=True)
    kind: str = Field(default="irritant", max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=_text_column())
    wish: str = Field(default="", sa_column=_text_column())
    service: str = Field(default="", max_length=80, index=True)
    theme: str = Field(default="", max_length=60, index=True)
    raised_by: str = Field(default="", max_length=200)  # a role and a service, never a name
    status: str = Field(default="identified", max_length=20, index=True)
    evidence_level: int = Field(default=0)
    occurrences_per_month: float = Field(default=0)
    minutes_per_occurrence: float = Field(default=0)
    agents_affected: int = Field(default=1)
    impact_citizens: bool = Field(default=False)
    compliance_risk: bool = Field(default=False)
    mental_load: bool = Field(default=False)
    actionability: int = Field(default=0)
    # "Je ne sais pas encore" said explicitly: the irritant waits for an estimate, it is not scored on a silent 0.
    volume_unknown: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False,
                                                                     server_default=sa.false()))
    # Derived from the inputs by the service so that boards sort with an index.
    hours_per_year: float = Field(default=0)
    priority_value: float | None = Field(default=None)
    # priority_value with "not scored yet" as a very low number: one plain column sorts the same
    # way on SQLite and PostgreSQL (which disagree on where NULLs go) and can be indexed.
    priority_sort: float = Field(default=UNSCORED_PRIORITY)
    recommended_family: str | None = Field(default=None, max_length=20)
    client_key: str | None = Field(default=None, max_length=64, unique=True)
    is_demo: bool = Field(default=False)
    version: int = Field(default=1, sa_column=_irritant_version)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


def priority_order(of=None) -> tuple:
    """The one order of lists, boards and reports: priority, then hours per year, then id, all descending.

    ``of``: an alias of Irritant over a subquery (a board's union of columns), ordered the same way.
    """
    of = Irritant if of is None else of
    # All descending so that the indexes above, read backwards, give it; the id makes it total.
    return of.priority_sort.desc(), of.hours_per_year.desc(), of.id.desc()


class IrritantEvent(CollectivityOwned, table=True):
    """One step in an irritant's life: from which status to which, by whom, why."""

    __tablename__ = "irritant_event"

    id: int | None = Field(default=None, primary_key=True)
    irritant_id: int = Field(foreign_key="irritant.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = Field(default="", max_length=500)


class IrritantPhoto(CollectivityOwned, table=True):
    """A photo attached to an irritant (the painful screen, the paper form), its bytes kept in the file store."""

    __tablename__ = "irritant_photo"
    # A resend of the same photo after a lost answer carries the same key: it is recorded once.
    __table_args__ = (sa.UniqueConstraint("irritant_id", "client_key", name="uq_irritant_photo_client_key"),)

    id: int | None = Field(default=None, primary_key=True)
    irritant_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("irritant.id", ondelete="CASCADE"),
                                                 nullable=False, index=True))
    storage_key: str = Field(max_length=200)  # where hub.core.file_store keeps the bytes, never a user's input
    content_type: str = Field(max_length=40)
    width: int
    height: int
    size_bytes: int
    client_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class Comment(CollectivityOwned, table=True):
    """A comment on an irritant, by the team or the collectivity's référent."""

    id: int | None = Field(default=None, primary_key=True)
    irritant_id: int = Field(foreign_key="irritant.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    body: str = Field(sa_column=_text_column())
    created_at: datetime = Field(default_factory=utcnow)


class RemedyOption(CollectivityOwned, table=True):
    """One way to answer an irritant, AI or frugal, with its figures."""

    __tablename__ = "remedy_option"

    id: int | None = Field(default=None, primary_key=True)
    irritant_id: int = Field(foreign_key="irritant.id", index=True)
    family: str = Field(max_length=20)
    label: str = Field(max_length=200)
    reduction_pct: float = Field(default=0)
    one_off_cost: float = Field(default=0)
    recurring_cost: float = Field(default=0)
    months_to_value: int = Field(default=0)
    requests_per_year: int | None = None
    personal_data: str = Field(default="none", max_length=20)  # none | personal | sensitive
    human_review: bool = Field(default=True)
    citizen_facing: bool = Field(default=False)
    sovereign_tool: bool = Field(default=True)
    ai_act_use: str = Field(default="", max_length=60)
    ai_act_class: str | None = Field(default=None, max_length=20)  # proposed by the hub from the use
    # A person's confirmation: the class the method uses once it is set (irritants.ai_act.effective_class).
    ai_act_confirmed_class: str | None = Field(default=None, max_length=20)
    ai_act_confirmed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    ai_act_confirmed_at: datetime | None = None
    # The high-risk deployer's duties ticked (keys of irritants.ai_act.DUTIES): all are needed to recommend.
    ai_act_duties: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False,
                                                                           server_default="[]"))
    # Whether a mutual group may split the one-off cost: training one's own agents is not shared.
    shareable: bool = Field(default=True, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.true()))
    # A published factor (a key of irritants.footprints.FACTORS), or the option's own figures and source.
    footprint_factor: str = Field(default="", sa_column=sa.Column(sa.String(40), nullable=False, server_default=""))
    energy_wh_per_request: float | None = None
    co2e_g_per_request: float | None = None
    footprint_source: str = Field(default="", max_length=300)
    mutual_group_id: int | None = Field(default=None, foreign_key="mutual_group.id")


class ScoringParameters(SQLModel, table=True):
    """One version of a programme's scoring parameters; a change makes a new version."""

    __tablename__ = "scoring_parameters"
    __table_args__ = (sa.UniqueConstraint("programme_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    version: int
    values: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    note: str = Field(default="", max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class MutualGroup(SQLModel, table=True):
    """The same irritant met in several collectivities, proposed then confirmed."""

    __tablename__ = "mutual_group"

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    label: str = Field(max_length=200)
    status: str = Field(default="proposed", max_length=20)  # proposed | confirmed | dismissed
    similarity: float | None = None


class MutualGroupMember(CollectivityOwned, table=True):
    """An irritant's membership of a mutual group."""

    __tablename__ = "mutual_group_member"
    __table_args__ = (sa.UniqueConstraint("group_id", "irritant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mutual_group.id", index=True)
    irritant_id: int = Field(foreign_key="irritant.id", index=True)


class Decision(SQLModel, table=True):
    """What the steering committee decided on an irritant or a group of them."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    kind: str = Field(max_length=20)
    decided_on: date
    rationale: str = Field(sa_column=_text_column())
    owner: str = Field(default="", max_length=200)
    mutual_group_id: int | None = Field(default=None, foreign_key="mutual_group.id")
    parameters_version: int | None = None


class DecisionIrritant(CollectivityOwned, table=True):
    """An irritant a decision covers; a référent sees the decisions on their own."""

    __tablename__ = "decision_irritant"
    __table_args__ = (sa.UniqueConstraint("decision_id", "irritant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    irritant_id: int = Field(foreign_key="irritant.id", index=True)
    # The option decided for this irritant, kept as decided: the impact's estimate starts from it.
    remedy_option_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.Integer, sa.ForeignKey("remedy_option.id", ondelete="SET NULL"), nullable=True))


class ImpactMeasure(CollectivityOwned, table=True):
    """A metric that tells whether a decided action worked, with its baseline."""

    __tablename__ = "impact_measure"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    # The irritant the measure follows: time saved is estimated once per irritant, from the decided option.
    irritant_id: int | None = Field(default=None, foreign_key="irritant.id", index=True)
    metric: str = Field(max_length=200)
    unit: str = Field(max_length=40)
    baseline_value: float
    baseline_on: date
    estimated_hours_saved: float | None = None
    validated: bool = Field(default=False)


class ImpactValue(CollectivityOwned, table=True):
    """A later value of an impact measure, measured or self-reported."""

    __tablename__ = "impact_value"

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="impact_measure.id", index=True)
    value: float
    measured_on: date
    nature: str = Field(max_length=20)  # measured | self_reported
    hours_saved: float | None = None
