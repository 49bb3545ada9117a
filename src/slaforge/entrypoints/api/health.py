"""Liveness (/healthz: the process answers) and readiness (/readyz: database reachable and current)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from slaforge.adapters.db.platform.health import check_readiness
from slaforge.entrypoints.deps import ContainerDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready; the body says why"}})
def readyz(container: ContainerDep) -> JSONResponse:
    state = check_readiness(container.engine)
    body = {
        "status": "ready" if state.ready else "not ready",
        "database": state.database,
        "revision": state.revision,
        "head": state.head,
    }
    return JSONResponse(body, status_code=200 if state.ready else 503)
