"""The container every CLI command works with, from the composition root (bootstrap.py), and the
identity a command acts with."""

from __future__ import annotations

import dataclasses
import getpass

from sqlalchemy.pool import NullPool

from slaforge.adapters.db.engine import make_engine
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings, get_settings
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.entrypoints.cli.acting import act_as, acting_email
from slaforge.services.platform import accounts

__all__ = ["act_as", "cli_container", "container_for", "operator"]


def cli_container(settings: Settings | None = None) -> Container:
    """A container whose connections close when each unit of work ends (no pool): a command runs a
    few units of work and ends, so a pool would only keep idle connections open for the garbage
    collector to find — on PostgreSQL, a warning in any test that runs commands in process.

    Under `slaforge --as EMAIL` it acts for that user: its `command_uow()` sees only what the
    user may see, and `operator()` is that user."""
    settings = settings or get_settings()
    container = bootstrap(settings, engine=make_engine(settings.database_url, poolclass=NullPool))
    email = acting_email()
    if email:
        principal = accounts.principal_for_email(uow=container.system_uow(), email=email)
        container = dataclasses.replace(container, acting=principal)
    return container


def container_for(database_url: str | None) -> Container:
    """The container a command works with (units of work, clock, notifier); `--database-url`, when
    given, replaces the configured database."""
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return cli_container(settings)


def operator(container: Container) -> Principal:
    """Who a command acts as: the `--as` user, else whoever runs the CLI. The latter holds the
    database itself, so acts with the admin's rights; the audit log names them cli:<login>."""
    if container.acting is not None:
        return container.acting
    return Principal(user_id=0, email=f"cli:{getpass.getuser()}", role=Role.ADMIN)
