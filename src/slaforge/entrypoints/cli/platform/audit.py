"""`slaforge audit …`: check that nobody edited the audit log behind slaforge's back."""

from __future__ import annotations

import typer

from slaforge.entrypoints.cli.container import container_for
from slaforge.services.platform import audit

app = typer.Typer(help="Inspect and verify the tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    database_url: str | None = typer.Option(
        None, "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL, else a SQLite file)."
    ),
) -> None:
    """Recompute the hash chain; exit 1 naming the first entry that was changed or removed."""
    container = container_for(database_url)
    try:
        report = audit.verify(uow=container.system_uow())
    finally:
        container.engine.dispose()
    if report.problem is None:
        typer.echo(f"audit log intact: {report.entries} entries, every hash matches")
        return
    typer.secho(
        f"audit log TAMPERED: entry {report.problem.seq}: {report.problem.reason} "
        f"({report.entries} entries checked)",
        fg=typer.colors.RED,
        err=True,
    )
    raise typer.Exit(1)
