"""`slaforge db …` (migrate, show the revision) and `slaforge import …` (bulk history imports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.migrate import current_revision, head_revision, upgrade
from slaforge.config import get_settings
from slaforge.services.history import import_servicenow_log
from slaforge.services.unit_of_work import UnitOfWork

app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)
import_app = typer.Typer(help="Import service history from exports.", no_args_is_help=True)

DATABASE_URL = typer.Option(
    None, "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL, else a SQLite file)."
)


def _url(given: str | None) -> str:
    return given or get_settings().database_url


@app.command("upgrade")
def upgrade_cmd(
    revision: str = typer.Argument("head", help="Target revision."),
    database_url: str | None = DATABASE_URL,
) -> None:
    """Apply every migration up to REVISION (default: the newest)."""
    url = _url(database_url)
    upgrade(url, revision)
    typer.echo(f"database migrated to {revision if revision != 'head' else head_revision(url)}")


@app.command("current")
def current_cmd(database_url: str | None = DATABASE_URL) -> None:
    """Print the database's revision and the newest one this slaforge knows."""
    url = _url(database_url)
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision(url)
    state = "up to date" if current == head else "needs `slaforge db upgrade`"
    typer.echo(f"current: {current or 'none (empty database)'}; head: {head}; {state}")


@import_app.command("servicenow")
def import_servicenow(
    file: Annotated[Path, typer.Argument(help="ServiceNow incident event log: .csv, or a .zip holding one.")],
    timezone: Annotated[str, typer.Option(help="Zone the log's wall-clock times are in.")] = "UTC",
    source: Annotated[str, typer.Option(help="Source key the tickets are stored under.")] = "servicenow",
    force: Annotated[bool, typer.Option("--force", help="Import again a file already imported.")] = False,
    keep_good: Annotated[
        bool, typer.Option("--keep-good", help="Store the valid incidents, record the bad rows.")
    ] = False,
    database_url: str | None = DATABASE_URL,
) -> None:
    """Import a ServiceNow incident event log as tickets and ticket events."""
    engine = make_engine(_url(database_url))
    try:
        uow = UnitOfWork(make_session_factory(engine))
        s = import_servicenow_log(
            uow=uow, path=file, source=source, timezone=timezone, force=force, keep_good=keep_good
        )
    finally:
        engine.dispose()
    typer.echo(
        f"batch {s.batch_id} {s.status}: {s.rows_read:,} rows read, {s.rows_rejected:,} rejected; "
        f"{s.tickets:,} tickets ({s.tickets_new:,} new), {s.events:,} events ({s.events_new:,} new) "
        f"in {s.seconds:.1f} s"
    )
    for r in s.rejections[:20]:
        typer.echo(f"  rejected {r}")
    if len(s.rejections) > 20:
        typer.echo(f"  … and {len(s.rejections) - 20} more (stored with the batch)")
