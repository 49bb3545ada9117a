"""How excused time and obligation instances are said, the same in the CLI, the API and the pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slaforge.domain.time.clocks.model import ExcusedSpan


def business_duration(seconds: float) -> str:
    """'3 h 30 min', '45 min', '2 h', '0 min' (business time, rounded to the minute)."""
    minutes = round(seconds / 60)
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} h {m} min"
    return f"{h} h" if h else f"{m} min"


def moment(at: datetime | None, zone: ZoneInfo) -> str:
    return "—" if at is None else at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def excused_sentence(span: ExcusedSpan, zone: ZoneInfo) -> str:
    """'paused 2026-03-03 11:00 → 2026-03-04 09:30 UTC: obligation '…' overdue; 3 h 30 min of
    business time excused'."""
    label, start, end, seconds = span
    name = zone.key if zone.key != "UTC" else "UTC"
    return (
        f"paused {moment(start, zone)} → {moment(end, zone)} {name}: {label}; "
        f"{business_duration(seconds)} of business time excused"
    )
