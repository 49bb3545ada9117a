"""The ASGI app: JSON API under /api/v1, the web UI at /, health probes, static files, error pages,
and the background scheduler that runs for as long as the app is served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from slaforge import __version__
from slaforge.bootstrap import Container
from slaforge.entrypoints.api import feeds, health, metrics, v1
from slaforge.entrypoints.api.docs import OPENAPI_URL, install_docs
from slaforge.entrypoints.api.headers import HeaderPolicy, SecurityHeaders
from slaforge.entrypoints.api.limits import BodySizeLimit
from slaforge.entrypoints.api.problems import install_error_handlers
from slaforge.entrypoints.web import STATIC_DIR
from slaforge.entrypoints.web.pages import render_problem
from slaforge.entrypoints.web.routes import router as web_router
from slaforge.entrypoints.worker import Scheduler

DESCRIPTION = """Establish service level agreements from real service history, then keep them.

Authenticate with an API token: `Authorization: Bearer slf_…` (create one with
`slaforge token create` or in the web console). A customer user's token sees only
its own organisation: anything else answers 404. Errors are RFC 9457 problem
details (`application/problem+json`) naming the offending field.
"""


def _lifespan(container: Container) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Lapse offers and send notifications in the background while serving (each worker
        process of `serve` runs its own; they share the work through the database)."""
        interval = container.settings.scheduler_interval
        scheduler = Scheduler(container, interval) if interval > 0 else None
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                await asyncio.to_thread(scheduler.stop)

    return lifespan


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan(container),
        title="slaforge",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        # Both documentation pages come from install_docs, with their assets served from here.
        docs_url=None,
        redoc_url=None,
    )
    app.state.container = container
    settings = container.settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="slaforge_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.public_url.startswith("https://"),
    )
    # Added after the session so it runs before it: an oversized body is refused before anything reads it.
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        # Room above the file limit for the multipart envelope, so the upload routes themselves
        # refuse an oversized file with their own message; this is only the hard stop.
        upload_max_bytes=settings.upload_max_bytes + settings.max_body_bytes,
        # A batch of up to 10,000 events is a few MB: it gets the upload limit too.
        upload_prefixes=("/api/v1/imports/", "/console/imports", "/api/v1/ingest/batch"),
    )
    # Outermost, so every response gets the security headers, a refused oversized body's too.
    app.add_middleware(SecurityHeaders, policy=HeaderPolicy(hsts=settings.public_url.startswith("https://")))
    install_error_handlers(app, render_problem)
    install_docs(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(feeds.router)
    app.include_router(v1.router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
