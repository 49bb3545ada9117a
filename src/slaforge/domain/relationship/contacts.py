"""The contacts and escalation matrix: for each party, who (a named person or a role), through
which channels, in which hours, at which escalation level (1 first).

    "contacts": [{"party": "provider", "level": 1, "name": "Service desk", "role": "support team",
                  "channels": "support@example.com, +49 30 1234", "hours": "Mon–Fri 08:00–17:00",
                  "when": "any incident"}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.terms import check_number, check_text
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.raci import PARTIES

FIELDS = ("party", "level", "name", "role", "channels", "hours", "when")


def normalise_contact(raw: object, field: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("a contact is an object", field=field, value=raw)
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(map(str, unknown))}", field=field, value=unknown)
    party = raw.get("party")
    if party not in PARTIES:
        raise InvalidInput(f"party must be one of {', '.join(PARTIES)}", field=f"{field}.party", value=party)
    return {
        "party": party,
        "level": int(check_number(raw.get("level", 1), f"{field}.level", low=1, high=9, low_open=False)),
        "name": check_text(raw.get("name", ""), f"{field}.name", allow_empty=False),
        "role": check_text(raw.get("role", ""), f"{field}.role"),
        "channels": check_text(raw.get("channels", ""), f"{field}.channels", allow_empty=False),
        "hours": check_text(raw.get("hours", ""), f"{field}.hours"),
        "when": check_text(raw.get("when", ""), f"{field}.when"),
    }


def normalise_contacts(value: object, field: str) -> list[dict[str, Any]]:
    if value is None:
        value = []
    if not isinstance(value, list) or len(value) > 50:
        raise InvalidInput("must be a list of at most 50 contacts", field=field, value=None)
    out = [normalise_contact(c, f"{field}[{i}]") for i, c in enumerate(value)]
    # The matrix reads by party, then escalation order.
    return sorted(out, key=lambda c: (PARTIES.index(c["party"]), c["level"]))
