"""Readiness through the services, on SQLite and (with --database) PostgreSQL: configuration,
the computed check, proofs from arriving tickets and delivered test e-mails, waivers and the
go-live gate."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.adapters.platform.notifiers import ByChannel
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.agreement import reading
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import deliver_due
from slaforge.services.readiness import checks, configuration, go_live, proofs, waivers
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.notify_receivers import smtp_server
from tests.readiness_setup import VIEWER, accepted, api_ticket, config, delivered

LATER = NOW + timedelta(hours=1)


def _states(uow: UnitOfWork, agreement_id: int) -> dict[str, str]:
    view = checks.check_readiness(uow=uow, agreement_id=agreement_id, now=LATER)
    return {item.key: item.state.value for item in view.items}


def _actions(uow: UnitOfWork, agreement_id: int) -> list[str]:
    return [e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=agreement_id)]


def _deliver_queued(uow: UnitOfWork, now: datetime = LATER) -> int:
    """Deliver what the outbox holds to a real SMTP server; how many messages it received."""
    with smtp_server() as sink:
        notifier = SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port, sender="sla@provider.test"))
        report = deliver_due(uow=uow, notifier=ByChannel(email=notifier), now=now)
    assert report.sent == len(sink.messages)
    return len(sink.messages)


def _deliver_test_email(uow: UnitOfWork, agreement_id: int) -> list[str]:
    proofs.send_channel_test(uow=uow, agreement_id=agreement_id, channel="email", actor=MANAGER, now=NOW)
    with smtp_server() as sink:
        notifier = SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port, sender="sla@provider.test"))
        report = deliver_due(uow=uow, notifier=ByChannel(email=notifier), now=NOW)
    assert report.sent == 2
    return sorted(str(m["To"]) for m in sink.messages)


def test_an_unconfigured_accepted_version_lists_every_item_with_what_to_do(uow: UnitOfWork) -> None:
    a = accepted(uow)
    view = checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW)
    assert not view.ready
    assert [i.key for i in view.items][:4] == [
        "objectives[0].tracking",
        "objectives[0].reporting",
        "objectives[0].procedure",
        "objectives[0].remedy",
    ]
    assert len(view.items) == 12
    first = view.items[0]
    assert (first.state.value, first.reason) == ("missing", "no tracking source is configured")
    assert "objectives[0].tracking" in first.next_step
    remedy = {i.key: i for i in view.items}["objectives[1].remedy"]
    assert remedy.state.value == "missing"
    assert "Resolution (P1) no credit tiers" in remedy.reason


def test_a_draft_has_no_readiness(uow: UnitOfWork) -> None:
    from tests.agreement_setup import draft

    d = draft(uow)
    with pytest.raises(Conflict, match="no accepted version"):
        checks.check_readiness(uow=uow, agreement_id=d.agreement_id, now=NOW)


def test_a_bad_configuration_names_the_field_and_writes_nothing(uow: UnitOfWork) -> None:
    a = accepted(uow)
    bad = config()
    bad["objectives"][0]["procedure"]["ladder"][1]["at"] = 0.4
    with pytest.raises(InvalidInput) as caught:
        configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=bad, actor=MANAGER, now=NOW)
    assert caught.value.field == "objectives[0].procedure.ladder[1].at"
    unknown = config()
    unknown["objectives"][2]["tracking"]["mapping"] = "no-such-mapping"
    with pytest.raises(InvalidInput) as caught:
        configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=unknown, actor=MANAGER, now=NOW)
    assert caught.value.field == "objectives[2].tracking.mapping"
    assert configuration.get_config(uow=uow, agreement_id=a.agreement_id).updated_at is None
    with pytest.raises(PermissionDenied):
        configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=VIEWER, now=NOW)


def test_tracking_is_failed_until_a_ticket_in_scope_arrives_after_configuration(uow: UnitOfWork) -> None:
    a = accepted(uow)
    other = accepted(uow, "Other Ltd")
    api_ticket(uow, a.customer_id, "before")  # arrived before the source was configured
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    view = checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=LATER)
    tracking = view.items[0]
    assert (tracking.state.value, tracking.reason) == (
        "failed",
        "configured (the event API), no data has arrived yet",
    )
    api_ticket(uow, a.customer_id, "p3", priority="P3")  # outside the P1 objectives' scope
    api_ticket(uow, other.customer_id, "theirs")  # another customer's ticket
    api_ticket(uow, a.customer_id, "imported-look", source="servicenow")  # not through the API
    api_ticket(uow, a.customer_id, "no-token")  # through the API, but with no token of this agreement
    delivered(uow, other.agreement_id, "other-agreement")  # another agreement's token
    assert _states(uow, a.agreement_id)["objectives[0].tracking"] == "failed"
    delivered(uow, a.agreement_id, "INC-1")
    view = checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=LATER)
    items = {i.key: i for i in view.items}
    assert items["objectives[0].tracking"].state.value == "ok"
    assert "ticket INC-1 (ingestion token, P1)" in items["objectives[0].tracking"].reason
    assert items["objectives[1].tracking"].state.value == "ok"
    assert items["objectives[2].tracking"].state.value == "failed"  # the import has not run
    # Changing the source needs a new proof.
    changed = config()
    changed["objectives"][0]["tracking"] = {"source": "webhook", "system": "zendesk"}
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=changed, actor=MANAGER, now=LATER)
    states = _states(uow, a.agreement_id)
    assert states["objectives[0].tracking"] == "failed"
    assert states["objectives[1].tracking"] == "ok"


def test_a_delivered_test_email_passes_the_procedure(uow: UnitOfWork) -> None:
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    procedure = {
        i.key: i for i in checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW).items
    }
    assert procedure["objectives[0].procedure"].state.value == "failed"
    assert "no test delivery is recorded for the email channel" in procedure["objectives[0].procedure"].reason
    assert _deliver_test_email(uow, a.agreement_id) == ["desk@provider.test", "lead@provider.test"]
    # Asking again queues nothing new: the same test counts once.
    again = proofs.send_channel_test(
        uow=uow, agreement_id=a.agreement_id, channel="email", actor=MANAGER, now=LATER
    )
    assert again.queued == 0
    states = _states(uow, a.agreement_id)
    assert states["objectives[0].procedure"] == "ok"
    assert states["objectives[0].reporting"] == "ok"
    assert states["objectives[0].remedy"] == "ok"
    with pytest.raises(InvalidInput) as caught:
        proofs.send_channel_test(
            uow=uow, agreement_id=a.agreement_id, channel="webhook", actor=MANAGER, now=NOW
        )
    assert caught.value.field == "channel"


def test_waivers_need_a_reason_are_kept_once_and_audited(uow: UnitOfWork) -> None:
    a = accepted(uow)
    with pytest.raises(InvalidInput) as caught:
        waivers.waive(uow=uow, agreement_id=a.agreement_id, item="objectives[1].remedy", reason="  ",
                      actor=MANAGER, now=NOW)  # fmt: skip
    assert caught.value.field == "reason"
    with pytest.raises(InvalidInput) as caught:
        waivers.waive(uow=uow, agreement_id=a.agreement_id, item="objectives[9].remedy", reason="x",
                      actor=MANAGER, now=NOW)  # fmt: skip
    assert caught.value.field == "item"
    with pytest.raises(PermissionDenied):
        waivers.waive(uow=uow, agreement_id=a.agreement_id, item="objectives[1].remedy", reason="x",
                      actor=VIEWER, now=NOW)  # fmt: skip
    first = waivers.waive(uow=uow, agreement_id=a.agreement_id, item="objectives[1].remedy",
                          reason="resolution carries no credit by design", actor=MANAGER, now=NOW)  # fmt: skip
    second = waivers.waive(uow=uow, agreement_id=a.agreement_id, item="objectives[1].remedy",
                           reason="another reason", actor=MANAGER, now=LATER)  # fmt: skip
    assert first.new
    assert not second.new
    assert second.reason == "resolution carries no credit by design"
    item = {i.key: i for i in checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW).items}[
        "objectives[1].remedy"
    ]
    assert item.state.value == "waived"
    assert "resolution carries no credit by design" in item.reason
    assert _actions(uow, a.agreement_id).count("readiness.item_waived") == 1


def _ready(uow: UnitOfWork) -> int:
    """An agreement whose every item passes: tickets arrived, e-mail tested, the rest waived."""
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    delivered(uow, a.agreement_id, "INC-1")
    _deliver_test_email(uow, a.agreement_id)
    for item in ("objectives[1].remedy", "objectives[2].remedy", "objectives[2].tracking"):
        waivers.waive(uow=uow, agreement_id=a.agreement_id, item=item, reason="agreed in the kick-off",
                      actor=MANAGER, now=NOW)  # fmt: skip
    return a.agreement_id


def test_go_live_is_refused_naming_every_open_item(uow: UnitOfWork) -> None:
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    with pytest.raises(IllegalTransition) as caught:
        go_live.go_live(uow=uow, agreement_id=a.agreement_id, actor=MANAGER, now=LATER)
    message = str(caught.value)
    assert "objectives[0].tracking (First response (P1), tracking) is failed: configured" in message
    assert "objectives[2].remedy" in message
    assert "objectives[0].reporting" not in message
    assert reading.get_version(uow=uow, version_id=a.version_id).state == "accepted"


def test_go_live_activates_freezes_and_audits(uow: UnitOfWork) -> None:
    agreement_id = _ready(uow)
    assert checks.check_readiness(uow=uow, agreement_id=agreement_id, now=LATER).ready
    live = go_live.go_live(uow=uow, agreement_id=agreement_id, actor=MANAGER, now=LATER)
    assert (live.state, live.new, live.went_live_at) == ("active", True, LATER)
    assert len(live.frozen_sha256) == 64
    again = go_live.go_live(uow=uow, agreement_id=agreement_id, actor=MANAGER, now=LATER + timedelta(1))
    assert (again.new, again.went_live_at, again.frozen_sha256) == (False, LATER, live.frozen_sha256)
    assert _actions(uow, agreement_id).count("agreement.went_live") == 1
    with pytest.raises(Conflict, match="needs a new agreement version"):
        configuration.configure(uow=uow, agreement_id=agreement_id, raw=config(), actor=MANAGER, now=LATER)
    with pytest.raises(Conflict, match="needs a new agreement version"):
        waivers.waive(uow=uow, agreement_id=agreement_id, item="objectives[0].tracking", reason="late",
                      actor=MANAGER, now=LATER)  # fmt: skip
    assert audit.verify(uow=uow).ok


def test_a_customer_user_reads_only_its_own_readiness(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    mine = accepted(uow)
    theirs = accepted(uow, "Other Ltd")
    waivers.waive(uow=uow, agreement_id=mine.agreement_id, item="objectives[1].remedy", reason="by design",
                  actor=MANAGER, now=NOW)  # fmt: skip
    user = Principal(user_id=5, email="it@acme.test", role=Role.VIEWER, customer_id=mine.customer_id)
    scoped = SqlAlchemyUnitOfWork(session_factory, Scope.of(user), audit_keys=lambda: TEST_AUDIT_KEYS)
    view = checks.check_readiness(uow=scoped, agreement_id=mine.agreement_id, now=NOW)
    assert {i.key: i.state.value for i in view.items}["objectives[1].remedy"] == "waived"
    with pytest.raises(NotFound):
        checks.check_readiness(uow=scoped, agreement_id=theirs.agreement_id, now=NOW)
    with pytest.raises(PermissionDenied):
        go_live.go_live(uow=scoped, agreement_id=mine.agreement_id, actor=user, now=NOW)


def test_a_webhook_channel_passes_once_its_test_reached_a_real_receiver(uow: UnitOfWork) -> None:
    from slaforge.adapters.platform.notifiers.webhook import WebhookNotifier
    from tests.notify_receivers import http_receiver

    a = accepted(uow)
    with http_receiver([500, 204]) as receiver:
        raw = config()
        raw["objectives"][0]["procedure"]["ladder"][1] = {
            "at": 0.9, "notify": receiver.url, "channel": "webhook", "action": "page the lead", "within": 600,
        }  # fmt: skip
        configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=raw, actor=MANAGER, now=NOW)
        sent = proofs.send_channel_test(
            uow=uow, agreement_id=a.agreement_id, channel="webhook", actor=MANAGER, now=NOW
        )
        assert sent.recipients == [receiver.url]
        hooks = ByChannel(webhook=WebhookNotifier(secret="s" * 32, clock=lambda: NOW.timestamp()))
        first = deliver_due(uow=uow, notifier=hooks, now=NOW)  # the receiver answers 500: no proof yet
        assert first.retrying == 1
        reason = {
            i.key: i for i in checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW).items
        }
        assert "webhook" in reason["objectives[0].procedure"].reason
        assert deliver_due(uow=uow, notifier=hooks, now=NOW + timedelta(hours=1)).sent == 1
    assert len(receiver.requests) == 2
    _deliver_test_email(uow, a.agreement_id)
    assert _states(uow, a.agreement_id)["objectives[0].procedure"] == "ok"


def test_a_new_event_on_an_older_ticket_proves_the_source_too(uow: UnitOfWork) -> None:
    from slaforge.services.readiness import ingestion

    a = accepted(uow)
    delivered(uow, a.agreement_id, "INC-OLD")  # arrived before the source was configured
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    assert _states(uow, a.agreement_id)["objectives[0].tracking"] == "failed"
    _, secret = ingestion.create_token(uow=uow, agreement_id=a.agreement_id, label="t", actor=MANAGER, now=NOW)
    reply = {"at": LATER, "kind": "agent_reply", "dedupe_key": "reply-1"}
    ingestion.deliver_event(uow=uow, secret=secret, external_id="INC-OLD", event=reply, system="api", now=LATER)
    assert _states(uow, a.agreement_id)["objectives[0].tracking"] == "ok"


def _jira_customers_agreement(uow: UnitOfWork) -> Any:
    """An accepted agreement of the customer the Jira export fixture names, its first objective
    scoped to the export's priority 'high'."""
    from slaforge.services.agreement import decisions, drafts, versions
    from slaforge.services.agreement.core import AcceptanceEvidence
    from slaforge.services.platform import catalog
    from tests.readiness_setup import TERMS, store_calendar

    store_calendar(uow)
    customer = catalog.create_customer(uow=uow, actor=MANAGER, name="Acme Ltd")  # the export's organisation
    terms = {**TERMS, "objectives": [{**TERMS["objectives"][0], "priorities": ["high"]}]}  # type: ignore[dict-item]
    ref = drafts.draft_agreement(uow=uow, customer_id=customer.id, title="SLA", terms=terms, template_keys=None,
                                 actor=MANAGER.email, now=NOW)  # fmt: skip
    offered = versions.offer_version(uow=uow, version_id=ref.version_id, actor=MANAGER.email, now=NOW)
    decisions.accept_version(uow=uow, version_id=ref.version_id, actor=MANAGER.email, now=NOW,
                             evidence=AcceptanceEvidence(method="manual", accepted_hash=offered.content_hash or ""))  # fmt: skip
    return ref


