"""Availability in a capability study: monthly uptime per service from recorded outages.

Outage histories rarely cover the same years as the ticket history (ServiceNow tickets of 2016,
cloud outages of 2018-2020), so availability has its own window: the chosen period when there is
one, else each outage source's own span, from the month of its first outage to the month of its
last end. Only outages inside the window count (clipped to it); one still going on runs to the
window's end, and the block says so. Uptime per month is the cloud providers' formula:
(minutes in the month − unavailable minutes) / minutes in the month, planned maintenance excluded,
overlapping outages of one service counted once (domain/study/availability.py).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import ImportBatch, Outage, Service
from slaforge.domain.background.study.availability import OutageSet
from slaforge.domain.time.calendar.business import to_us


def load_outage_set(session: Session, *, sources: Collection[str] | None = None) -> OutageSet:
    """Every stored outage (of `sources` when given). Outages are few, so plain rows are fine."""
    stmt = (
        select(Service.name, Outage.source, Outage.started_at, Outage.ended_at, Outage.planned)
        .join(Service, Service.id == Outage.service_id)
        .order_by(Outage.source, Outage.service_id, Outage.started_at)
    )
    if sources is not None:
        stmt = stmt.where(Outage.source.in_(sorted(sources)))
    rows = session.execute(stmt).all()
    return OutageSet(
        service=np.array([r[0] for r in rows], dtype=object),
        source=np.array([r[1] for r in rows], dtype=object),
        start_us=np.array([to_us(r[2]) for r in rows], dtype=np.int64),
        end_us=np.array([to_us(r[2] if r[3] is None else r[3]) for r in rows], dtype=np.int64),
        planned=np.array([bool(r[4]) for r in rows], dtype=bool),
        open=np.array([r[3] is None for r in rows], dtype=bool),
    )


def outage_batches(session: Session, outages: OutageSet) -> list[int]:
    """The import batches that wrote outages of these sources, for the study's provenance."""
    sources = sorted(set(outages.source.tolist()))
    if not sources:
        return []
    stmt = select(ImportBatch.id).where(ImportBatch.source.in_(sources)).order_by(ImportBatch.id)
    return list(session.scalars(stmt))


