"""`slaforge db …`: migrate the database, show its revision (imports: import_cmds.py)."""

from __future__ import annotations

import typer

from slaforge.adapters.db.migrate import current_revision, head_revision, upgrade
from slaforge.config import get_settings
from slaforge.entrypoints.cli.container import container_for

app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)

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
    container = container_for(database_url)
    try:
        current = current_revision(container.engine)
    finally:
        container.engine.dispose()
    head = head_revision(container.settings.database_url)
    state = "up to date" if current == head else "needs `slaforge db upgrade`"
    typer.echo(f"current: {current or 'none (empty database)'}; head: {head}; {state}")
