"""An agreement's meeting series as an RFC 5545 calendar (icalendar).

One VEVENT per series: DTSTART;TZID=<zone> at the local start, DURATION, the RRULE, a UID stable
across versions (`<agreement>-<series>@slaforge`) and a SEQUENCE the caller keeps (it grows when the
series or its exceptions change). Moved occurrences are overriding VEVENTs with RECURRENCE-ID;
cancelled ones are EXDATEs. VTIMEZONE components come from vtimezone.py (yearly rules), with
icalendar's add_missing_timezones() as the fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from slaforge.adapters.relationship.vtimezone import vtimezone
from slaforge.domain.relationship.meetings import Change, localise

PRODID = "-//slaforge//relationship meetings//EN"


@dataclass(frozen=True)
class SeriesFeed:
    """One series with what the calendar needs beyond the terms."""

    agreement_id: str
    series: Mapping[str, Any]
    sequence: int = 0
    changes: Sequence[Change] = ()
    description: str = ""
    organizer: str = ""
    label: str = ""  # e.g. the agreement's name, prefixed to the summary in a multi-agreement feed
    extra: Mapping[str, str] = field(default_factory=dict)


def uid(agreement_id: str, series_key: str) -> str:
    return f"{agreement_id}-{series_key}@slaforge"


def _attendee(person: Mapping[str, str]) -> vCalAddress:
    address = vCalAddress(f"mailto:{person['email']}" if person.get("email") else "mailto:invalid@invalid")
    address.params["CN"] = vText(person["name"])
    address.params["ROLE"] = vText("REQ-PARTICIPANT")
    address.params["X-SLAFORGE-PARTY"] = vText(person["party"])
    return address


def _base(feed: SeriesFeed, stamp: datetime) -> Event:
    s = feed.series
    event = Event()
    event.add("uid", uid(feed.agreement_id, str(s["key"])))
    event.add("dtstamp", stamp)
    event.add("sequence", feed.sequence)
    summary = f"{feed.label}: {s['name']}" if feed.label else str(s["name"])
    event.add("summary", summary)
    event.add("duration", timedelta(minutes=int(s["duration_minutes"])))
    if s.get("location"):
        event.add("location", s["location"])
    if s.get("video"):
        event.add("url", s["video"])
    if feed.description:
        event.add("description", feed.description)
    if feed.organizer:
        organizer = vCalAddress(f"mailto:{feed.organizer}")
        event.add("organizer", organizer)
    for person in s.get("attendees", []):
        if person.get("email"):
            event.add("attendee", _attendee(person))
    return event


def series_events(feed: SeriesFeed, stamp: datetime) -> list[Event]:
    """The master VEVENT and one overriding VEVENT per moved occurrence."""
    s = feed.series
    zone = ZoneInfo(str(s["timezone"]))
    master = _base(feed, stamp)
    master.add("dtstart", localise(datetime.fromisoformat(str(s["start"])), zone))
    master.add("rrule", vRecur.from_ical(str(s["rrule"])))
    cancelled = sorted(c.original_start for c in feed.changes if c.cancelled)
    if cancelled:
        master.add("exdate", [localise(c, zone) for c in cancelled])
    events = [master]
    for change in sorted(feed.changes, key=lambda c: c.original_start):
        if change.cancelled or change.new_start is None:
            continue
        moved = _base(feed, stamp)
        moved.add("recurrence-id", localise(change.original_start, zone))
        moved.add("dtstart", localise(change.new_start, zone))
        events.append(moved)
    return events


def calendar(
    feeds: Iterable[SeriesFeed], *, name: str = "slaforge meetings", stamp: datetime | None = None
) -> bytes:
    """The VCALENDAR text (CRLF lines folded at 75 octets, as icalendar writes them)."""
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    zones: list[str] = []
    events: list[Event] = []
    for feed in feeds:
        events.extend(series_events(feed, stamp))
        if str(feed.series["timezone"]) not in zones:
            zones.append(str(feed.series["timezone"]))
    for key in zones:
        component = vtimezone(key)
        if component is not None:
            cal.add_component(component)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()  # the fallback for zones vtimezone() left out
    text: bytes = cal.to_ical()
    return text
