"""An agreement's implementation tasks as the API reads and writes them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Changes, Day, Id, Input, Name, Output, Text

StatusName = Literal["open", "in_progress", "blocked", "done", "cancelled"]
PartyName = Literal["provider", "customer"]
Assignee = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^\x00]*$")]
Clause = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^\x00]*$")]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]


class TaskCreate(Input):
    title: Name
    party: PartyName = Field(description="the owning party")
    due: Day
    start: Day | None = None
    assignee: Assignee = Field("", description="a name or a user's e-mail address")
    description: Text = ""
    clause: Clause | None = Field(None, description="the clause it serves: a clause key or objective:<index>")
    source: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] = "api"


class TaskUpdate(Changes):
    """Only sent fields change; a customer user may send status, assignee and note only."""

    nullable: ClassVar[frozenset[str]] = frozenset({"start", "clause"})

    title: Name | None = None
    status: StatusName | None = None
    assignee: Assignee | None = None
    due: Day | None = None
    start: Day | None = None
    description: Text | None = None
    clause: Clause | None = None
    note: Note | None = Field(None, description="a line appended to the task's notes")


class DependencyCreate(Input):
    depends_on: Id = Field(description="the task this one waits for (same agreement)")


class TemplateApply(Input):
    template: Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[a-z_-]+$")] = (
        "onboarding"
    )
    start: Day


class TaskPublic(Output):
    id: int
    agreement_id: int
    title: str
    description: str
    party: str
    assignee: str
    start_date: date | None
    due_date: date
    status: str
    clause: str | None
    source: str
    notes: str
    revision: int
    overdue: bool
    depends_on: list[int]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    reminded_at: datetime | None


class TasksPublic(Output):
    data: list[TaskPublic]
    count: int
    overdue_rule: str = Field(description="when a task counts as overdue (the agreement's time zone)")


class DependencyPublic(Output):
    task_id: int
    depends_on: int
    added: bool = Field(description="false when the dependency was there already")


class TemplatePublic(Output):
    name: str
    description: str
    tasks: int


class TemplatesPublic(Output):
    data: list[TemplatePublic]
    count: int


class TemplateAppliedPublic(Output):
    task_ids: list[int]
