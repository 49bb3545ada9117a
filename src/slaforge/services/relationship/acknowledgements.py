"""A customer user acknowledges one of the customer's responsibilities (an activity of the version
it sees where the customer holds R or A): live state beside the frozen terms, recorded once per
(version, activity) and in the audit log. The provider reads them; only customer users write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import ResponsibilityAcknowledgement
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.services.agreement.core import load_agreement
from slaforge.services.platform import audit
from slaforge.services.relationship.responsibilities import get_relationship
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    agreement_id: int
    version_id: int
    activity_key: str
    user: str
    at: datetime
    new: bool = False  # this request stored it (False: it was acknowledged before)


def _out(row: ResponsibilityAcknowledgement, new: bool = False) -> Acknowledgement:
    return Acknowledgement(row.agreement_id, row.version_id, row.activity_key, row.user, row.at, new)


def customer_holds(activity: dict[str, object]) -> bool:
    """The customer is Responsible or Accountable for the activity."""
    raci = activity.get("raci")
    return isinstance(raci, list) and any(
        r["party"] == "customer" and set(r["letters"]) & {"R", "A"} for r in raci
    )


def list_acknowledgements(*, uow: UnitOfWork, agreement_id: int) -> list[Acknowledgement]:
    with uow:
        load_agreement(uow, agreement_id)  # NotFound for another customer's agreement
        return [_out(r) for r in uow.relationship.acknowledgements(agreement_id)]


def acknowledge(
    *, uow: UnitOfWork, agreement_id: int, activity_key: str, actor: str, now: datetime
) -> Acknowledgement:
    """Acknowledge `activity_key` in the newest version the customer user sees; idempotent."""
    if not uow.scope.is_limited:
        raise PermissionDenied("only the customer's users acknowledge the customer's responsibilities")
    view = get_relationship(uow=uow, agreement_id=agreement_id)
    activity = view.activity(activity_key)
    if not customer_holds(activity):
        raise InvalidInput(
            f"'{activity['name']}' is not the customer's to do (it holds neither R nor A)",
            field="activity_key",
            value=activity_key,
        )
    with uow:
        found = uow.relationship.acknowledgement(view.version_id, activity_key)
        if found is not None:
            return _out(found)
        row = ResponsibilityAcknowledgement(
            agreement_id=view.agreement_id,
            version_id=view.version_id,
            activity_key=activity_key,
            user=actor,
            at=now,
        )
        stored, new = uow.relationship.add_acknowledgement(row)
        if not new:
            return _out(stored)
        audit.record(
            uow,
            actor=actor,
            action="relationship.responsibility_acknowledged",
            subject_type="agreement",
            subject_id=view.agreement_id,
            at=now,
            data={"version_id": view.version_id, "version": view.number, "activity": activity_key},
        )
        out = _out(stored, new=True)
        uow.commit()
        return out
