"""All web pages; every form that changes something is checked for its CSRF token first."""

from fastapi import APIRouter, Depends

from slaforge.entrypoints.web.routes import dashboard
from slaforge.entrypoints.web.routes.agreement import acceptance, portal, version_sections
from slaforge.entrypoints.web.routes.agreement import clause_library as console_clause_templates
from slaforge.entrypoints.web.routes.agreement import console as console_agreements
from slaforge.entrypoints.web.routes.background import expectations
from slaforge.entrypoints.web.routes.background import imports as console_imports
from slaforge.entrypoints.web.routes.background import study as console_study
from slaforge.entrypoints.web.routes.live import claims as live_claims
from slaforge.entrypoints.web.routes.live import clocks as live_clocks
from slaforge.entrypoints.web.routes.live import reports as live_reports
from slaforge.entrypoints.web.routes.live import signals as live_signals
from slaforge.entrypoints.web.routes.platform import accounts as console_accounts
from slaforge.entrypoints.web.routes.platform import auth
from slaforge.entrypoints.web.routes.platform import catalog as console_catalog
from slaforge.entrypoints.web.routes.readiness import console as readiness_console
from slaforge.entrypoints.web.routes.readiness import holidays as readiness_holidays
from slaforge.entrypoints.web.routes.readiness import ingestion as readiness_ingestion
from slaforge.entrypoints.web.routes.readiness import shadow as readiness_shadow
from slaforge.entrypoints.web.routes.relationship import meeting_records as relationship_meeting_records
from slaforge.entrypoints.web.routes.relationship import meeting_topics as relationship_meeting_topics
from slaforge.entrypoints.web.routes.relationship import meetings as relationship_meetings
from slaforge.entrypoints.web.routes.relationship import obligations as relationship_obligations
from slaforge.entrypoints.web.routes.relationship import responsibilities as relationship_responsibilities
from slaforge.entrypoints.web.routes.relationship import tasks as relationship_tasks
from slaforge.entrypoints.web.routes.relationship import underpinning as relationship_underpinning
from slaforge.entrypoints.web.session import verify_csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
# Later steps' parts of the agreement version page, registered here so step 2 imports none of them.
version_sections.VERSION_SECTIONS[:] = [relationship_underpinning.version_section]
for module in (
    auth,
    dashboard,
    console_catalog,
    console_accounts,
    console_agreements,
    console_clause_templates,
    portal,
    acceptance,
    relationship_tasks,
    relationship_meetings,
    relationship_meeting_records,
    relationship_meeting_topics,
    relationship_underpinning,
):
    router.include_router(module.router)
router.include_router(expectations.router)
router.include_router(console_study.router)
router.include_router(console_imports.router)
router.include_router(relationship_obligations.router)
router.include_router(relationship_responsibilities.router)
router.include_router(readiness_console.router)
router.include_router(readiness_holidays.router)
router.include_router(live_clocks.router)
router.include_router(live_claims.router)
router.include_router(live_reports.router)
router.include_router(live_signals.router)
router.include_router(readiness_ingestion.router)
router.include_router(readiness_shadow.router)
