"""Schemas of the readiness API: the check with its items, the configuration (validated in depth
by the domain, which names the field), waivers, channel tests and going live."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from slaforge.entrypoints.api.schemas.common import Input, Output

State = Literal["ok", "missing", "failed", "waived"]
Kind = Literal["tracking", "reporting", "procedure", "remedy"]


class ItemPublic(Output):
    key: str = Field(description="e.g. objectives[0].tracking: what a waiver names")
    objective: int
    label: str
    kind: Kind
    state: State
    reason: str
    next_step: str
    waived_by: str | None = None


class ReadinessPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str = Field(description="the version's state: accepted, then active")
    ready: bool
    next: str | None = Field(description="the key of the first item to fix, or null")
    went_live_at: datetime | None
    frozen_sha256: str | None
    definitions: list[str] = Field(description="what each clause measures, in words, in the document's order")
    data: list[ItemPublic]
    count: int = Field(description="items matching the filters, over every page")


class ReadinessConfigIn(Input):
    """docs/readiness.md describes every key; `objectives` is positional, one entry per objective."""

    objectives: list[dict[str, Any] | None] = Field(default_factory=list, max_length=100)
    reports: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    pause_statuses: list[str] | None = Field(None, max_length=50, description="statuses pausing the clocks")


class ReadinessConfigPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    config: dict[str, Any]
    updated_at: datetime | None
    updated_by: str | None
    frozen_sha256: str | None


class WaiverIn(Input):
    item: str = Field(min_length=1, max_length=80, pattern=r"^objectives\[\d{1,3}\]\.[a-z]+$")
    reason: str = Field(max_length=2000, description="why the item is waived; required")


class WaiverPublic(Output):
    agreement_id: int
    version_id: int
    item: str
    reason: str
    user: str
    at: datetime


class ChannelTestIn(Input):
    channel: Literal["email", "webhook", "slack"]


class ChannelTestPublic(Output):
    channel: str
    recipients: list[str]
    queued: int = Field(description="0: the same test was queued before")


class LivePublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str
    went_live_at: datetime
    frozen_sha256: str
