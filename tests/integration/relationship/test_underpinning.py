"""Underpinning contracts on a real database: links on a draft, inherited by the next draft and
frozen with an offered version; the check's warnings; provider-only (a customer user is told
nothing exists); the CLI's check exits 1 on a warning; 25 parallel creates of one name store one
(run with --database postgresql… for the real race)."""

from __future__ import annotations

import os
import subprocess

import pytest

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.agreement import drafts
from slaforge.services.background.calendars import save_calendar
from slaforge.services.platform import catalog
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_input import calendar_from, targets_from
from tests.agreement_setup import MANAGER, NOW, TERMS, offer
from tests.cli_in_process import run_cli
from tests.parallel import at_once

ACT = {"actor": MANAGER.email, "now": NOW}
OFFICE = {
    "timezone": "Europe/Berlin",
    "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
TERMS_HERE = {
    **TERMS,
    "calendar": {
        "name": "Office",
        "timezone": "Europe/Berlin",
        "description": "Mon–Fri 08–18",
        "day_seconds": 36000,
    },
    "objectives": [
        {"metric": "resolution", "priorities": ["P1"], "target_seconds": 8 * 3600, "attainment": 0.9},
        TERMS["objectives"][2],
    ],
}


def _draft(uow: SqlAlchemyUnitOfWork, name: str = "Acme Ltd") -> int:
    save_calendar(uow=uow, name="Office", calendar=BusinessCalendar.from_dict(OFFICE))
    customer = catalog.create_customer(uow=uow, actor=MANAGER, name=name)
    ref = drafts.draft_agreement(
        uow=uow,
        customer_id=customer.id,
        title=f"SLA {name}",
        terms=TERMS_HERE,
        template_keys=None,
        actor=MANAGER.email,
        now=NOW,
    )
    return ref.agreement_id


def _supplier(uow: SqlAlchemyUnitOfWork, days: str = "2d") -> int:
    return up.create_contract(
        uow=uow,
        kind="uc",
        name="Mailhost",
        counterparty="Mailhost Ltd",
        calendar=calendar_from("Europe/Berlin", "08:00-18:00"),
        targets=targets_from([f"resolution:*={days}"], "10h"),
        **ACT,
    ).id


def test_a_draft_objective_resting_on_a_slower_supplier_shows_the_warning(uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    contract = _supplier(uow)
    assert up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    assert not up.link_contract(
        uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT
    )
    result = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW)
    (warning,) = result.warnings
    assert warning.kind == "late"
    assert (
        "Resolution of P1 is promised within 8 business hours, but Mailhost has 2 business days (20 h)"
        in (warning.text)
    )
    with pytest.raises(InvalidInput, match="availability"):
        up.link_contract(uow=uow, agreement_id=agreement, objective_index=1, contract_id=contract, **ACT)
    with pytest.raises(InvalidInput) as bad:
        up.link_contract(uow=uow, agreement_id=agreement, objective_index=5, contract_id=contract, **ACT)
    assert bad.value.field == "objective"


def test_links_freeze_with_the_offer_and_the_next_draft_inherits_them(uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    contract = _supplier(uow, "4h")
    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    first = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW)
    assert first.warnings == []
    offer(uow, first.version_id)
    with pytest.raises(IllegalTransition, match="frozen"):
        up.unlink_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    drafts.new_version(uow=uow, agreement_id=agreement, actor=MANAGER.email, now=NOW)
    second = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW)
    assert second.inherited_from == 1
    assert [c.name for c in second.objectives[0].contracts] == ["Mailhost"]
    up.unlink_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    assert up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW).objectives[0].contracts == []
    frozen = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW, version_id=first.version_id)
    assert [c.name for c in frozen.objectives[0].contracts] == ["Mailhost"]  # the offered version keeps it


def test_a_customer_user_is_told_nothing_exists(session_factory, uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    _supplier(uow)
    customer_id = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW).agreement_id
    scoped = SqlAlchemyUnitOfWork(session_factory, scope=Scope(customer_id), audit_keys=uow._audit_keys)
    with pytest.raises(NotFound):
        up.list_contracts(uow=scoped)
    with pytest.raises(NotFound):
        up.check_underpinning(uow=scoped, agreement_id=agreement, now=NOW)


def test_one_name_created_by_25_requests_at_once_is_stored_once(uow: SqlAlchemyUnitOfWork) -> None:
    def create(_n: int) -> str:
        fresh = SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)
        try:
            _supplier(fresh)
        except Conflict:
            return "conflict"
        return "created"

    outcomes = at_once(create, list(range(25)))
    assert sorted(outcomes) == ["conflict"] * 24 + ["created"]
    assert [c.name for c in up.list_contracts(uow=uow)] == ["Mailhost"]


@pytest.mark.sqlite_only  # the console script opens the test's SQLite file
def test_the_cli_check_exits_1_on_a_warning_and_0_without(
    database_url: str, uow: SqlAlchemyUnitOfWork
) -> None:
    agreement = _draft(uow)
    slow, fast = (
        _supplier(uow),
        up.create_contract(
            uow=uow,
            kind="ola",
            name="Desk",
            counterparty="",
            calendar=calendar_from("Europe/Berlin", "24x7"),
            targets={"resolution": {"*": 3600}},
            **ACT,
        ).id,
    )
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("relationship", *args, env=env)

    assert run("underpinning", "link", str(agreement), "0", str(fast)).returncode == 0
    ok = run("underpinning", "check", str(agreement))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "every linked promise holds" in ok.stdout
    assert run("underpinning", "link", str(agreement), "0", str(slow)).returncode == 0
    warned = run("underpinning", "check", str(agreement))
    assert warned.returncode == 1, warned.stdout + warned.stderr
    assert "WARNING: Resolution of P1 is promised within 8 business hours" in warned.stdout
    by_number = run("underpinning", "check", str(agreement), "--version", "1")  # a number, as appendix
    assert by_number.returncode == 1, by_number.stdout + by_number.stderr
    assert f"agreement {agreement} version 1 (draft)" in by_number.stdout
    missing = run("underpinning", "check", str(agreement), "--version", "7")
    assert missing.returncode != 0
    assert f"agreement {agreement} has no version 7" in missing.stdout + missing.stderr
    listed = run("contracts", "list")
    assert "UC   Mailhost" in listed.stdout
    assert "OLA  Desk" in listed.stdout
    refused = run("contracts", "add", "X", "--target", "resolution:P1")
    assert refused.returncode == 2
    assert "METRIC:PRIORITY=DURATION" in refused.stdout + refused.stderr
