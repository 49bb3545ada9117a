"""The demo's readiness walk (step 4) on its accepted agreement: configure every clause (tracking
through the event API, an escalation ladder by e-mail, how credits are applied, a monthly report
for the customer), deliver a test ticket in each clause's scope with an ingestion token of the
agreement (the use case behind POST /api/v1/ingest/tickets), queue a test e-mail of the ladder's
channel, waive the one item left open with a written reason, replay eight weeks of the history
(the shadow run) and write the customer's sample report. Going live comes after the demo has
delivered its e-mails (`demo_go_live`): the channel is proven only once the test e-mail has gone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slaforge.adapters.background.importers.servicenow import PAUSE_STATUSES
from slaforge.domain.platform.accounts import Principal
from slaforge.services.readiness import (
    checks,
    configuration,
    go_live,
    ingestion,
    proofs,
    test_events,
    waivers,
)
from slaforge.services.readiness.common import objectives_of, readiness_version
from slaforge.services.readiness.sample_report import sample_report_from
from slaforge.services.readiness.shadow import compute_shadow
from slaforge.services.unit_of_work import UnitOfWork

# Eight weeks of the real log's busy spring (its tail holds a few hundred incidents only); a
# generated history starts on 2016-03-01 and covers them too.
SHADOW_START = datetime(2016, 4, 4, tzinfo=UTC)
SHADOW_END = SHADOW_START + timedelta(weeks=8)
DESK = "service-desk@northwind.example"
LEAD = "duty-manager@northwind.example"
CUSTOMER_IT = "it-operations@customer.example"
ITSM_HOOK = "https://itsm.acme-logistics.example/hooks/sla-breach"
WAIVER = (
    "The customer's ITSM webhook for breaches is set up in the second week of the service; until "
    "then the duty manager's e-mail step covers the breach, as agreed at the kick-off."
)


@dataclass(frozen=True, slots=True)
class DemoReadiness:
    agreement_id: int
    objectives: int
    test_tickets: int
    waived: str  # the item waived, with WAIVER as its reason
    open_before_go_live: list[str]  # what stands between the agreement and going live (the test e-mail)
    shadow: dict[str, Any]  # the shadow run's result
    shadow_json: Path
    sample_report: Path


def readiness_config(objectives: list[dict[str, Any]]) -> dict[str, Any]:
    first = {"at": 0.5, "notify": DESK, "channel": "email", "action": "take the ticket and answer it"}
    second = {"at": 0.9, "notify": LEAD, "channel": "email", "action": "reassign or call the customer"}
    ladder = [{**first, "within": 1800}, {**second, "within": 900}]
    procedure = {
        "owner": "Service desk lead",
        "runbook": "https://wiki.northwind.example/sla",
        "ladder": ladder,
    }
    entries = [
        {"tracking": {"source": "event_api"}, "procedure": procedure, "remedy": {"application": "invoice"}}
        for _ in objectives
    ]
    # The last clause also tells the customer's ITSM on a breach: a channel the demo cannot reach.
    hook = {
        "at": 1.0,
        "notify": ITSM_HOOK,
        "channel": "webhook",
        "action": "open a major incident",
        "within": 3600,
    }
    entries[-1] = {**entries[-1], "procedure": {**procedure, "ladder": [*ladder, hook]}}
    report = {
        "name": "monthly",
        "audience": "customer",
        "objectives": list(range(len(objectives))),
        "contents": ["attainment", "breaches", "credits", "trends"],
        "period": "month",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=2",
        "format": "pdf",
        "recipients": [CUSTOMER_IT, DESK],
    }
    # The statuses the ServiceNow log's incidents wait in, fixed and frozen with the rest.
    return {"objectives": entries, "reports": [report], "pause_statuses": sorted(PAUSE_STATUSES)}


def run_demo_readiness(
    *, uow: UnitOfWork, agreement_id: int, actor: Principal, now: datetime, out_dir: Path
) -> DemoReadiness:
    """Everything before going live; the test e-mail is queued, not yet delivered."""
    with uow:
        objectives = objectives_of(readiness_version(uow, agreement_id))
    raw = readiness_config(objectives)
    configuration.configure(uow=uow, agreement_id=agreement_id, raw=raw, actor=actor, now=now)
    last = len(objectives) - 1
    _, secret = ingestion.create_token(uow=uow, agreement_id=agreement_id, label="Customer's service desk",
                                       actor=actor, now=now)  # fmt: skip
    for i in range(len(objectives)):
        body = test_events.test_event(uow=uow, agreement_id=agreement_id, objective=i, actor=actor, now=now)
        opened = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
        ticket = {**body, "external_id": f"{body['external_id']}-{i}", "created_at": opened}
        event = {"at": opened, "kind": "created", "status": body["status"], "priority": body["priority"]}
        ingestion.deliver(uow=uow, secret=secret, ticket=ticket, event=event, system="api", now=now)
    proofs.send_channel_test(uow=uow, agreement_id=agreement_id, channel="email", actor=actor, now=now)
    waived = f"objectives[{last}].procedure"  # its webhook step's channel cannot be tested here
    waivers.waive(uow=uow, agreement_id=agreement_id, item=waived, reason=WAIVER, actor=actor, now=now)
    view = checks.check_readiness(uow=uow, agreement_id=agreement_id, now=now)
    shadow = compute_shadow(uow=uow, agreement_id=agreement_id, start=SHADOW_START, end=SHADOW_END).as_dict()
    out_dir.mkdir(parents=True, exist_ok=True)
    shadow_json = out_dir / "shadow-run.json"
    shadow_json.write_text(json.dumps(shadow, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sample = sample_report_from(uow=uow, agreement_id=agreement_id, shadow=shadow, report="monthly")
    path = out_dir / sample.filename
    path.write_bytes(sample.content)
    count = len(objectives)
    return DemoReadiness(agreement_id, count, count, waived, view.gaps, shadow, shadow_json, path)


def demo_go_live(*, uow: UnitOfWork, agreement_id: int, actor: Principal, now: datetime) -> go_live.LiveView:
    """Once the test e-mail has been delivered, every item passes or is waived: go live."""
    return go_live.go_live(uow=uow, agreement_id=agreement_id, actor=actor, now=now)
