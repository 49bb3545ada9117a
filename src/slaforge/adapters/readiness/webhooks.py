"""What a tracking system's webhook says about a ticket, read into slaforge's terms with the field
mappings the importers already use (their priority values and status classes):

- Zendesk: a trigger's JSON body `{"ticket": {"id", "status", "priority", "type", "created_at",
  "updated_at"}}` (the placeholders {{ticket.id}} etc.), or an event-based webhook
  `{"id", "type": "zen:event-type:ticket.…", "time", "detail": {"id", "status", "priority",
  "type", "created_at", "updated_at"}}` (developer.zendesk.com, "Ticket events").
- Jira Service Management: Jira's issue webhook `{"webhookEvent": "jira:issue_created" |
  "jira:issue_updated", "timestamp", "issue": {"key", "fields": {"status": {"name"},
  "priority": {"name"}, "issuetype": {"name"}, "created", "updated"}}}`
  (developer.atlassian.com, "Webhooks").
- ServiceNow: an outbound REST message of the incident record `{"number", "state",
  "priority", "category", "opened_at", "sys_updated_on", "sys_mod_count"?}` (field names as in
  the incident table; times as the instance writes them, read in UTC as the importer does).

Each delivery is one ticket (by the system's id) and one event at its update time: `created` for
a new ticket, `resolved` / `closed` when the status is one of the mapping's, else a status change.
A missing or unreadable field is an InvalidInput naming it (the API answers 422).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from dateutil import parser as dateparser

from slaforge.adapters.background.importers.registry import load_mapping
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.domain.errors import InvalidInput

MAPPINGS = {"zendesk": "zendesk", "jsm": "jira-service-management", "servicenow": "servicenow"}
SYSTEMS = tuple(MAPPINGS)


@dataclass(frozen=True, slots=True)
class Delivery:
    external_id: str
    priority: str
    status: str
    category: str | None
    created_at: datetime
    updated_at: datetime
    dedupe_key: str  # the same delivery twice gives the same key

    def kind(self, system: str) -> str:
        statuses = _mapping(system).statuses
        if self.status in statuses.resolved:
            return "resolved"
        if self.status in statuses.closed:
            return "closed"
        return "status_changed"


@cache
def _mapping(system: str) -> TicketMapping:
    spec = load_mapping(MAPPINGS[system])
    assert isinstance(spec, TicketMapping)
    return spec


def _get(payload: Mapping[str, Any], path: str) -> Any:
    value: Any = payload
    for part in path.split("."):
        if not isinstance(value, Mapping) or value.get(part) in (None, ""):
            raise InvalidInput("is missing from the webhook's body", field=path)
        value = value[part]
    return value


def _time(payload: Mapping[str, Any], path: str) -> datetime:
    raw = _get(payload, path)
    try:
        if isinstance(raw, int | float):  # Jira's timestamp: milliseconds since the epoch
            return datetime.fromtimestamp(raw / 1000, tz=UTC)
        parsed = dateparser.isoparse(str(raw)) if "T" in str(raw) else dateparser.parse(str(raw))
    except (ValueError, OverflowError):
        raise InvalidInput(f"'{str(raw)[:40]}' is not a time", field=path) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _priority(system: str, raw: object, field: str) -> str:
    column = _mapping(system).columns.priority
    values = column.values or {} if column is not None else {}
    text = str(raw).strip()
    for given, ours in values.items():
        if given.casefold() == text.casefold():
            return ours
    known = ", ".join(values)
    raise InvalidInput(f"'{text[:40]}' is not a priority {system} sends ({known})", field=field)


def _status(system: str, raw: object) -> str:
    """The mapping's spelling of the status (Zendesk's event webhooks write OPEN for open)."""
    text = str(raw).strip()
    s = _mapping(system).statuses
    for known in (*s.new, *s.resolved, *s.closed, *s.pause, s.created or ""):
        if known and known.casefold() == text.casefold():
            return known
    return text


def _key(system: str, *parts: object) -> str:
    return hashlib.sha256("|".join([system, *map(str, parts)]).encode()).hexdigest()


def _zendesk(p: Mapping[str, Any]) -> Delivery:
    root = "detail" if isinstance(p.get("detail"), Mapping) else "ticket"
    t = _get(p, root)
    updated = _time(p, f"{root}.updated_at")
    status = _status("zendesk", _get(p, f"{root}.status"))
    priority = _priority("zendesk", _get(p, f"{root}.priority"), f"{root}.priority")
    ident = str(_get(p, f"{root}.id"))
    delivery = p.get("id") or ""  # an event webhook's own id, when it has one
    key = _key("zendesk", ident, updated.isoformat(), status, priority, delivery)
    return Delivery(ident, priority, status, t.get("type"), _time(p, f"{root}.created_at"), updated, key)


def _jsm(p: Mapping[str, Any]) -> Delivery:
    updated = _time(p, "issue.fields.updated")
    status = _status("jsm", _get(p, "issue.fields.status.name"))
    priority = _priority("jsm", _get(p, "issue.fields.priority.name"), "issue.fields.priority.name")
    kind = (p.get("issue", {}).get("fields", {}).get("issuetype") or {}).get("name")
    ident = str(_get(p, "issue.key"))
    key = _key("jsm", ident, updated.isoformat(), status, priority, p.get("timestamp", ""))
    return Delivery(ident, priority, status, kind, _time(p, "issue.fields.created"), updated, key)


def _servicenow(p: Mapping[str, Any]) -> Delivery:
    updated = _time(p, "sys_updated_on")
    status = _status("servicenow", p.get("incident_state") or _get(p, "state"))
    priority = _priority("servicenow", _get(p, "priority"), "priority")
    ident = str(_get(p, "number"))
    key = _key("servicenow", ident, updated.isoformat(), status, priority, p.get("sys_mod_count", ""))
    return Delivery(ident, priority, status, p.get("category"), _time(p, "opened_at"), updated, key)


def parse_webhook(system: str, payload: object) -> Delivery:
    """The ticket and its update a webhook body of `system` describes."""
    if system not in MAPPINGS:
        raise InvalidInput(f"must be one of {', '.join(SYSTEMS)}", field="system", value=system[:20])
    if not isinstance(payload, Mapping):
        raise InvalidInput("the webhook's body must be a JSON object", field="body")
    return {"zendesk": _zendesk, "jsm": _jsm, "servicenow": _servicenow}[system](payload)
