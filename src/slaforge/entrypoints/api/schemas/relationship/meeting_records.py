"""Schemas of a meeting occurrence's minutes, action items and agenda, and of a user's feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Day, Input, Name, Output
from slaforge.entrypoints.api.schemas.relationship.tasks import Assignee, PartyName

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$")]
Minutes = Annotated[str, StringConstraints(max_length=50_000, pattern=r"^[^\x00]*$")]
Attendee = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^\x00]*$")]


class ActionIn(Input):
    title: Name
    party: PartyName = Field(description="who owns the task it becomes")
    due: Day
    assignee: Assignee = Field(default="", description="a name or a user's e-mail address")
    key: Key | None = Field(
        default=None,
        description="the action's stable key; by default derived from the title, so the same "
        "title saved again is the same action (its task is made once)",
    )


class MinutesIn(Input):
    text: Minutes = Field(description="what was discussed and decided")
    attendance: list[Attendee] = Field(default_factory=list, max_length=100)
    actions: list[ActionIn] = Field(
        default_factory=list,
        max_length=100,
        description="each becomes a task once; actions left out of a later save keep their tasks",
    )


class ActionPublic(Output):
    id: int
    key: str
    series_key: str
    original_start: str
    task_id: int
    title: str
    party: str
    assignee: str
    due_date: date
    status: str = Field(description="the task's status: the task is where the action is worked on")


class ActionsPublic(BaseModel):
    data: list[ActionPublic]
    count: int


class MinutesPublic(Output):
    id: int
    agreement_id: int
    series_key: str
    original_start: str = Field(description="the occurrence's original local start (its RECURRENCE-ID)")
    text: str
    attendance: list[str]
    revision: int = Field(description="1 when first recorded, +1 per save")
    recorded_by: str
    recorded_at: datetime
    updated_by: str
    updated_at: datetime
    actions: list[ActionPublic]
    created: list[str] = Field(description="keys of the actions this save turned into tasks")


class MinutesListPublic(BaseModel):
    data: list[MinutesPublic]
    count: int


class FigurePublic(Output):
    objective: str
    asked: str
    met: str = Field(description="what the study measured at the target; empty when it has no figure")
    tickets: int
    recommended: str
    meets: bool | None


class AgendaTaskPublic(Output):
    id: int
    title: str
    party: str
    assignee: str
    due_date: date
    status: str
    overdue: bool


class AgendaObligationPublic(Output):
    ticket: str
    name: str
    due_at: datetime
    excuses_provider: bool


class AgendaActionPublic(Output):
    meeting: str
    title: str
    party: str
    assignee: str
    due_date: date
    status: str
    task_id: int


class AgendaTopicPublic(Output):
    id: int
    text: str
    party: str
    raised_by: str
    raised_at: datetime


class AgendaSignalPublic(Output):
    objective: str
    kind: str = Field(description="tighten, loosen (renegotiation) or watermelon (green outside, red inside)")
    reason: str
    recommended: str | None = Field(description="the newest study's recommended target, in words")


class AgendaPublic(Output):
    series_key: str
    series_name: str
    original_start: str
    start: datetime
    cancelled: bool
    generated_at: datetime
    figures_label: str = Field(description='always "study figures": the live results are behind `signals`')
    figures_basis: str
    note: str
    figures: list[FigurePublic]
    tasks: list[AgendaTaskPublic] = Field(description="open tasks, overdue first")
    obligations: list[AgendaObligationPublic] = Field(description="the customer's overdue obligations")
    actions: list[AgendaActionPublic] = Field(description="open actions of earlier meetings")
    topics: list[AgendaTopicPublic] = Field(description="topics either party raised, in the order raised")
    signals: list[AgendaSignalPublic] = Field(
        description="the live agreement's renegotiation signals and watermelon flags (none before go-live)"
    )


class FeedPublic(BaseModel):
    exists: bool
    url: str | None = Field(
        default=None, description="shown only in the answer that made the token; never again"
    )
