"""Schemas of the responsibilities API: roles, RACI activities and the contacts matrix of an
agreement's terms, and the customer's acknowledgements. The services validate the content again
(exactly one Accountable per activity, roles that exist), naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from slaforge.entrypoints.api.schemas.common import Input, Output

Party = Literal["provider", "customer"]
Name = Field(min_length=1, max_length=500)


class RaciAssignment(Input):
    party: Party
    role: str = Name
    letters: str = Field(min_length=1, max_length=4, description="one or more of R, A, C, I")


class ActivityIn(Input):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$", description="e.g. 'approve-changes'")
    name: str = Name
    raci: list[RaciAssignment] = Field(max_length=20, description="exactly one assignment holds the A")
    due: str = Field("", max_length=500, description="e.g. 'within 2 business days of a request'")


class ActivityChange(Input):
    """An activity replaced where it stands; its key is the path's."""

    name: str = Name
    raci: list[RaciAssignment] = Field(max_length=20)
    due: str = Field("", max_length=500)


class Roles(Input):
    provider: list[str] = Field(default_factory=list, max_length=50)
    customer: list[str] = Field(default_factory=list, max_length=50)


class ContactIn(Input):
    party: Party
    level: int = Field(1, ge=1, le=9, description="escalation order, 1 first")
    name: str = Name
    role: str = Field("", max_length=500)
    channels: str = Name
    hours: str = Field("", max_length=500)
    when: str = Field("", max_length=500)


class ContactsIn(Input):
    contacts: list[ContactIn] = Field(max_length=50, description="in any order; shown by party, then level")


class RelationshipIn(Input):
    """The whole section; the parts other modules own (obligations, reviews) are checked by them."""

    roles: Roles = Field(default_factory=Roles)
    activities: list[ActivityIn] = Field(default_factory=list, max_length=100)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)
    obligations: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    reviews: list[dict[str, Any]] = Field(default_factory=list, max_length=100)


class StarterIn(Input):
    keys: list[str] | None = Field(
        None, max_length=50, description="the starter activities to add; all when absent"
    )


class AcknowledgementIn(Input):
    activity_key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$")


class ActivityPublic(Output):
    key: str
    name: str
    raci: list[dict[str, str]]
    due: str


class RelationshipPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str
    editable: bool = Field(description="only a draft's section may change")
    section: dict[str, Any]


class ActivitiesPublic(Output):
    version_id: int
    data: list[ActivityPublic]
    count: int


class StarterPublic(RelationshipPublic):
    added: list[str]


class AcknowledgementPublic(Output):
    agreement_id: int
    version_id: int
    activity_key: str
    user: str
    at: datetime


class AcknowledgementsPublic(Output):
    data: list[AcknowledgementPublic]
    count: int
