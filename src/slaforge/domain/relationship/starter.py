"""The starter library of responsibilities: the activities most service relationships share, with
default roles for both parties, a RACI with exactly one Accountable, and a due rule.

Plain data: `starter_section(keys)` gives a relationship section (roles and activities) a draft
can take as it is, or merge into its own (services/relationship/responsibilities.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from slaforge.domain.errors import InvalidInput

ROLES: dict[str, list[str]] = {
    "provider": ["service owner", "support team", "account manager"],
    "customer": ["service contact", "approver", "end users"],
}


def _raci(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"party": party, "role": role, "letters": letters} for party, role, letters in pairs]


ACTIVITIES: tuple[dict[str, Any], ...] = (
    {
        "key": "report-incidents",
        "name": "Report incidents through the agreed channel",
        "due": "as soon as the incident is noticed",
        "raci": _raci(
            ("customer", "end users", "R"),
            ("customer", "service contact", "A"),
            ("provider", "support team", "I"),
        ),
    },
    {
        "key": "keep-contacts-current",
        "name": "Keep the contact list current",
        "due": "within 5 business days of a change",
        "raci": _raci(
            ("customer", "service contact", "RA"),
            ("provider", "account manager", "R"),
            ("provider", "support team", "I"),
        ),
    },
    {
        "key": "grant-remote-access",
        "name": "Grant remote access",
        "due": "within 4 business hours of a request",
        "raci": _raci(
            ("customer", "service contact", "A"),
            ("customer", "end users", "R"),
            ("provider", "support team", "C"),
        ),
    },
    {
        "key": "approve-changes",
        "name": "Approve changes",
        "due": "within 2 business days of a request",
        "raci": _raci(
            ("customer", "approver", "A"),
            ("customer", "service contact", "C"),
            ("provider", "service owner", "R"),
            ("provider", "support team", "I"),
        ),
    },
    {
        "key": "attend-service-reviews",
        "name": "Attend service reviews",
        "due": "monthly, as scheduled",
        "raci": _raci(
            ("provider", "account manager", "A"),
            ("provider", "service owner", "R"),
            ("customer", "service contact", "R"),
            ("customer", "approver", "I"),
        ),
    },
    {
        "key": "deliver-monthly-report",
        "name": "Deliver the monthly report",
        "due": "monthly by the 5th business day",
        "raci": _raci(
            ("provider", "service owner", "A"),
            ("provider", "account manager", "R"),
            ("customer", "service contact", "I"),
        ),
    },
    {
        "key": "publish-planned-maintenance",
        "name": "Publish planned maintenance in advance",
        "due": "at least 5 business days ahead",
        "raci": _raci(
            ("provider", "service owner", "A"),
            ("provider", "support team", "R"),
            ("customer", "service contact", "I"),
            ("customer", "end users", "I"),
        ),
    },
)

KEYS = tuple(a["key"] for a in ACTIVITIES)


def starter_activities(keys: Sequence[str] | None = None, field: str = "keys") -> list[dict[str, Any]]:
    """The starter activities (all, or those named, in library order); an unknown key is refused."""
    if keys is None:
        return deepcopy(list(ACTIVITIES))
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise InvalidInput(
            f"no starter activity '{unknown[0]}' (the library has: {', '.join(KEYS)})",
            field=field,
            value=unknown,
        )
    return [deepcopy(a) for a in ACTIVITIES if a["key"] in keys]


def starter_section(keys: Sequence[str] | None = None) -> dict[str, Any]:
    """Roles and activities of the starter library, as a relationship section's parts."""
    return {"roles": deepcopy(ROLES), "activities": starter_activities(keys)}


def merge_starter(
    section: dict[str, Any], keys: Sequence[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """`section` with the starter roles it lacks added (after its own) and the starter activities
    whose keys it does not have yet appended; returns the new section and the keys added.
    An activity already there is kept as the draft has it: the starter never overwrites."""
    out = deepcopy(section)
    roles = out.setdefault("roles", {"provider": [], "customer": []})
    for party, names in ROLES.items():
        have = roles.setdefault(party, [])
        have.extend(n for n in names if n not in have)
    activities = out.setdefault("activities", [])
    present = {a["key"] for a in activities}
    added = [a for a in starter_activities(keys) if a["key"] not in present]
    activities.extend(added)
    return out, [a["key"] for a in added]