def test_a_scheduled_import_with_the_configured_mapping_proves_its_source(uow: UnitOfWork) -> None:
    from slaforge.services.background import imports

    ref = _jira_customers_agreement(uow)
    raw = {"objectives": [{"tracking": {"source": "scheduled_import", "mapping": "jira-service-management"}}]}
    configuration.configure(uow=uow, agreement_id=ref.agreement_id, raw=raw, actor=MANAGER, now=NOW)
    assert _states(uow, ref.agreement_id)["objectives[0].tracking"] == "failed"
    export = Path(__file__).resolve().parents[2] / "fixtures" / "imports" / "jira_export.csv"
    imports.import_tickets(uow=uow, path=export, mapping="jira-service-management", clock=lambda: LATER)
    item = {
        i.key: i for i in checks.check_readiness(uow=uow, agreement_id=ref.agreement_id, now=LATER).items
    }["objectives[0].tracking"]
    assert item.state.value == "ok"
    assert "data arrived through a scheduled import: ticket SUP-101" in item.reason


def test_a_slack_channel_is_proven_by_a_delivery_to_its_incoming_webhook(uow: UnitOfWork) -> None:
    import json

    from slaforge.adapters.platform.notifiers.slack import SlackNotifier
    from tests.notify_receivers import http_receiver

    a = accepted(uow)
    with http_receiver([503, 200]) as receiver:
        raw = config()
        raw["objectives"][0]["procedure"]["ladder"][1] = {
            "at": 0.9, "notify": receiver.url, "channel": "slack", "action": "tell the channel", "within": 600,
        }  # fmt: skip
        configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=raw, actor=MANAGER, now=NOW)
        sent = proofs.send_channel_test(uow=uow, agreement_id=a.agreement_id, channel="slack", actor=MANAGER, now=NOW)
        assert sent.recipients == [receiver.url]
        slack = SlackNotifier()
        try:
            hooks = ByChannel(slack=slack)
            assert deliver_due(uow=uow, notifier=hooks, now=NOW).retrying == 1  # 503: no proof yet
            reason = {i.key: i for i in checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW).items}
            assert "slack" in reason["objectives[0].procedure"].reason
            assert deliver_due(uow=uow, notifier=hooks, now=NOW + timedelta(hours=1)).sent == 1
        finally:
            slack.close()
    posted = json.loads(receiver.requests[-1].body)
    assert set(posted) == {"text"}
    assert posted["text"].startswith("*slaforge test notification")
    assert "test of the slack channel" in posted["text"]
    _deliver_test_email(uow, a.agreement_id)
    assert _states(uow, a.agreement_id)["objectives[0].procedure"] == "ok"


