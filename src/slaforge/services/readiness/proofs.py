"""Proofs that a tracking source feeds an objective and that a notification channel delivers.

How a source is known (docs/readiness.md):
- the event API: a ticket (or a new event on one) delivered with an ingestion token of this
  agreement (`POST /api/v1/ingest/tickets`, services.readiness.ingestion): the token is scoped to
  the agreement's customer, and its deliveries are noted per event;
- a webhook: a ticket stored under the system's source key (zendesk, jsm, servicenow), not by an
  import, delivered to `POST /api/v1/ingest/webhooks/{system}` with a token of this agreement;
- a scheduled import: a ticket written by an import batch whose mapping is the configured one.
In every case the ticket must belong to the customer, fall in the objective's scope (priorities,
or the availability objective's service), and have arrived after the source was configured:
ticket and event ids grow with arrival, and configuring a source notes the last of each, so a
new ticket, or a new event on an older ticket, counts.

Channels: a test notification goes through the outbox like every other message; the proof is
recorded once the outbox marks it sent (the SMTP server or the webhook receiver took it).
Proofs are recorded by the provider's readiness check; one row per (version, item)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import AgreementVersion, ReadinessConfig, ReadinessProof
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.readiness.check import channel_key, item_key
from slaforge.domain.readiness.config import CHANNELS
from slaforge.domain.readiness.scope import in_scope
from slaforge.services.platform import audit, notifications
from slaforge.services.readiness.common import (
    config_of,
    iso,
    objectives_of,
    readiness_version,
    require_manager,
)
from slaforge.services.unit_of_work import UnitOfWork

TEST_EVENT = "readiness.channel_test"
API_SOURCE = "api"  # services.background.tickets.API_SOURCE


def _store(uow: UnitOfWork, version: AgreementVersion, item: str, evidence: str, now: datetime) -> bool:
    row = ReadinessProof(
        agreement_id=version.agreement_id, version_id=version.id, item=item, evidence=evidence[:2000], at=now
    )
    _stored, new = uow.readiness.add_once(row)
    return new


def _tracking_proof(
    uow: UnitOfWork,
    objective: dict[str, Any],
    tracking: dict[str, Any],
    mark: dict[str, Any],
    customer_id: int,
    agreement_id: int,
) -> str | None:
    source = {"event_api": API_SOURCE, "webhook": tracking.get("system")}.get(tracking["source"])
    mapping = tracking.get("mapping") if tracking["source"] == "scheduled_import" else None
    arrived = uow.readiness.arrived_tickets(
        customer_id=customer_id,
        after_ticket_id=int(mark["after_ticket_id"]),
        after_event_id=mark.get("after_event_id"),
        source=source,
        mapping=mapping,
        # Narrowed in the query; `in_scope` below decides (availability scopes by service).
        priorities=None if objective.get("metric") == "availability" else objective.get("priorities"),
        # The event API and webhooks count only what this agreement's ingestion tokens delivered.
        delivered_for=agreement_id if tracking["source"] in ("event_api", "webhook") else None,
    )
    for ticket, service in arrived:
        if in_scope(objective, priority=ticket.priority, service=service):
            how = {"event_api": "ingestion token", "webhook": f"{ticket.source} webhook"}.get(
                tracking["source"], ticket.source
            )
            said = f"{how}, {ticket.priority}"
            return f"ticket {ticket.external_id} ({said}) created {iso(ticket.created_at)}"
    return None


def collect_proofs(
    uow: UnitOfWork, version: AgreementVersion, row: ReadinessConfig | None, now: datetime
) -> int:
    """Record every proof the data now allows (inside the caller's transaction); how many are new."""
    if row is None:
        return 0
    have = {p.item for p in uow.readiness.proofs(version.id)}
    added = 0
    objectives = objectives_of(version)
    for i, entry in enumerate(row.config["objectives"]):
        key = item_key(i, "tracking")
        tracking = (entry or {}).get("tracking")
        mark = row.sources.get(str(i))
        if key in have or not tracking or mark is None or i >= len(objectives):
            continue
        customer = version.agreement.customer_id
        evidence = _tracking_proof(uow, objectives[i], tracking, mark, customer, version.agreement_id)
        if evidence is not None:
            added += _store(uow, version, key, evidence, now)
    for sent in uow.platform.notifications(version_id=version.id, status="sent"):
        key = channel_key(str(sent.payload.get("channel", sent.channel)))
        if sent.event != TEST_EVENT or key in have:
            continue
        when = iso(sent.sent_at) if sent.sent_at else "?"
        if _store(uow, version, key, f"test {sent.channel} delivered to {sent.recipient} at {when}", now):
            added += 1
            have.add(key)
    return added


@dataclass(frozen=True, slots=True)
class ChannelTest:
    channel: str
    recipients: list[str]
    queued: int  # 0: the same test was queued before


def _targets(config: dict[str, Any], channel: str) -> list[str]:
    found: list[str] = []
    where = "channel"
    for i, entry in enumerate(config["objectives"]):
        for j, step in enumerate(((entry or {}).get("procedure") or {}).get("ladder", [])):
            if step["channel"] != channel:
                continue
            where = f"objectives[{i}].procedure.ladder[{j}].notify"
            notify = str(step["notify"])
            is_address = "@" in notify and " " not in notify
            is_url = notify.startswith(("https://", "http://"))
            if (channel == "email" and is_address) or (channel in ("webhook", "slack") and is_url):
                found.append(notify)
    if not found:
        what = {"email": "an e-mail address", "webhook": "a webhook URL"}.get(channel, "a hook URL")
        raise InvalidInput(f"no ladder step using the {channel} channel names {what} to notify", field=where)
    return list(dict.fromkeys(found))


def send_channel_test(
    *, uow: UnitOfWork, agreement_id: int, channel: str, actor: Principal, now: datetime
) -> ChannelTest:
    """Queue a test notification to every address (or URL) the ladders notify through `channel`;
    the worker's outbox run delivers it, and the next check records the proof."""
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "send test notifications")  # after the scoped load: another's stays 404
        if channel not in CHANNELS:
            raise InvalidInput(f"must be one of {', '.join(CHANNELS)}", field="channel", value=channel)
        _row, config = config_of(uow, version)
        recipients = _targets(config, channel)
        item = notifications.Outgoing(
            event=TEST_EVENT,
            dedupe=f"readiness-test:{version.id}:{channel}",
            subject=f"slaforge test notification — {version.agreement.title}",
            body=(
                f"This is a test of the {channel} channel of the escalation procedure of "
                f"{version.agreement.title} (version {version.number}). Nothing needs doing."
            ),
            payload={"channel": channel, "agreement_id": version.agreement_id, "version": version.number},
            version_id=version.id,
        )
        rows = notifications.queue(
            uow,
            item,
            emails=recipients if channel == "email" else [],
            webhooks=recipients if channel == "webhook" else [],
            slack=recipients if channel == "slack" else [],
            now=now,
        )
        if rows:
            audit.record(
                uow,
                actor=actor.email,
                action="readiness.channel_test_queued",
                subject_type="agreement",
                subject_id=version.agreement_id,
                at=now,
                data={"version_id": version.id, "channel": channel, "recipients": recipients},
            )
        uow.commit()
        return ChannelTest(channel, recipients, len(rows))
