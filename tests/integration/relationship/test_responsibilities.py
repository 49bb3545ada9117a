"""The responsibilities use cases on a real database: edits on a draft (validated, audited),
refusal on a frozen version, the section carried to new versions and counter-offers, the diff
of a changed Accountable in `slaforge agreement diff`, and acknowledgements."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.agreement import drafts, link_decisions, reading
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.links import Visitor
from slaforge.services.platform import audit
from slaforge.services.relationship import acknowledgements as acks
from slaforge.services.relationship import responsibilities as resp
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, draft, offer
from tests.cli_in_process import run_cli

ACT = {"actor": MANAGER.email, "now": NOW}
CONTACTS = [{"party": "provider", "level": 1, "name": "Service desk", "channels": "desk@northwind.test"}]


def _swap_accountable(uow: UnitOfWork, agreement_id: int) -> None:
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    activity = view.activity("approve-changes")
    for r in activity["raci"]:
        if r["role"] == "approver":
            r["letters"] = "C"
        elif r["role"] == "service contact":
            r["letters"] = "A"
    resp.put_activity(uow=uow, agreement_id=agreement_id, activity=activity, **ACT)


def test_edits_on_a_draft_are_validated_rendered_and_audited(uow: UnitOfWork) -> None:
    d = draft(uow)
    view, added = resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=None, **ACT)
    assert len(added) == 7
    assert view.editable
    resp.set_contacts(uow=uow, agreement_id=d.agreement_id, contacts=CONTACTS, **ACT)
    bad = view.activity("approve-changes")
    bad["raci"][1]["letters"] = "A"  # a second Accountable
    with pytest.raises(
        InvalidInput, match="activity 'Approve changes' must have exactly one Accountable"
    ) as c:
        resp.put_activity(uow=uow, agreement_id=d.agreement_id, activity=bad, **ACT)
    assert c.value.field == "relationship.activities[3].raci"
    resp.remove_activity(uow=uow, agreement_id=d.agreement_id, key="attend-service-reviews", **ACT)
    with pytest.raises(NotFound):
        resp.remove_activity(uow=uow, agreement_id=d.agreement_id, key="attend-service-reviews", **ACT)
    document = reading.get_version(uow=uow, version_id=d.version_id).document or ""
    assert "| Approve changes | within 2 business days of a request |" in document
    assert "Attend service reviews" not in document
    assert "| 1 | Service desk | — | desk@northwind.test |" in document
    actions = [
        e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=d.agreement_id)
    ]
    assert actions[1:] == [
        "relationship.starter_applied",
        "relationship.contacts_set",
        "relationship.activity_removed",
    ]


def test_an_offered_version_is_frozen_and_a_new_version_carries_the_section(uow: UnitOfWork) -> None:
    d = draft(uow)
    resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=["approve-changes"], **ACT)
    offer(uow, d.version_id)
    with pytest.raises(IllegalTransition, match=r"version 1 is offered: .* draft a new version"):
        resp.set_roles(uow=uow, agreement_id=d.agreement_id, roles={"provider": ["x"]}, **ACT)
    v2 = drafts.new_version(uow=uow, agreement_id=d.agreement_id, actor=MANAGER.email, now=NOW)
    carried = resp.get_relationship(uow=uow, agreement_id=d.agreement_id)
    assert carried.version_id == v2.version_id
    assert [a["key"] for a in carried.section["activities"]] == ["approve-changes"]
    _swap_accountable(uow, d.agreement_id)
    diff = reading.diff_versions(uow=uow, a=d.version_id, b=v2.version_id)
    changed = {c.path: c for c in diff.terms}
    assert changed["relationship.activities[0].raci[0].letters"].old == "A"
    assert changed["relationship.activities[0].raci[1].letters"].new == "A"
    assert changed["relationship.activities[0].raci[1].letters"].where == (
        "activity 'Approve changes', customer service contact"
    )


def test_a_counter_offer_keeps_the_relationship_section(uow: UnitOfWork) -> None:
    d = draft(uow)
    resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=None, **ACT)
    sent = acceptance.offer_and_send(uow=uow, version_id=d.version_id, recipients=["b@customer.test"],
                                     actor=MANAGER.email, now=NOW, expires_at=NOW + timedelta(days=14),
                                     base_url="http://sla.test")  # fmt: skip
    token = sent.links[0].url.rsplit("/", 1)[1]
    counter = link_decisions.counter_via_link(uow=uow, token=token, changes={0: {"target_minutes": 15}},
                                              comment="faster", visitor=Visitor(ip="203.0.113.7", user_agent="t"),
                                              now=NOW + timedelta(hours=1))  # fmt: skip
    view = resp.get_relationship(uow=uow, agreement_id=d.agreement_id, version_id=counter.version_id)
    assert len(view.section["activities"]) == 7


def test_the_cli_diff_shows_a_changed_accountable(uow: UnitOfWork, database_url: str) -> None:
    d = draft(uow)
    resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=["approve-changes"], **ACT)
    offer(uow, d.version_id)
    v2 = drafts.new_version(uow=uow, agreement_id=d.agreement_id, actor=MANAGER.email, now=NOW)
    _swap_accountable(uow, d.agreement_id)
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    out = run_cli("agreement", "diff", str(d.version_id), str(v2.version_id), env=env)
    assert out.returncode == 0, out.stderr
    assert (
        "  relationship.activities[0].raci[1].letters (activity 'Approve changes', customer service contact):"
        ' "C" -> "A"' in out.stdout
    )
    assert "+| Approve changes |" in out.stdout


def test_a_customer_user_acknowledges_its_responsibility_once(
    uow: UnitOfWork, session_factory: object
) -> None:
    from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
    from tests.conftest import TEST_AUDIT_KEYS

    d = draft(uow)
    other = draft(uow, "Other Ltd")
    resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=None, **ACT)
    offer(uow, d.version_id)
    mine = SqlAlchemyUnitOfWork(session_factory, Scope(d.customer_id), audit_keys=lambda: TEST_AUDIT_KEYS)  # type: ignore[arg-type]
    done = acks.acknowledge(uow=mine, agreement_id=d.agreement_id, activity_key="approve-changes",
                            actor="jane@acme.test", now=NOW)  # fmt: skip
    again = acks.acknowledge(uow=mine, agreement_id=d.agreement_id, activity_key="approve-changes",
                             actor="joe@acme.test", now=NOW)  # fmt: skip
    assert done.new
    assert not again.new
    assert again.user == "jane@acme.test"
    with pytest.raises(InvalidInput, match="is not the customer's to do"):
        acks.acknowledge(uow=mine, agreement_id=d.agreement_id, activity_key="deliver-monthly-report",
                         actor="jane@acme.test", now=NOW)  # fmt: skip
    with pytest.raises(NotFound):
        acks.acknowledge(uow=mine, agreement_id=other.agreement_id, activity_key="approve-changes",
                         actor="jane@acme.test", now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied):
        acks.acknowledge(uow=uow, agreement_id=d.agreement_id, activity_key="approve-changes", **ACT)
    seen = acks.list_acknowledgements(uow=uow, agreement_id=d.agreement_id)
    assert [(a.activity_key, a.user) for a in seen] == [("approve-changes", "jane@acme.test")]
    actions = [
        e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=d.agreement_id)
    ]
    assert actions.count("relationship.responsibility_acknowledged") == 1


def _relationship_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("relationship", "responsibilities", *args, env=env)


def test_the_responsibilities_commands(uow: UnitOfWork, database_url: str, tmp_path: Path) -> None:
    d = draft(uow)
    aid = str(d.agreement_id)
    started = _relationship_cli(database_url, "starter", aid, "--keys", "approve-changes,grant-remote-access")
    assert started.returncode == 0, started.stderr
    assert "added 2 activities: grant-remote-access, approve-changes" in started.stdout
    two_a = _relationship_cli(database_url, "add", aid, "--key", "go-live", "--name", "Sign off the go-live",
                              "--raci", "customer:approver=A", "--raci", "customer:service contact=RA")  # fmt: skip
    assert two_a.returncode == 2
    assert "activity 'Sign off the go-live' must have exactly one Accountable" in two_a.stderr
    (tmp_path / "go-live.yaml").write_text(
        "key: go-live\nname: Sign off the go-live\ndue: at least 2 business days before go-live\n"
        "raci:\n- {party: customer, role: approver, letters: A}\n- {party: provider, role: service owner, letters: R}\n"
    )
    added = _relationship_cli(database_url, "add", aid, "--file", str(tmp_path / "go-live.yaml"))
    assert added.returncode == 0, added.stderr
    assert "go-live: Sign off the go-live — at least 2 business days before go-live" in added.stdout
    (tmp_path / "contacts.yaml").write_text(
        "- {party: customer, level: 1, name: Jane Roe, channels: jane@acme.test}\n"
    )
    contacts = _relationship_cli(database_url, "contacts", "set", aid, str(tmp_path / "contacts.yaml"))
    assert "customer level 1: Jane Roe (jane@acme.test)" in contacts.stdout
    removed = _relationship_cli(database_url, "remove", aid, "grant-remote-access")
    assert removed.returncode == 0
    assert "activities: 2" in removed.stdout
    offer(uow, d.version_id)
    frozen = _relationship_cli(database_url, "remove", aid, "go-live")
    assert frozen.returncode == 2
    assert (
        "version 1 is offered: its responsibilities are frozen with it; draft a new version" in frozen.stderr
    )
    shown = _relationship_cli(database_url, "show", aid, "--json")
    assert shown.returncode == 0
    assert '"key": "go-live"' in shown.stdout
