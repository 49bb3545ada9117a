"""Meeting series the agreement promises (monthly service review, quarterly business review,
onboarding calls): an RFC 5545 recurrence rule from a local start in a time zone.

    "reviews": [{"key": "monthly-review", "name": "Monthly service review",
                 "rrule": "FREQ=MONTHLY;BYDAY=1TU", "start": "2027-01-05T10:00",
                 "timezone": "Europe/Berlin", "duration_minutes": 60,
                 "attendees": [{"party": "customer", "name": "Service contact", "email": ""}],
                 "location": "", "video": ""}]

`start` is a local wall-clock time in `timezone`; every occurrence keeps that local time across
daylight-saving changes. Moved or cancelled occurrences are live state, not terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrulestr

from slaforge.domain.agreement.terms import check_number, check_text
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.raci import PARTIES, check_key

FIELDS = ("key", "name", "rrule", "start", "timezone", "duration_minutes", "attendees", "location", "video")


_ZONE = "must be an IANA time zone such as Europe/Berlin"
_LOCAL = "must be a local date and time 'YYYY-MM-DDTHH:MM'"
_RULE = "must be an RFC 5545 rule such as FREQ=MONTHLY;BYDAY=1TU"


def check_timezone(value: object, field: str) -> str:
    if not isinstance(value, str) or value not in available_timezones():
        raise InvalidInput(_ZONE, field=field, value=value)
    try:
        ZoneInfo(value)
    except ZoneInfoNotFoundError:
        raise InvalidInput(_ZONE, field=field, value=value) from None
    return value


def check_local_start(value: object, field: str) -> datetime:
    """A naive local date and time 'YYYY-MM-DDTHH:MM'."""
    if not isinstance(value, str):
        raise InvalidInput(_LOCAL, field=field, value=value)
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            "must be a local date and time 'YYYY-MM-DDTHH:MM'", field=field, value=value
        ) from None
    if start.tzinfo is not None:
        raise InvalidInput(
            "give the local time without an offset; the time zone is its own field", field=field, value=value
        )
    return start


def check_rrule(value: object, field: str, start: datetime) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise InvalidInput(
            "must be an RFC 5545 rule such as FREQ=MONTHLY;BYDAY=1TU", field=field, value=value
        )
    rule = value.strip().removeprefix("RRULE:")
    if "DTSTART" in rule.upper():
        raise InvalidInput(
            "the start is its own field; leave DTSTART out of the rule", field=field, value=value
        )
    try:
        rrulestr(rule, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"is not a valid RFC 5545 rule: {exc}", field=field, value=value) from None
    return rule


def _attendee(raw: object, field: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or set(raw) - {"party", "name", "email"}:
        raise InvalidInput("an attendee is {party, name, email}", field=field, value=raw)
    party = raw.get("party")
    if party not in PARTIES:
        raise InvalidInput(f"party must be one of {', '.join(PARTIES)}", field=f"{field}.party", value=party)
    email = check_text(raw.get("email", ""), f"{field}.email")
    if email and ("@" not in email or " " in email):
        raise InvalidInput("must be an e-mail address", field=f"{field}.email", value=email)
    return {
        "party": party,
        "name": check_text(raw.get("name", ""), f"{field}.name", allow_empty=False),
        "email": email,
    }


def normalise_review(raw: object, field: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("a meeting series is an object", field=field, value=raw)
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(map(str, unknown))}", field=field, value=unknown)
    start = check_local_start(raw.get("start"), f"{field}.start")
    attendees = raw.get("attendees", [])
    if not isinstance(attendees, list) or len(attendees) > 50:
        raise InvalidInput("must be a list of at most 50 attendees", field=f"{field}.attendees", value=None)
    return {
        "key": check_key(raw.get("key"), f"{field}.key"),
        "name": check_text(raw.get("name", ""), f"{field}.name", allow_empty=False),
        "rrule": check_rrule(raw.get("rrule"), f"{field}.rrule", start),
        "start": start.isoformat(timespec="minutes"),
        "timezone": check_timezone(raw.get("timezone"), f"{field}.timezone"),
        "duration_minutes": int(
            check_number(raw.get("duration_minutes", 60), f"{field}.duration_minutes", low=0, high=24 * 60)
        ),
        "attendees": [_attendee(a, f"{field}.attendees[{i}]") for i, a in enumerate(attendees)],
        "location": check_text(raw.get("location", ""), f"{field}.location"),
        "video": check_text(raw.get("video", ""), f"{field}.video"),
    }


def normalise_reviews(value: object, field: str) -> list[dict[str, Any]]:
    if value is None:
        value = []
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidInput("must be a list of at most 20 meeting series", field=field, value=None)
    out = [normalise_review(r, f"{field}[{i}]") for i, r in enumerate(value)]
    keys = [r["key"] for r in out]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise InvalidInput(f"the key '{key}' is used twice", field=f"{field}[{i}].key", value=key)
    return out
