"""Queries of live availability: outages delivered by a monitoring system (written once by their
source id, their end filled in when it comes), the outages of a service in a window, and each
month's firings written once by their unique key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import (
    AgreementService,
    LiveAvailabilityFiring,
    LiveBurnAlert,
    Outage,
    Service,
)
from slaforge.adapters.db.rows import insert_for


class AvailabilityQueries:
    """Mixed into the live repository (`uow.live`)."""

    _session: Session

    def service_named(self, name: str) -> Service:
        """The service of that name (compared without case), created if there is none; two
        deliveries naming a new service at once create it once (the name is unique)."""
        found = self._session.scalar(select(Service).where(func.lower(Service.name) == name.lower()))
        if found is not None:
            return found
        self._session.execute(insert_for(self._session, Service).values(name=name).on_conflict_do_nothing())
        row = self._session.scalar(select(Service).where(func.lower(Service.name) == name.lower()))
        assert row is not None
        return row

    def link_service(self, agreement_id: int, service_id: int) -> None:
        """Record that the agreement measures the service's availability (once)."""
        stmt = (
            insert_for(self._session, AgreementService)
            .values(agreement_id=agreement_id, service_id=service_id)
            .on_conflict_do_nothing(index_elements=["agreement_id", "service_id"])
        )
        self._session.execute(stmt)

    def outage_for_update(self, source: str, external_id: str) -> Outage | None:
        stmt = select(Outage).where(Outage.source == source, Outage.external_id == external_id)
        if self._session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def insert_outage_once(self, values: Mapping[str, Any]) -> bool:
        """Insert unless (source, external id) is stored; whether this call inserted it."""
        stmt = (
            insert_for(self._session, Outage)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["source", "external_id"])
            .returning(Outage.id)
        )
        return self._session.scalar(stmt) is not None

    def outages_of_service(self, service: str, start: datetime, end: datetime) -> list[Outage]:
        """Outages of the named service (without case) overlapping [start, end), in start order."""
        stmt = (
            select(Outage)
            .join(Service, Service.id == Outage.service_id)
            .where(
                func.lower(Service.name) == service.lower(),
                Outage.started_at < end,
                or_(Outage.ended_at.is_(None), Outage.ended_at > start),
            )
            .order_by(Outage.started_at, Outage.id)
        )
        return list(self._session.scalars(stmt))

    def add_availability_firing_once(self, values: Mapping[str, Any]) -> LiveAvailabilityFiring | None:
        keys = ["agreement_id", "objective_index", "month", "step"]
        stmt = (
            insert_for(self._session, LiveAvailabilityFiring)
            .values(**values)
            .on_conflict_do_nothing(index_elements=keys)
            .returning(LiveAvailabilityFiring.id)
        )
        new_id = self._session.scalar(stmt)
        return None if new_id is None else self._session.get(LiveAvailabilityFiring, new_id)

    def withdraw_availability_firing(self, firing_id: int, at: datetime, reason: str) -> bool:
        """Mark the firing withdrawn unless it is already; whether this call did (two schedulers
        seeing the same correction at once: one of them withdraws it and says so)."""
        stmt = (
            update(LiveAvailabilityFiring)
            .where(LiveAvailabilityFiring.id == firing_id, LiveAvailabilityFiring.withdrawn_at.is_(None))
            .values(withdrawn_at=at, withdrawn_reason=reason)
            .execution_options(synchronize_session="fetch")
        )
        return bool(self._session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def open_burn_alert(self, agreement_id: int, objective_index: int, rule: str) -> LiveBurnAlert | None:
        stmt = select(LiveBurnAlert).where(
            LiveBurnAlert.agreement_id == agreement_id,
            LiveBurnAlert.objective_index == objective_index,
            LiveBurnAlert.rule == rule,
            LiveBurnAlert.ended_at.is_(None),
        )
        return self._session.scalar(stmt)

    def open_burn_alert_once(self, values: Mapping[str, Any]) -> LiveBurnAlert | None:
        """Open an episode unless one is open for the objective and rule; None when one was."""
        stmt = (
            insert_for(self._session, LiveBurnAlert)
            .values(**values)
            # Either unique key may be hit by a parallel opener: the open-episode index, or the
            # episode's (objective, rule, start) — any conflict means another opened it.
            .on_conflict_do_nothing()
            .returning(LiveBurnAlert.id)
        )
        new_id = self._session.scalar(stmt)
        return None if new_id is None else self._session.get(LiveBurnAlert, new_id)

    def burn_alerts(self, agreement_id: int, since: datetime) -> list[LiveBurnAlert]:
        """The agreement's episodes open at or after `since`, oldest first."""
        stmt = (
            select(LiveBurnAlert)
            .where(
                LiveBurnAlert.agreement_id == agreement_id,
                or_(LiveBurnAlert.ended_at.is_(None), LiveBurnAlert.ended_at >= since),
            )
            .order_by(LiveBurnAlert.started_at, LiveBurnAlert.id)
        )
        return list(self._session.scalars(stmt))

    def availability_firings(self, agreement_id: int, month: int) -> list[LiveAvailabilityFiring]:
        stmt = (
            select(LiveAvailabilityFiring)
            .where(LiveAvailabilityFiring.agreement_id == agreement_id, LiveAvailabilityFiring.month == month)
            .order_by(LiveAvailabilityFiring.due_at, LiveAvailabilityFiring.id)
        )
        return list(self._session.scalars(stmt))
