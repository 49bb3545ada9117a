"""What going live freezes: the configuration, the calendars the clocks will measure in, and the
version's content hash, in canonical JSON (sorted keys, NFC, integral floats as integers) with its
SHA-256; and the one change a live version allows without a new version — holidays added to a
frozen calendar for dates still to come."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.canonical import canonical_json
from slaforge.domain.time.calendar.spec import CalendarSpec

FROZEN_MESSAGE = (
    "the readiness configuration of a live version is frozen: changing it needs a new agreement version"
)
MAX_LABEL = 200


def frozen_form(
    *,
    config: Mapping[str, Any],
    version_hash: str | None,
    calendars: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[str, str]:
    """(canonical JSON, SHA-256 hex) of what the clocks will use, bound to the version's content
    hash so that the pair names exactly one agreed text and one set-up. `calendars` maps each
    calendar the terms name (the agreement's, the customer obligations') to its definition: a
    calendar edited later does not move a live agreement's clocks."""
    body: dict[str, Any] = {"config": dict(config), "version_hash": version_hash or ""}
    if calendars is not None:
        body["calendars"] = {name: dict(definition) for name, definition in calendars.items()}
    text = canonical_json(body)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_new_holidays(
    *, calendar: Mapping[str, Any], days: Iterable[tuple[date, str]], today: date, field: str = "days"
) -> list[tuple[date, str]]:
    """The holidays to add to a frozen calendar, validated: each a date after `today` (the
    calendar's own date now: an earlier day would change time already measured) and not yet a
    holiday of the calendar's own list. Repeats in the input collapse; the result is sorted."""
    spec = CalendarSpec.from_dict(calendar)
    out: dict[date, str] = {}
    for i, (day, label) in enumerate(days):
        where = f"{field}[{i}]"
        if day <= today:
            raise InvalidInput(
                f"{day.isoformat()} is not after today ({today.isoformat()} in {spec.timezone}): a live "
                "agreement's past and present time stays as measured; only days to come can be added",
                field=where,
                value=day.isoformat(),
            )
        text = (label or "").strip()
        if len(text) > MAX_LABEL or "\x00" in text:
            raise InvalidInput(f"a holiday's name is at most {MAX_LABEL} characters", field=f"{where}.name")
        out.setdefault(day, text)
    if not out:
        raise InvalidInput("name at least one date to add", field=field)
    return sorted(out.items())


def with_holidays(calendar: Mapping[str, Any], days: Iterable[date]) -> dict[str, Any]:
    """The calendar's definition with `days` among its holiday dates (what the clocks use)."""
    spec = CalendarSpec.from_dict(calendar)
    holidays = dict(calendar.get("holidays") or {})
    holidays["dates"] = sorted({d.isoformat() for d in spec.holiday_dates} | {d.isoformat() for d in days})
    out = dict(calendar)
    out["holidays"] = holidays
    CalendarSpec.from_dict(out)  # the result parses, as every stored definition must
    return out
