"""The demo's supplier: a mail host whose contract gives it three business days to resolve, behind
the demo agreement's tightest resolution promise, so the check has something true to say."""

from __future__ import annotations

from datetime import datetime

from slaforge.domain.relationship.feasibility import Warning
from slaforge.services.relationship.underpinning import check_underpinning, create_contract, link_contract
from slaforge.services.unit_of_work import UnitOfWork

SUPPLIER = "Mailhost Ltd (mail relay)"
# Its hours cover the demo calendar's (Mon–Fri 08:00–17:00 UTC) in winter and in summer, so the only
# warning is the one about time: three of its business days outlast the agreement's promise.
HOURS = {
    "timezone": "Europe/London",
    "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
DAY = 10 * 3600.0


def demo_supplier(
    *, uow: UnitOfWork, agreement_id: int, actor: str, now: datetime
) -> tuple[int, list[Warning]]:
    """Record the supplier, rest the draft's shortest resolution objective on it; (that objective's
    index, the check's warnings)."""
    with uow:
        version = uow.agreement.version(uow.relationship.version_numbers(agreement_id)[-1][0])
        objectives = list(version.terms.get("objectives", [])) if version is not None else []
    timed = [
        (float(o["target_seconds"]), i) for i, o in enumerate(objectives) if o.get("metric") == "resolution"
    ]
    if not timed:
        return -1, []
    index = min(timed)[1]
    contract = create_contract(
        uow=uow,
        kind="uc",
        name=SUPPLIER,
        counterparty="Mailhost Ltd",
        calendar=HOURS,
        targets={"resolution": {"*": 3 * DAY}},
        actor=actor,
        now=now,
    )
    link_contract(
        uow=uow,
        agreement_id=agreement_id,
        objective_index=index,
        contract_id=contract.id,
        actor=actor,
        now=now,
    )
    return index, check_underpinning(uow=uow, agreement_id=agreement_id, now=now).warnings
