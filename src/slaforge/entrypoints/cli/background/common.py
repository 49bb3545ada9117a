"""What the background commands share: their container, from the composition root."""

from __future__ import annotations

from slaforge.bootstrap import Container
from slaforge.config import get_settings
from slaforge.entrypoints.cli.container import cli_container


def container_for(database_url: str | None) -> Container:
    """The container a command works with (units of work, clock); `--database-url`, when given,
    replaces the configured database."""
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return cli_container(settings)
