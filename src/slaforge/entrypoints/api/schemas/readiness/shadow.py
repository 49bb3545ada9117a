"""Schemas of shadow runs: starting one over a period, and a run with its progress and result
(the result's shape is documented in docs/readiness.md, "Shadow run")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from slaforge.entrypoints.api.schemas.common import Input, Instant, Output

ShadowState = Literal["queued", "running", "done", "failed"]


class ShadowRunIn(Input):
    start: Instant = Field(description="The period's start (RFC 3339)")
    end: Instant = Field(description="The period's end, excluded; the clocks are read at it")
    source: str | None = Field(default=None, max_length=100, description="One history source, or all")


class ShadowRunPublic(Output):
    id: int
    agreement_id: int
    version_id: int
    period_start: datetime
    period_end: datetime
    source: str | None
    state: ShadowState
    done: int = Field(description="ticket clocks replayed so far (tickets × objectives replayed)")
    total: int
    error: str = Field(description="why it failed; empty otherwise")
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None = Field(description="what the replay produced, once done")


class ShadowRunsPublic(BaseModel):
    data: list[ShadowRunPublic]
    count: int
