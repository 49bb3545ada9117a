"""Signature links as the API sends them: to whom, and what was sent (never the link itself)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from slaforge.entrypoints.api.schemas.agreement.agreements import VersionRefPublic
from slaforge.entrypoints.api.schemas.common import Input, Output

Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]


class SignatureLinksCreate(Input):
    recipients: list[Email] = Field(
        min_length=1, max_length=20, description="customer contacts who each get their own link by e-mail"
    )
    expires_days: int | None = Field(
        None,
        ge=1,
        le=365,
        description="when the version is still a draft: the offer lapses after this many days",
    )


class SignatureLinkPublic(Output):
    link_id: int
    email: str
    expires_at: datetime


class SignatureLinksSentPublic(Output):
    """The version (offered now if it was a draft) and the links queued; each link's secret URL
    travels only in its e-mail."""

    version: VersionRefPublic
    links: list[SignatureLinkPublic]
