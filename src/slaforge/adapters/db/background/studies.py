"""Stored capability studies: the newest, one by id, a page of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import CapabilityStudy
from slaforge.domain.platform.listing import ListQuery, Page


class StudyQueries:
    _session: Session

    def capability_study(self, study_id: int) -> CapabilityStudy | None:
        return self._session.get(CapabilityStudy, study_id)

    def newest_study_id(self) -> int | None:
        stmt = select(CapabilityStudy.id).order_by(CapabilityStudy.id.desc()).limit(1)
        return self._session.scalar(stmt)

    def newest_study_parameters(self) -> dict[str, Any] | None:
        stmt = select(CapabilityStudy.parameters).order_by(CapabilityStudy.id.desc()).limit(1)
        return self._session.scalar(stmt)

    def newest_studies(self, limit: int) -> list[CapabilityStudy]:
        stmt = select(CapabilityStudy).order_by(CapabilityStudy.id.desc()).limit(limit)
        return list(self._session.scalars(stmt))

    def page_studies(
        self, query: ListQuery, *, created_from: datetime | None, created_before: datetime | None
    ) -> Page[CapabilityStudy]:
        """Studies created in [from, before), newest first unless the query sorts otherwise."""
        where = []
        if created_from is not None:
            where.append(CapabilityStudy.created_at >= created_from)
        if created_before is not None:
            where.append(CapabilityStudy.created_at < created_before)
        return fetch_page(
            self._session,
            CapabilityStudy,
            query,
            sortable={
                "id": CapabilityStudy.id,
                "created_at": CapabilityStudy.created_at,
                "tickets": CapabilityStudy.tickets,
            },
            filterable={},
            default_sort="-created_at",
            where=where,
        )
