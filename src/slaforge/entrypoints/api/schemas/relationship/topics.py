"""Schemas of the topics either party raises for a coming meeting occurrence."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Input, Output

TopicText = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]


class TopicIn(Input):
    text: TopicText = Field(description="what to discuss; the same text raised again is the same topic")


class TopicPublic(Output):
    id: int
    agreement_id: int
    series_key: str
    original_start: str
    text: str
    party: str = Field(description="provider or customer: the side of the one who raised it")
    raised_by: str
    raised_at: datetime
    new: bool = Field(default=False, description="this request stored it (false: raised before)")


class TopicsPublic(BaseModel):
    data: list[TopicPublic]
    count: int
