"""Claims of service credits: where an objective's remedy is applied by claim (the readiness
configuration's `remedy: {application: claim, claim_window_days: N}`), the customer's administrator
files a claim for a closed period whose figures earn a credit, within N days of the period's end;
the provider's manager approves it, or rejects it with a reason. One claim per objective and
period (a unique key). Every step is audited (`live.claim_filed`, `live.claim_approved`,
`live.claim_rejected`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.adapters.db.models import LiveClaim
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal, Role
from slaforge.services.agreement.core import load_agreement, require_provider
from slaforge.services.live.compliance import bounds, compliance_of
from slaforge.services.live.context import context_for
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    agreement_id: int
    objective_index: int
    period: str
    credit: float
    note: str
    filed_by: str
    filed_at: datetime
    state: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    objective: str = ""  # the objective's label in the version live now


def _view(c: LiveClaim, label: str = "") -> ClaimView:
    return ClaimView(
        c.id,
        c.agreement_id,
        c.objective_index,
        c.period_label,
        c.credit,
        c.note,
        c.filed_by,
        c.filed_at,
        c.state,
        c.decided_by,
        c.decided_at,
        c.reason,
        label or f"objective {c.objective_index}",
    )


def file_claim(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    objective_index: int,
    period: str,
    note: str,
    actor: Principal,
    now: datetime,
) -> ClaimView:
    """File the customer's claim of one objective's credit for one closed period."""
    text = (note or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"at most {MAX_TEXT} characters", field="note")
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        if actor.role is not Role.CUSTOMER_ADMIN:
            raise PermissionDenied(
                "a claim is filed by the customer's administrator; the provider decides it"
            )
        if not period:
            raise InvalidInput("the closed month (2026-11) or quarter (2026-Q4) claimed", field="period")
        standing = compliance_of(uow=uow.joined(), agreement_id=agreement_id, now=now, period=period)
        ctx = context_for(uow, agreement_id)
        assert ctx is not None  # compliance_of found it live
        if not 0 <= objective_index < len(ctx.objective_terms):
            raise InvalidInput(f"0 to {len(ctx.objective_terms) - 1}", field="objective_index")
        remedy = ctx.remedies[objective_index] if objective_index < len(ctx.remedies) else {}
        if remedy.get("application") != "claim":
            raise InvalidInput(
                "this objective's credits are applied to the invoice: nothing to claim",
                field="objective_index",
            )
        line = next(o for o in standing.objectives if o.objective_index == objective_index)
        if not line.closed:
            raise InvalidInput(f"the period {line.figures['label']} is not closed yet", field="period")
        begins = datetime.fromisoformat(line.figures["start"])
        start, end, label = bounds(ctx, ctx.objective_terms[objective_index], begins)
        closes = end + timedelta(days=int(remedy.get("claim_window_days", 0)))
        if now > closes:
            raise InvalidInput(f"the claim window for {label} closed on {closes:%Y-%m-%d}", field="period")
        if line.credit is None or line.credit.credit <= 0:
            raise InvalidInput(
                f"no credit is due for {label}: the attainment met the remedy tiers", field="period"
            )
        row = uow.live.add_claim_once(
            {
                "agreement_id": agreement_id,
                "objective_index": objective_index,
                "period_label": label,
                "period_start": start,
                "credit": line.credit.credit,
                "note": text,
                "filed_by": actor.email,
                "filed_at": now,
                "state": "filed",
            }
        )
        if row is None:
            raise Conflict(f"a claim for {line.objective} in {label} is filed already")
        audit.record(
            uow,
            actor=actor.email,
            action="live.claim_filed",
            subject_type="agreement",
            subject_id=agreement_id,
            at=now,
            data={
                "claim_id": row.id,
                "objective_index": objective_index,
                "period": label,
                "credit": row.credit,
            },
        )
        view = _view(row)
        uow.commit()
        return view


def decide_claim(
    *, uow: UnitOfWork, claim_id: int, approve: bool, reason: str, actor: Principal, now: datetime
) -> ClaimView:
    """The provider's decision on a filed claim; a rejection says why."""
    text = (reason or "").strip()
    if not approve and not text:
        raise InvalidInput("say why the claim is rejected", field="reason")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"at most {MAX_TEXT} characters", field="reason")
    with uow:
        row = uow.live.claim(claim_id, lock=True)
        if row is None:
            raise NotFound(f"no claim {claim_id}")
        require_provider(uow)
        actor.require(Permission.CATALOG_WRITE)
        if row.state != "filed":
            raise Conflict(f"claim {claim_id} is {row.state} already")
        row.state = "approved" if approve else "rejected"
        row.decided_by, row.decided_at, row.reason = actor.email, now, text or None
        audit.record(
            uow,
            actor=actor.email,
            action=f"live.claim_{row.state}",
            subject_type="agreement",
            subject_id=row.agreement_id,
            at=now,
            data={"claim_id": row.id, "period": row.period_label, "reason": text},
        )
        view = _view(row)
        uow.commit()
        return view


def claims_of(*, uow: UnitOfWork, agreement_id: int) -> list[ClaimView]:
    with uow:
        load_agreement(uow, agreement_id)
        ctx = context_for(uow, agreement_id)
        return [
            _view(c, "" if ctx is None else ctx.label_of(c.objective_index))
            for c in uow.live.claims_of(agreement_id)
        ]


@dataclass(frozen=True, slots=True)
class Claimable:
    objective_index: int
    objective: str
    period: str
    credit: float
    closes: datetime  # the last day a claim is taken


def claimable(*, uow: UnitOfWork, agreement_id: int, now: datetime) -> list[Claimable]:
    """The credits of closed periods that may still be claimed (by claim remedy, in the window,
    a credit earned, no claim filed yet), for the portal's form."""
    with uow:
        load_agreement(uow, agreement_id)
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            return []
        filed = {(c.objective_index, c.period_label) for c in uow.live.claims_of(agreement_id)}
        labels = sorted({p.label for p in uow.live.periods_of(agreement_id)})
        out = []
        for label in labels:
            standing = compliance_of(uow=uow.joined(), agreement_id=agreement_id, now=now, period=label)
            for line in standing.objectives:
                i = line.objective_index
                remedy = ctx.remedies[i] if i < len(ctx.remedies) else {}
                if remedy.get("application") != "claim" or not line.closed or line.credit is None:
                    continue
                closes = datetime.fromisoformat(line.figures["end"]) + timedelta(
                    days=int(remedy.get("claim_window_days", 0))
                )
                if line.credit.credit > 0 and now <= closes and (i, line.figures["label"]) not in filed:
                    out.append(
                        Claimable(i, line.objective, line.figures["label"], line.credit.credit, closes)
                    )
        return out
