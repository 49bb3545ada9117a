"""The versioned API: every resource router under /api/v1, each documenting the problem responses."""

from __future__ import annotations

from fastapi import APIRouter

from slaforge.entrypoints.api.problems import ERROR_RESPONSES
from slaforge.entrypoints.api.routes.agreement import agreements, orders, signature_links, webhooks
from slaforge.entrypoints.api.routes.agreement import counter_offers as agreement_counter
from slaforge.entrypoints.api.routes.background import (
    calendars,
    expectations,
    imports,
    outages,
    studies,
    tickets,
)
from slaforge.entrypoints.api.routes.live import availability as live_availability
from slaforge.entrypoints.api.routes.live import clocks as live_clocks
from slaforge.entrypoints.api.routes.live import compliance as live_compliance
from slaforge.entrypoints.api.routes.live import ingest as live_ingest
from slaforge.entrypoints.api.routes.live import reports as live_reports
from slaforge.entrypoints.api.routes.platform import customers, services, tokens, users
from slaforge.entrypoints.api.routes.readiness import checks as readiness_checks
from slaforge.entrypoints.api.routes.readiness import holidays as readiness_holidays
from slaforge.entrypoints.api.routes.readiness import ingestion as readiness_ingestion
from slaforge.entrypoints.api.routes.readiness import shadow as readiness_shadow
from slaforge.entrypoints.api.routes.relationship import (
    meeting_records,
    meetings,
    obligations,
    responsibilities,
    topics,
)
from slaforge.entrypoints.api.routes.relationship import tasks as relationship_tasks
from slaforge.entrypoints.api.routes.relationship import underpinning as relationship_underpinning

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
for module in (
    agreements,
    agreement_counter,
    signature_links,
    customers,
    services,
    calendars,
    users,
    tokens,
    tickets,
    outages,
    orders,
    webhooks,
    obligations,
    relationship_tasks,
    responsibilities,
    meetings,
    meeting_records,
    topics,
    relationship_underpinning,
    readiness_checks,
    readiness_holidays,
    readiness_ingestion,
    readiness_shadow,
    live_ingest,
    live_clocks,
    live_availability,
    live_compliance,
    live_reports,
):
    router.include_router(module.router)
router.include_router(expectations.router)
router.include_router(studies.router)
router.include_router(imports.router)