def test_a_scheduled_import_of_a_folder_imports_each_new_file_once_and_proves_its_source(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    import shutil

    from slaforge.services.readiness import scheduled

    ref = _jira_customers_agreement(uow)
    folder = tmp_path / "exports"
    folder.mkdir()
    tracking = {"source": "scheduled_import", "mapping": "jira-service-management", "path": str(folder)}
    configuration.configure(uow=uow, agreement_id=ref.agreement_id, raw={"objectives": [{"tracking": tracking}]},
                            actor=MANAGER, now=NOW)  # fmt: skip
    item = {i.key: i for i in checks.check_readiness(uow=uow, agreement_id=ref.agreement_id, now=LATER).items}
    assert f"`slaforge readiness import {ref.agreement_id} --objective 0`" in item["objectives[0].tracking"].next_step
    assert scheduled.run_scheduled_import(uow=uow, agreement_id=ref.agreement_id, objective=0, actor=MANAGER,
                                          clock=lambda: LATER) == []  # an empty folder  # fmt: skip
    export = Path(__file__).resolve().parents[2] / "fixtures" / "imports" / "jira_export.csv"
    shutil.copy(export, folder / "2026-11-02.csv")
    (folder / ".partial").write_text("still being written")
    first = scheduled.run_scheduled_import(uow=uow, agreement_id=ref.agreement_id, objective=0, actor=MANAGER,
                                           clock=lambda: LATER)  # fmt: skip
    assert [(f.path.name, f.skipped) for f in first] == [("2026-11-02.csv", "")]
    assert first[0].tickets > 0
    again = scheduled.run_scheduled_import(uow=uow, agreement_id=ref.agreement_id, objective=0, actor=MANAGER,
                                           clock=lambda: LATER)  # fmt: skip
    assert [(f.path.name, f.tickets, f.skipped) for f in again] == [("2026-11-02.csv", 0, "imported before")]
    assert _states(uow, ref.agreement_id)["objectives[0].tracking"] == "ok"
    with pytest.raises(PermissionDenied):
        scheduled.run_scheduled_import(uow=uow, agreement_id=ref.agreement_id, objective=0, actor=VIEWER,
                                       clock=lambda: LATER)  # fmt: skip
