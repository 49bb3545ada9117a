"""The meetings calendar parsed back by two independent parsers (icalendar + dateutil, vobject):
10:00 Europe/Berlin in January and July, across the March and October changes, exceptions applied;
and the RFC 5545 structure (required properties, CRLF, folding at 75 octets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import vobject
from dateutil.rrule import rrulestr

from slaforge.adapters.relationship.ics import SeriesFeed, calendar, uid
from slaforge.domain.relationship.meetings import check_exception

BERLIN = ZoneInfo("Europe/Berlin")
SERIES = {
    "key": "monthly-review",
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU;COUNT=12",
    "start": "2027-01-05T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
    "attendees": [
        {"party": "customer", "name": "Service contact", "email": "contact@example.com"},
        {"party": "provider", "name": "Account manager", "email": "am@example.net"},
    ],
    "location": "Room 4, " + "a long address that makes the line fold " * 3,
    "video": "https://meet.example.com/review",
}
MOVED = check_exception(SERIES, "2027-03-02T10:00", "2027-03-04T14:00", cancelled=False)
CANCELLED = check_exception(SERIES, "2027-11-02T10:00", None, cancelled=True)
STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _ics(sequence: int = 3) -> bytes:
    feed = SeriesFeed("agr-1", SERIES, sequence=sequence, changes=(MOVED, CANCELLED), description="Agenda: …")
    return calendar([feed], stamp=STAMP)


def _expected() -> list[datetime]:
    """What both parsers must give: the first Tuesdays of 2027 at 10:00 Berlin, March moved, November gone."""
    out = []
    for month in range(1, 13):
        day = next(d for d in range(1, 8) if datetime(2027, month, d).weekday() == 1)
        out.append(datetime(2027, month, day, 10, 0, tzinfo=BERLIN))
    out[2] = datetime(2027, 3, 4, 14, 0, tzinfo=BERLIN)
    del out[10]
    return out


def _check(starts: list[datetime]) -> None:
    assert [s.astimezone(UTC) for s in sorted(starts)] == [e.astimezone(UTC) for e in _expected()]
    local = {s.astimezone(BERLIN).month: s.astimezone(BERLIN) for s in starts}
    assert (local[1].hour, local[1].utcoffset()) == (10, timedelta(hours=1))  # January, CET
    assert (local[4].hour, local[4].utcoffset()) == (10, timedelta(hours=2))  # after the March change
    assert (local[7].hour, local[7].utcoffset()) == (10, timedelta(hours=2))  # July, CEST
    assert (local[12].hour, local[12].utcoffset()) == (10, timedelta(hours=1))  # after October


def test_icalendar_reads_back_the_series_with_its_exceptions() -> None:
    cal = icalendar.Calendar.from_ical(_ics())
    events = cal.walk("VEVENT")
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert str(master["UID"]) == uid("agr-1", "monthly-review") == "agr-1-monthly-review@slaforge"
    assert int(master["SEQUENCE"]) == 3
    start = master.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin" or master["DTSTART"].params["TZID"] == "Europe/Berlin"
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    exdates = {d.dt.replace(tzinfo=None) for x in [master["EXDATE"]] for d in x.dts}
    moved = {e.decoded("RECURRENCE-ID").replace(tzinfo=None): e.decoded("DTSTART") for e in overrides}
    starts = []
    for local in rule:  # expanded in local time, then given the zone: what RFC 5545 means by TZID
        if local in exdates:
            continue
        starts.append(moved.get(local, local.replace(tzinfo=BERLIN)))
    _check(starts)
    assert {e["UID"] for e in overrides} == {master["UID"]}
    assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(master["URL"]) == "https://meet.example.com/review"
    assert len(master.get("ATTENDEE")) == 2


def test_vobject_reads_back_the_same_occurrences() -> None:
    cal = vobject.readOne(_ics().decode())
    events = cal.contents["vevent"]
    master = next(e for e in events if not hasattr(e, "recurrence_id"))
    overrides = {e.recurrence_id.value: e.dtstart.value for e in events if hasattr(e, "recurrence_id")}
    starts = [overrides.get(s, s) for s in master.getrruleset(addRDate=True)]
    _check(starts)
    assert master.uid.value == "agr-1-monthly-review@slaforge"


def test_sequence_and_uid_are_what_the_caller_keeps() -> None:
    first = icalendar.Calendar.from_ical(_ics(sequence=1)).walk("VEVENT")[0]
    later = icalendar.Calendar.from_ical(_ics(sequence=2)).walk("VEVENT")[0]
    assert first["UID"] == later["UID"]
    assert (int(first["SEQUENCE"]), int(later["SEQUENCE"])) == (1, 2)


def test_rfc5545_structure() -> None:
    raw = _ics()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long LOCATION was folded
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b"END:VCALENDAR"
    unfolded = raw.replace(b"\r\n ", b"").decode().split("\r\n")
    assert {"VERSION:2.0", "PRODID:-//slaforge//relationship meetings//EN"} <= set(unfolded)
    blocks = raw.replace(b"\r\n ", b"").decode().split("BEGIN:VEVENT")[1:]
    assert len(blocks) == 2
    for block in blocks:
        names = {line.split(":")[0].split(";")[0] for line in block.split("\r\n")}
        assert {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "DURATION"} <= names
        assert "DTEND" not in names  # DTEND and DURATION must not both appear
    assert "DTSTART;TZID=Europe/Berlin:20270105T100000" in unfolded
    assert "BEGIN:VTIMEZONE" in unfolded


def test_vtimezone_rules_agree_with_zoneinfo_for_other_zones() -> None:
    """Northern and southern hemisphere, and a zone without daylight saving, through vobject."""
    for zone in ("America/New_York", "Australia/Sydney", "Asia/Tokyo", "Europe/London"):
        series = dict(SERIES, timezone=zone, rrule="FREQ=MONTHLY;BYMONTHDAY=15;COUNT=24", attendees=[])
        raw = calendar([SeriesFeed("agr-1", series)], stamp=STAMP)
        master = vobject.readOne(raw.decode()).contents["vevent"][0]
        starts = list(master.getrruleset(addRDate=True))
        assert len(starts) == 24
        for start in starts:
            expected = start.replace(tzinfo=ZoneInfo(zone))
            assert start.utcoffset() == expected.utcoffset(), (zone, start)
