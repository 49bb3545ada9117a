"""The versioned API: every resource router under /api/v1, each documenting the problem responses."""

from __future__ import annotations

from fastapi import APIRouter

from slaforge.entrypoints.api.problems import ERROR_RESPONSES
from slaforge.entrypoints.api.routes import calendars, customers, outages, services, tickets, tokens, users

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
for module in (customers, services, calendars, users, tokens, tickets, outages):
    router.include_router(module.router)
