"""Field types every schema shares, bounded so that what validates also fits the database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; larger ids cannot exist, so they are refused up front
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=UTC)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_RFC_3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the driver.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _rfc_3339(value: object) -> object:
    # The schema promises RFC 3339 (`format: date-time`): a date, 'T', a time with seconds and an
    # offset. The parser behind the field is laxer (a bare number as seconds since 1970, a space
    # for the 'T', no seconds, '+0000'); what the document refuses is refused here too.
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
        raise ValueError("must be an ISO 8601 date and time with a UTC offset, not a number")
    if not isinstance(value, str) or not _RFC_3339.fullmatch(value):
        raise ValueError("must be a date and time such as 2026-03-02T09:00:00Z (RFC 3339, with an offset)")
    return value


def _iso_date(value: object) -> object:
    # The schema promises `format: date` (YYYY-MM-DD); the parser behind the field would also take
    # a number as seconds since 1970, which the document does not allow.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("must be a date such as 2026-03-02 (YYYY-MM-DD)")
    return value


def _in_range(value: datetime) -> datetime:
    if not _EARLIEST <= value <= _LATEST:
        raise ValueError("must lie between 1900 and 2200")
    return value.astimezone(UTC)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_no_nul)
]
Short = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_no_nul)
]
Label = Annotated[str, StringConstraints(min_length=1, max_length=50), AfterValidator(_no_nul)]
Text = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_no_nul)]
# Text by nature, so parsed from text (strict=False) inside the strict request bodies below.
Instant = Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_rfc_3339), AfterValidator(_in_range)]
# A calendar date, written YYYY-MM-DD and nothing else.
Day = Annotated[date, Field(strict=False, description="a date, YYYY-MM-DD"), BeforeValidator(_iso_date)]
# A bound of a filter: any RFC 3339 date and time, however far off.
Moment = Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_rfc_3339)]


class Input(BaseModel):
    """Request bodies refuse unknown fields so a typo is an error, not silently ignored, and take
    each value as the JSON type the schema gives it: `"3"`, `3.0` or `true` for an integer are
    refused, not converted. (Dates and times, and enumerations, are text, so they are parsed
    from text: `Instant`, and `Field(strict=False)` on an enumeration.)"""

    model_config = ConfigDict(extra="forbid", strict=True)


class Changes(Input):
    """A partial update: only sent fields change; null clears a field only where it may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True)
        return {k: v for k, v in sent.items() if v is not None or k in self.nullable}


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `field` names the first offending field, `errors` all of them."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    errors: list[FieldError] = []
