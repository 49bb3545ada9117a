"""The relationship section of an agreement's terms: roles and RACI activities, the contacts and
escalation matrix, measured customer obligations, and promised meeting series.

Part of the terms, so it is hashed and frozen with each offered version and diffed between
versions. The agreement step cannot import this step, so the unit of work carries
`TERM_SECTIONS` to its normaliser (see `slaforge.domain.agreement.terms.SectionRule`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.terms import SectionRule
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.contacts import normalise_contacts
from slaforge.domain.relationship.obligation_terms import normalise_obligations
from slaforge.domain.relationship.raci import normalise_activities, normalise_roles
from slaforge.domain.relationship.review_terms import normalise_reviews

PARTS = ("roles", "activities", "contacts", "obligations", "reviews")


def normalise_relationship(value: object, field: str = "relationship") -> dict[str, Any]:
    """The validated section, every part present (empty when not given)."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise InvalidInput("must be an object", field=field, value=value)
    unknown = sorted(set(value) - set(PARTS))
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(map(str, unknown))}", field=field, value=unknown)
    roles = normalise_roles(value.get("roles"), f"{field}.roles")
    out: dict[str, Any] = {
        "roles": roles,
        "activities": normalise_activities(value.get("activities"), f"{field}.activities", roles),
        "contacts": normalise_contacts(value.get("contacts"), f"{field}.contacts"),
        "obligations": normalise_obligations(value.get("obligations"), f"{field}.obligations"),
        "reviews": normalise_reviews(value.get("reviews"), f"{field}.reviews"),
    }
    activities = {a["key"] for a in out["activities"]}
    for i, ob in enumerate(out["obligations"]):
        if ob["activity"] and ob["activity"] not in activities:
            raise InvalidInput(
                f"obligation '{ob['name']}' measures activity '{ob['activity']}', "
                "which the terms do not have",
                field=f"{field}.obligations[{i}].activity",
                value=ob["activity"],
            )
    return out


TERM_SECTIONS: Mapping[str, SectionRule] = {"relationship": normalise_relationship}
