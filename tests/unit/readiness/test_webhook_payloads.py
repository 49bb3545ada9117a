"""Webhook bodies of Zendesk, Jira Service Management and ServiceNow read into a ticket and its
update, with the importers' priority values and status classes; a missing or unknown field is
named. The sample bodies follow each vendor's documented webhook shapes (see the module's docstring
in src/slaforge/adapters/readiness/webhooks.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from slaforge.adapters.readiness.webhooks import parse_webhook
from slaforge.domain.errors import InvalidInput

ZENDESK_TRIGGER: dict[str, Any] = {
    "ticket": {"id": "4711", "status": "open", "priority": "urgent", "type": "incident",
               "created_at": "2026-11-02T09:15:00Z", "updated_at": "2026-11-02T09:40:00Z"}
}  # fmt: skip
ZENDESK_EVENT: dict[str, Any] = {
    "id": "cbe4028c-7239-495d-b020-f22348516046",
    "type": "zen:event-type:ticket.status_changed",
    "time": "2026-11-02T11:00:00Z",
    "detail": {"id": "4711", "status": "SOLVED", "priority": "URGENT", "type": "INCIDENT",
               "created_at": "2026-11-02T09:15:00Z", "updated_at": "2026-11-02T11:00:00Z"},
}  # fmt: skip
JIRA: dict[str, Any] = {
    "timestamp": 1793700000000,
    "webhookEvent": "jira:issue_updated",
    "issue": {"id": "10042", "key": "SUP-42", "fields": {
        "status": {"name": "Waiting for customer"}, "priority": {"name": "High"},
        "issuetype": {"name": "Incident"},
        "created": "2026-11-02T10:00:00.000+0100", "updated": "2026-11-02T12:30:00.000+0100"}},
    "changelog": {"items": [{"field": "status", "fromString": "In Progress", "toString": "Waiting for customer"}]},
}  # fmt: skip
SERVICENOW: dict[str, Any] = {
    "number": "INC0010042", "sys_id": "9d385017c611228701d22104cc95c371", "state": "Resolved",
    "priority": "1 - Critical", "category": "network", "opened_at": "2026-11-02 08:00:00",
    "sys_updated_on": "2026-11-02 10:45:00", "sys_mod_count": "7",
}  # fmt: skip


def test_a_zendesk_trigger_body_is_a_ticket_and_a_status_change() -> None:
    d = parse_webhook("zendesk", ZENDESK_TRIGGER)
    assert (d.external_id, d.priority, d.status, d.category) == ("4711", "critical", "open", "incident")
    assert (d.created_at, d.updated_at) == (
        datetime(2026, 11, 2, 9, 15, tzinfo=UTC),
        datetime(2026, 11, 2, 9, 40, tzinfo=UTC),
    )
    assert d.kind("zendesk") == "status_changed"


def test_a_zendesk_event_webhook_in_capitals_reads_as_the_mappings_statuses() -> None:
    d = parse_webhook("zendesk", ZENDESK_EVENT)
    assert (d.status, d.priority, d.kind("zendesk")) == ("solved", "critical", "resolved")
    assert d.dedupe_key != parse_webhook("zendesk", ZENDESK_TRIGGER).dedupe_key
    assert d.dedupe_key == parse_webhook("zendesk", ZENDESK_EVENT).dedupe_key  # redelivered: the same


def test_a_jira_issue_webhook_reads_its_fields_and_their_offsets() -> None:
    d = parse_webhook("jsm", JIRA)
    assert (d.external_id, d.priority, d.status, d.category) == (
        "SUP-42",
        "high",
        "Waiting for customer",
        "Incident",
    )
    assert d.created_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert d.updated_at == datetime(2026, 11, 2, 11, 30, tzinfo=UTC)
    assert d.kind("jsm") == "status_changed"


def test_a_servicenow_incident_record_resolved() -> None:
    d = parse_webhook("servicenow", SERVICENOW)
    assert (d.external_id, d.priority, d.status, d.kind("servicenow")) == (
        "INC0010042",
        "critical",
        "Resolved",
        "resolved",
    )
    assert d.updated_at == datetime(2026, 11, 2, 10, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    ("system", "body", "field"),
    [
        ("zendesk", {"ticket": {**ZENDESK_TRIGGER["ticket"], "priority": "whenever"}}, "ticket.priority"),
        ("zendesk", {"ticket": {k: v for k, v in ZENDESK_TRIGGER["ticket"].items() if k != "updated_at"}},
         "ticket.updated_at"),
        ("jsm", {**JIRA, "issue": {"key": "SUP-1", "fields": {}}}, "issue.fields.updated"),
        ("servicenow", {**SERVICENOW, "opened_at": "yesterday-ish"}, "opened_at"),
        ("servicenow", [1, 2], "body"),
        ("freshdesk", {}, "system"),
    ],
)  # fmt: skip
def test_a_bad_body_is_refused_naming_the_field(system: str, body: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_webhook(system, body)
    assert caught.value.field == field
