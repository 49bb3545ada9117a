"""All web pages; every form that changes something is checked for its CSRF token first."""

from fastapi import APIRouter, Depends

from slaforge.entrypoints.web.routes import (
    acceptance,
    auth,
    console_accounts,
    console_agreements,
    console_catalog,
    console_clause_templates,
    console_imports,
    console_study,
    expectations,
    portal,
)
from slaforge.entrypoints.web.session import verify_csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
for module in (
    auth,
    console_catalog,
    console_accounts,
    console_agreements,
    console_clause_templates,
    portal,
    acceptance,
):
    router.include_router(module.router)
router.include_router(expectations.router)
router.include_router(console_study.router)
router.include_router(console_imports.router)
