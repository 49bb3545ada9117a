"""A test event for an objective tracked through the event API: the ticket a user sends through
`POST /api/v1/ingest/tickets` to prove the source (`slaforge readiness test-event` sends it with
the agreement's ingestion token). It belongs to the agreement's customer, falls in the
objective's scope, and is marked as a test (category "readiness test") so that reports can leave
it out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.services.readiness.common import (
    config_of,
    iso,
    objectives_of,
    readiness_version,
    require_manager,
)
from slaforge.services.unit_of_work import UnitOfWork

TEST_CATEGORY = "readiness test"


def test_event(
    *, uow: UnitOfWork, agreement_id: int, objective: int, actor: Principal, now: datetime
) -> dict[str, Any]:
    """The body of the test ticket for objective `objective` (its index in the terms)."""
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "send test events")  # after the scoped load: another's stays 404
        objectives = objectives_of(version)
        if not 0 <= objective < len(objectives):
            raise InvalidInput(f"must be an objective's index, 0 to {len(objectives) - 1}", field="objective")
        _row, config = config_of(uow, version)
        tracking = (config["objectives"][objective] or {}).get("tracking") or {}
        if tracking.get("source") != "event_api":
            raise InvalidInput(
                f"objectives[{objective}] is not tracked through the event API: configure "
                f"objectives[{objective}].tracking.source: event_api first",
                field="objective",
            )
        terms = objectives[objective]
        body: dict[str, Any] = {
            "external_id": f"readiness-test-{version.id}-{objective}-{now:%Y%m%dT%H%M%S}",
            "customer_id": version.agreement.customer_id,
            "priority": (terms.get("priorities") or ["P1"])[0],
            "status": "new",
            "category": TEST_CATEGORY,
            "created_at": iso(now.replace(microsecond=0)),
        }
        if terms.get("metric") == "availability":
            service_id = uow.readiness.service_id_named(str(terms.get("service", "")))
            if service_id is None:
                raise InvalidInput(
                    f"no service named '{terms.get('service')}' exists to send a ticket for",
                    field="objective",
                )
            body["service_id"] = service_id
        return body
