"""Customer obligations that are measured: each runs as a clock of its own, in the customer's
calendar, from a ticket event to another, and may excuse the provider while it is overdue.

    "obligations": [{"key": "answer-information-requests",
                     "name": "Answer the provider's information request",
                     "activity": "answer-questions",          # the RACI activity it measures, or ""
                     "due_seconds": 57600,                     # business seconds
                     "calendar": "",               # a stored calendar's name, "" = the agreement's
                     "starts_on": {"status": "awaiting customer information"},
                     "stops_on": {"event": "customer_reply"},
                     "excuses_provider": true}]

`starts_on`/`stops_on` is either {"status": NAME} (the ticket enters, for a start, or leaves, for
a stop, that status) or {"event": KIND} (a ticket event kind such as customer_reply). Besides
`stops_on`, a customer reply (what the portal's "information sent" records) and the ticket's
resolution end an instance: see domain/relationship/obligations.py for how instances are measured.
When `excuses_provider` is true, the start status pauses no provider clock by itself: the provider
is excused only from the moment the obligation is overdue until it is fulfilled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.terms import check_number, check_text
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.raci import check_key
from slaforge.domain.time.clocks.model import EventKind

FIELDS = ("key", "name", "activity", "due_seconds", "calendar", "starts_on", "stops_on", "excuses_provider")


def _trigger(raw: object, field: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or len(raw) != 1 or not set(raw) <= {"status", "event"}:
        raise InvalidInput("must be {status: NAME} or {event: KIND}", field=field, value=raw)
    ((kind, value),) = raw.items()
    if kind == "event":
        kinds = [k.value for k in EventKind]
        if value not in kinds:
            raise InvalidInput(
                f"event must be one of {', '.join(kinds)}", field=f"{field}.event", value=value
            )
        return {"event": str(value)}
    return {"status": check_text(value, f"{field}.status", allow_empty=False)}


def normalise_obligation(raw: object, field: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("an obligation is an object", field=field, value=raw)
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(map(str, unknown))}", field=field, value=unknown)
    excuses = raw.get("excuses_provider", False)
    if not isinstance(excuses, bool):
        raise InvalidInput("must be true or false", field=f"{field}.excuses_provider", value=excuses)
    activity = raw.get("activity", "")
    return {
        "key": check_key(raw.get("key"), f"{field}.key"),
        "name": check_text(raw.get("name", ""), f"{field}.name", allow_empty=False),
        "activity": check_key(activity, f"{field}.activity") if activity else "",
        "due_seconds": check_number(
            raw.get("due_seconds"), f"{field}.due_seconds", low=0, high=366 * 86400, unit="seconds"
        ),
        "calendar": check_text(raw.get("calendar", ""), f"{field}.calendar"),
        "starts_on": _trigger(raw.get("starts_on"), f"{field}.starts_on"),
        "stops_on": _trigger(raw.get("stops_on"), f"{field}.stops_on"),
        "excuses_provider": excuses,
    }


def normalise_obligations(value: object, field: str) -> list[dict[str, Any]]:
    if value is None:
        value = []
    if not isinstance(value, list) or len(value) > 50:
        raise InvalidInput("must be a list of at most 50 obligations", field=field, value=None)
    out = [normalise_obligation(o, f"{field}[{i}]") for i, o in enumerate(value)]
    keys = [o["key"] for o in out]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise InvalidInput(f"the key '{key}' is used twice", field=f"{field}[{i}].key", value=key)
    return out
