"""Customer expectations, their invitations and the gap analysis as the API reads and writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Id, Input, Output, Short

MetricName = Literal["first_response", "next_response", "resolution", "periodic_update", "availability"]
ImportanceName = Literal["must-have", "important", "nice-to-have"]
Priority = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[^\x00]*$")
]
TargetText = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[^\x00]*$")]
Comment = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]


class ExpectationCreate(Input):
    """One expectation; stating the same metric and priority again replaces the earlier one."""

    customer_id: Id
    metric: MetricName
    priority: Priority | None = Field(None, description="a ticket priority; empty for availability")
    target: float | TargetText = Field(
        description="business time ('4h', '1d 2h', '1 business day', or seconds as a number); "
        "for availability a percentage such as 99.9",
        examples=["4h", 99.9],
    )
    importance: ImportanceName = "important"
    comment: Comment = ""


class ExpectationsImport(Input):
    """A CSV file's text with the header metric,priority,target,importance,comment (all or nothing)."""

    customer_id: Id
    file_name: Short = "expectations.csv"
    content: Annotated[str, StringConstraints(max_length=500_000)]


class ExpectationPublic(Output):
    id: int
    customer_id: int
    metric: str
    priority: str | None
    target_seconds: float | None
    target_percent: float | None
    importance: str
    comment: str
    source: str
    recorded_by: str
    recorded_at: datetime


class ExpectationsPublic(Output):
    data: list[ExpectationPublic]
    count: int


class GapPublic(Output):
    expectation_id: int
    metric: str
    priority: str | None
    importance: str
    target_seconds: float | None
    target_percent: float | None
    verdict: str = Field(
        description="comfortably achievable, achievable, stretch, not achievable today, cannot judge"
    )
    reason: str
    attainment: float | None = Field(
        description="share of tickets that met the target; availability: mean uptime"
    )
    level: float
    months: int
    months_reaching: int
    tickets: int
    offer_label: str | None
    offer_seconds: float | None
    offer_percent: float | None
    service: str | None
    agreeable: bool
    proposal_seconds: float | None = Field(
        description="what an agreement can promise: the target if achievable, else the offer"
    )
    proposal_percent: float | None


class GapsPublic(Output):
    customer_id: int
    basis: str
    study_id: int | None
    level: float
    month_share: float
    data: list[GapPublic]
    count: int


class InviteCreate(Input):
    customer_id: Id
    email: Annotated[str, StringConstraints(max_length=254, pattern=r"^[^\x00]*$")]
    days: int = Field(14, ge=1, le=365, description="days the link stays valid")


class InviteIssuedPublic(Output):
    id: int
    customer_id: int
    email: str
    url: str = Field(description="the questionnaire link; shown once, only its hash is stored")
    expires_at: datetime


class InvitePublic(Output):
    id: int
    customer_id: int
    email: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class InvitesPublic(Output):
    data: list[InvitePublic]
    count: int
