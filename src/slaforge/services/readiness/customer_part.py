"""The customer's own part before go-live, from step 3: the implementation tasks its people own
that are still open, and the activities it is Responsible or Accountable for that none of its
users has acknowledged on this version yet.

Shown to both parties beside the readiness items (the portal's page is where a customer's user
sees what is pending on its side). It does not hold the gate: the provider decides, and a
customer's lapse is measured by the obligations of step 3, not by keeping the service from
starting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from slaforge.domain.relationship.tasks import CLOSED
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.services.readiness.common import readiness_version
from slaforge.services.relationship.acknowledgements import customer_holds
from slaforge.services.relationship.task_lists import board
from slaforge.services.relationship.tasks import TaskView
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Unacknowledged:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class CustomerPart:
    tasks: list[TaskView] = field(default_factory=list)  # the customer's open tasks, overdue first
    unacknowledged: list[Unacknowledged] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return len(self.tasks) + len(self.unacknowledged)


def customer_part(*, uow: UnitOfWork, agreement_id: int, now: datetime) -> CustomerPart:
    """What the customer still has to do, for the version readiness is about (NotFound for another
    customer's agreement, as every readiness read)."""
    with uow:
        version = readiness_version(uow, agreement_id)
        activities = normalise_relationship((version.terms or {}).get("relationship"))["activities"]
        rows = uow.relationship.acknowledgements(agreement_id)
        acknowledged = {a.activity_key for a in rows if a.version_id == version.id}
    tasks = [t for t in board(uow, agreement_id, now=now).tasks if t.party == "customer"]
    tasks = [t for t in tasks if t.status not in CLOSED]
    tasks.sort(key=lambda t: (not t.overdue, t.due_date, t.id))
    missing = [
        Unacknowledged(str(a["key"]), str(a["name"]))
        for a in activities
        if customer_holds(a) and a["key"] not in acknowledged
    ]
    return CustomerPart(tasks, missing)
