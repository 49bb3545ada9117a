"""The demo's responsibilities and contacts (plain data the demo puts in its agreement's terms):
the starter library's roles and activities, and a contacts and escalation matrix for the provider
and the customer. `services/demo` calls it; nothing here touches the database."""

from __future__ import annotations

from typing import Any

from slaforge.domain.relationship.starter import starter_section
from slaforge.domain.relationship.terms import normalise_relationship


def _slug(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum()) or "customer"


def relationship_demo_terms(
    customer: str = "Acme Logistics", provider: str = "Northwind IT Services"
) -> dict[str, Any]:
    """A validated relationship section: roles, the seven starter activities, and contacts on
    two escalation levels for each party (obligations and reviews empty, for their builders)."""
    domain = _slug(customer) + ".example"
    desk = _slug(provider) + ".example"
    contacts = [
        {"party": "provider", "level": 1, "name": f"{provider} service desk", "role": "support team",
         "channels": f"support@{desk}, +49 30 5550 100", "hours": "Mon–Fri 08:00–18:00",
         "when": "every incident and request"},
        {"party": "provider", "level": 2, "name": "Dana Whitfield", "role": "service owner",
         "channels": f"dana.whitfield@{desk}, +49 30 5550 120", "hours": "Mon–Fri 09:00–17:00",
         "when": "a target at risk or missed"},
        {"party": "provider", "level": 3, "name": "Lee Okafor", "role": "account manager",
         "channels": f"lee.okafor@{desk}", "hours": "Mon–Fri 09:00–17:00",
         "when": "a dispute, or a breach two months running"},
        {"party": "customer", "level": 1, "name": "Sam Rivera", "role": "service contact",
         "channels": f"it-contact@{domain}, +44 20 7946 0100", "hours": "Mon–Fri 08:00–17:00",
         "when": "questions, access, information requests"},
        {"party": "customer", "level": 2, "name": "Priya Natarajan", "role": "approver",
         "channels": f"priya.natarajan@{domain}", "hours": "Mon–Fri 09:00–17:00",
         "when": "change approvals and escalations"},
    ]  # fmt: skip
    return normalise_relationship({**starter_section(), "contacts": contacts})
