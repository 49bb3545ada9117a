"""Claims of service credits: where an objective's remedy is applied by claim, the customer's
administrator claims a closed month's credit within the window (once: a second filing, or 25 at
once, leave one claim); nothing to claim where no credit is due or the objective's credits go to
the invoice; another customer cannot see or decide it; the provider approves, or rejects saying
why. SQLite, or PostgreSQL with --database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.live import availability, claims, closing
from tests.agreement_setup import MANAGER
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import Live, live
from tests.parallel import at_once
from tests.readiness_setup import TERMS

DEC = datetime(2026, 12, 1, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _units(factory: sessionmaker[Session], customer_id: int | None = None) -> SqlAlchemyUnitOfWork:
    scope = None if customer_id is None else Scope(customer_id)
    return SqlAlchemyUnitOfWork(factory, scope, audit_keys=lambda: TEST_AUDIT_KEYS)


def _customer_admin(lv: Live) -> Principal:
    return Principal(
        user_id=50 + lv.customer_id,
        email=f"it@customer{lv.customer_id}.test",
        role=Role.CUSTOMER_ADMIN,
        customer_id=lv.customer_id,
    )


def _down_in_november(uow: SqlAlchemyUnitOfWork, name: str = "Acme Ltd") -> Live:
    """A live agreement whose availability clause (99.9 %, below it 10 % credit, by claim within 30
    days) lost an hour in November: its month earns the credit."""
    terms = json.loads(json.dumps(TERMS))
    terms["objectives"][2]["remedy"] = [{"below": 0.999, "credit": 0.1}]
    lv = live(uow, name, terms=terms)
    start = datetime(2026, 11, 10, 10, tzinfo=UTC)
    outage = {"external_id": f"MON-{name}", "service": "Managed e-mail", "started_at": start,
              "ended_at": start + timedelta(hours=1)}  # fmt: skip
    availability.deliver_outage(uow=uow, secret=lv.secret, outage=outage, system="api", now=start)
    return lv


def test_a_claim_is_filed_once_and_the_provider_decides_it(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = _down_in_november(uow)
    other = _down_in_november(uow, "Other Ltd")
    closing.close_periods(units=lambda: _units(session_factory), now=DEC + MIN)
    admin = _customer_admin(lv)

    def file(index: int, *, who: Principal = admin, scope: int | None = lv.customer_id) -> claims.ClaimView:
        return claims.file_claim(
            uow=_units(session_factory, scope),
            agreement_id=lv.agreement_id,
            objective_index=index,
            period="2026-11",
            note="an hour down on the 10th",
            actor=who,
            now=DEC + timedelta(days=2),
        )

    with pytest.raises(InvalidInput) as invoice:
        file(0)  # the first response's credits go to the invoice
    assert "applied to the invoice" in str(invoice.value)
    outcomes = at_once(lambda _: _try(lambda: file(2)), list(range(25)))
    filed = [o for o in outcomes if isinstance(o, claims.ClaimView)]
    assert len(filed) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if o is not filed[0])
    claim = filed[0]
    assert (claim.period, claim.credit, claim.state) == ("2026-11", 0.1, "filed")

    outsider = _customer_admin(other)
    with pytest.raises(NotFound):  # another customer's agreement does not exist for it
        file(2, who=outsider, scope=other.customer_id)
    with pytest.raises(NotFound):  # nor its claim
        claims.decide_claim(
            uow=_units(session_factory, other.customer_id),
            claim_id=claim.id,
            approve=True,
            reason="",
            actor=outsider,
            now=DEC + timedelta(days=3),
        )
    with pytest.raises(PermissionDenied):  # the customer does not decide its own claim
        claims.decide_claim(
            uow=_units(session_factory, lv.customer_id),
            claim_id=claim.id,
            approve=True,
            reason="",
            actor=admin,
            now=DEC + timedelta(days=3),
        )
    with pytest.raises(InvalidInput) as bare:
        claims.decide_claim(
            uow=_units(session_factory),
            claim_id=claim.id,
            approve=False,
            reason=" ",
            actor=MANAGER,
            now=DEC + timedelta(days=3),
        )
    assert bare.value.field == "reason"
    done = claims.decide_claim(
        uow=_units(session_factory),
        claim_id=claim.id,
        approve=True,
        reason="",
        actor=MANAGER,
        now=DEC + timedelta(days=3),
    )
    assert (done.state, done.decided_by) == ("approved", MANAGER.email)
    with pytest.raises(Conflict):
        claims.decide_claim(
            uow=_units(session_factory),
            claim_id=claim.id,
            approve=False,
            reason="no",
            actor=MANAGER,
            now=DEC + timedelta(days=4),
        )


def test_out_of_the_window_or_without_a_credit_there_is_nothing_to_claim(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = _down_in_november(uow)
    closing.close_periods(units=lambda: _units(session_factory), now=DEC + MIN)
    late = DEC + timedelta(days=31)
    with pytest.raises(InvalidInput) as window:
        claims.file_claim(
            uow=_units(session_factory, lv.customer_id),
            agreement_id=lv.agreement_id,
            objective_index=2,
            period="2026-11",
            note="",
            actor=_customer_admin(lv),
            now=late,
        )
    assert "claim window for 2026-11 closed on 2026-12-31" in str(window.value)
    with pytest.raises(InvalidInput) as running:
        claims.file_claim(
            uow=_units(session_factory, lv.customer_id),
            agreement_id=lv.agreement_id,
            objective_index=2,
            period="2026-12",
            note="",
            actor=_customer_admin(lv),
            now=DEC + timedelta(days=2),
        )
    assert "is not closed yet" in str(running.value)


def _try(run: object) -> object:
    try:
        return run()  # type: ignore[operator]
    except Conflict as exc:
        return exc
