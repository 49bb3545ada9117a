"""All web pages; every form that changes something is checked for its CSRF token first."""

from fastapi import APIRouter, Depends

from slaforge.entrypoints.web.routes import auth, console_accounts, console_catalog, portal
from slaforge.entrypoints.web.session import verify_csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
for module in (auth, console_catalog, console_accounts, portal):
    router.include_router(module.router)
