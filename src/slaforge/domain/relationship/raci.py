"""Responsibilities as a RACI matrix: each activity of the relationship assigns Responsible,
Accountable, Consulted and Informed to named roles of both parties, with exactly one Accountable.

Shape (inside the terms' "relationship" section):

    "roles": {"provider": ["service owner", "support team"], "customer": ["service contact"]},
    "activities": [{"key": "report-incidents", "name": "Report incidents through the agreed channel",
                    "raci": [{"party": "customer", "role": "end users", "letters": "R"},
                             {"party": "customer", "role": "service contact", "letters": "A"}],
                    "due": "as soon as the incident is noticed"}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.terms import check_text, check_texts
from slaforge.domain.errors import InvalidInput

PARTIES = ("provider", "customer")
LETTERS = "RACI"
MAX_ACTIVITIES = 100
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


def check_key(value: object, field: str) -> str:
    """A short identifier ('report-incidents'): lower-case letters, digits and hyphens."""
    if not isinstance(value, str) or not _KEY.match(value):
        raise InvalidInput(
            "must be a key of 1-50 lower-case letters, digits and hyphens (e.g. 'report-incidents')",
            field=field,
            value=value,
        )
    return value


def normalise_roles(value: object, field: str) -> dict[str, list[str]]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping) or set(value) - set(PARTIES):
        raise InvalidInput("roles are {provider: [names], customer: [names]}", field=field, value=value)
    out = {party: check_texts(value.get(party, []), f"{field}.{party}") for party in PARTIES}
    for party, names in out.items():
        if len(set(names)) != len(names):
            raise InvalidInput("each role is named once", field=f"{field}.{party}", value=names)
    return out


def _assignment(raw: object, field: str, roles: Mapping[str, list[str]]) -> dict[str, str]:
    if not isinstance(raw, Mapping) or set(raw) != {"party", "role", "letters"}:
        raise InvalidInput("an assignment is {party, role, letters}", field=field, value=raw)
    party = raw["party"]
    if party not in PARTIES:
        raise InvalidInput(f"party must be one of {', '.join(PARTIES)}", field=f"{field}.party", value=party)
    role = check_text(raw["role"], f"{field}.role", allow_empty=False)
    if role not in roles[party]:
        known = ", ".join(roles[party]) or "none yet"
        raise InvalidInput(
            f"'{role}' is not a role of the {party} (its roles: {known})", field=f"{field}.role", value=role
        )
    letters = raw["letters"]
    if not isinstance(letters, str) or not letters or set(letters.upper()) - set(LETTERS):
        raise InvalidInput("letters are one or more of R, A, C, I", field=f"{field}.letters", value=letters)
    ordered = "".join(c for c in LETTERS if c in letters.upper())
    return {"party": party, "role": role, "letters": ordered}


def normalise_activity(raw: object, field: str, roles: Mapping[str, list[str]]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("an activity is an object", field=field, value=raw)
    unknown = sorted(set(raw) - {"key", "name", "raci", "due"})
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(map(str, unknown))}", field=field, value=unknown)
    key = check_key(raw.get("key"), f"{field}.key")
    name = check_text(raw.get("name", ""), f"{field}.name", allow_empty=False)
    assignments = raw.get("raci", [])
    if not isinstance(assignments, list) or len(assignments) > 20:
        raise InvalidInput("must be a list of at most 20 assignments", field=f"{field}.raci", value=None)
    raci = [_assignment(a, f"{field}.raci[{i}]", roles) for i, a in enumerate(assignments)]
    seen = [(a["party"], a["role"]) for a in raci]
    if len(set(seen)) != len(seen):
        raise InvalidInput(f"activity '{name}' names a role twice", field=f"{field}.raci", value=None)
    accountable = [a for a in raci if "A" in a["letters"]]
    if len(accountable) != 1:
        who = ", ".join(f"{a['party']} {a['role']}" for a in accountable) or "nobody"
        raise InvalidInput(
            f"activity '{name}' must have exactly one Accountable party; it has {len(accountable)} ({who})",
            field=f"{field}.raci",
            value=None,
        )
    due = check_text(raw.get("due", ""), f"{field}.due")
    return {"key": key, "name": name, "raci": raci, "due": due}


def normalise_activities(value: object, field: str, roles: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    if value is None:
        value = []
    if not isinstance(value, list) or len(value) > MAX_ACTIVITIES:
        raise InvalidInput(f"must be a list of at most {MAX_ACTIVITIES} activities", field=field, value=None)
    out = [normalise_activity(a, f"{field}[{i}]", roles) for i, a in enumerate(value)]
    keys = [a["key"] for a in out]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise InvalidInput(f"the key '{key}' is used twice", field=f"{field}[{i}].key", value=key)
    return out
