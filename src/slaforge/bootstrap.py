"""The one composition root: settings, engine, sessions, units of work, the clock and the web app.

Nothing connects at import time. Tests pass their own engine, session factory or
clock; `asgi_app` is the factory uvicorn calls in each worker process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.config import Settings, get_settings
from slaforge.domain.accounts import Principal
from slaforge.domain.tenancy import Scope
from slaforge.services.tenancy import TenantUnitOfWork

if TYPE_CHECKING:
    from fastapi import FastAPI

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock

    def uow(self, principal: Principal | None) -> TenantUnitOfWork:
        """A unit of work that sees only what `principal` may see (everything for None)."""
        return TenantUnitOfWork.for_principal(self.session_factory, principal)

    def system_uow(self) -> TenantUnitOfWork:
        """For work done on nobody's behalf: sign-in checks, token lookups, the CLI."""
        return TenantUnitOfWork(self.session_factory, Scope.everything())


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    clock: Clock | None = None,
) -> Container:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory or make_session_factory(engine),
        clock=clock or system_clock,
    )


def build_app(container: Container) -> FastAPI:
    """The web UI and the API in one ASGI app; refuses an unsafe secret outside development."""
    container.settings.check_secret_for_serving()
    from slaforge.entrypoints.api.app import create_app

    return create_app(container)


def asgi_app() -> FastAPI:
    """uvicorn's factory (`slaforge.bootstrap:asgi_app`), called once in every worker process."""
    return build_app(bootstrap())
