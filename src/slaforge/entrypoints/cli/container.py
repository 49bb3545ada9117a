"""The container every CLI command works with, from the composition root (bootstrap.py)."""

from __future__ import annotations

from sqlalchemy.pool import NullPool

from slaforge.adapters.db.engine import make_engine
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings, get_settings


def cli_container(settings: Settings | None = None) -> Container:
    """A container whose connections close when each unit of work ends (no pool): a command runs a
    few units of work and ends, so a pool would only keep idle connections open for the garbage
    collector to find — on PostgreSQL, a warning in any test that runs commands in process."""
    settings = settings or get_settings()
    return bootstrap(settings, engine=make_engine(settings.database_url, poolclass=NullPool))


def container_for(database_url: str | None) -> Container:
    """The container a command works with (units of work, clock, notifier); `--database-url`, when
    given, replaces the configured database."""
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return cli_container(settings)
