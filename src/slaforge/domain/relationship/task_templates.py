"""Checklist templates to start an agreement's task list from: offsets in business days after the
start date, and dependencies by key (checked acyclic by the unit tests)."""

from __future__ import annotations

from slaforge.domain.errors import NotFound
from slaforge.domain.relationship.tasks import TemplateTask

T = TemplateTask

TEMPLATES: dict[str, tuple[str, tuple[TemplateTask, ...]]] = {
    "onboarding": (
        "Onboarding: what both parties do before the service runs under the agreement",
        (
            T(
                "kickoff",
                "Kick-off meeting",
                "provider",
                0,
                2,
                "Introduce the teams and walk through the SLA.",
            ),
            T(
                "contacts",
                "Agree contact list",
                "customer",
                1,
                4,
                "Named contacts and escalation.",
                ("kickoff",),
            ),
            T(
                "access",
                "Grant remote access",
                "customer",
                2,
                7,
                "VPN or jump host for the provider.",
                ("contacts",),
            ),
            T(
                "tickets",
                "Connect ticket system",
                "provider",
                2,
                8,
                "Tickets flow into slaforge.",
                ("kickoff",),
            ),
            T("monitoring", "Configure monitoring", "provider", 7, 12, "Availability checks.", ("access",)),
            T(
                "review",
                "First service review",
                "provider",
                15,
                20,
                "Review the first figures together.",
                ("tickets", "monitoring"),
            ),
        ),
    ),
}


def template(name: str) -> tuple[str, tuple[TemplateTask, ...]]:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise NotFound(f"no task template '{name}' (known: {', '.join(sorted(TEMPLATES))})") from None
