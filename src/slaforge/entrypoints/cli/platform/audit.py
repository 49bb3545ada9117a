"""`slaforge audit …`: check that nobody edited the audit log behind slaforge's back, and anchor
it outside the database with signed checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.adapters.platform.audit_anchor import CheckpointPostFailed, read_checkpoints
from slaforge.domain.errors import Conflict
from slaforge.entrypoints.cli.container import container_for, operator
from slaforge.entrypoints.worker import write_checkpoint
from slaforge.services.platform import audit

app = typer.Typer(help="Inspect and verify the tamper-evident audit log.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL, else a SQLite file)."
    ),
]


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)


@app.command("verify")
def verify(
    database_url: DatabaseUrl = None,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            help="Checkpoint file (JSON lines) to compare with (default: SLAFORGE_AUDIT_CHECKPOINT_FILE).",
        ),
    ] = None,
    require_checkpoint: Annotated[
        bool, typer.Option("--require-checkpoint", help="Exit 1 when there is no checkpoint to compare with.")
    ] = False,
) -> None:
    """Re-check every seal with the audit keys, the head and every signed checkpoint; exit 1
    naming each entry or checkpoint that shows the log was changed, truncated or emptied."""
    container = container_for(database_url)
    path = checkpoints or container.settings.audit_checkpoint_path()
    recorded = read_checkpoints(path)
    try:
        report = audit.verify(uow=container.system_uow(), checkpoints=recorded.checkpoints)
    finally:
        container.engine.dispose()
    problems = [f"entry {p.seq}: {p.reason}" for p in report.problems] + recorded.unreadable
    if require_checkpoint and not recorded.checkpoints:
        problems.append(f"no checkpoint found in {path} (--require-checkpoint)")
    keys = ", ".join(f"{n} under '{k}'" for k, n in report.keys_used.items()) or "none keyed"
    if problems:
        for problem in problems:
            _fail(f"audit log TAMPERED: {problem}")
        _fail(f"({report.entries} entries and {report.checkpoints} checkpoint(s) checked)")
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {report.entries} entries, every seal matches ({keys})")
    if report.unkeyed:
        typer.echo(
            f"note: the first {report.unkeyed} entries are unkeyed (written before audit keys); "
            "the keyed entries after them seal them"
        )
    latest = report.latest_checkpoint
    if latest is None:
        typer.echo(f"note: no checkpoint in {path}: entries removed from the end could go unnoticed")
    else:
        typer.echo(
            f"agrees with {report.checkpoints} checkpoint(s) in {path}; the latest, of "
            f"{latest.at.isoformat()}, records {latest.entries} entries ending in #{latest.seq}"
        )


@app.command("checkpoint")
def checkpoint(
    database_url: DatabaseUrl = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Append to this file (default: SLAFORGE_AUDIT_CHECKPOINT_FILE)."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Also POST the checkpoint here (default: SLAFORGE_AUDIT_CHECKPOINT_URL)."),
    ] = None,
) -> None:
    """Sign the end of the verified log (sequence, head hash, entry count, time, key id) and append
    it to the checkpoint file (and POST it to the URL); exit 1 if the log does not verify or the
    URL refuses it. Run it from cron, or let the scheduler do it."""
    container = container_for(database_url)
    path = file or container.settings.audit_checkpoint_path()
    try:
        cp = write_checkpoint(container, path=path, url=url)
    except (Conflict, CheckpointPostFailed) as exc:
        _fail(str(exc))
        raise typer.Exit(1) from exc
    finally:
        container.engine.dispose()
    assert cp is not None  # only_if_grown is off
    typer.echo(
        f"checkpoint written to {path}: {cp.entries} entries ending in #{cp.seq}, key '{cp.key_id}'"
    )


@app.command("seal-legacy")
def seal_legacy(database_url: DatabaseUrl = None) -> None:
    """Seal entries written before audit keys (migration 0010) under the current key, by appending
    a keyed entry after them. Run it once, after checking them: the seal vouches for them."""
    container = container_for(database_url)
    try:
        entry = audit.seal_legacy(
            uow=container.system_uow(), actor=operator(container).email, now=container.clock()
        )
    except Conflict as exc:
        _fail(str(exc))
        raise typer.Exit(1) from exc
    finally:
        container.engine.dispose()
    if entry is None:
        typer.echo("nothing to seal: no unkeyed entry, or a keyed entry already follows them")
        return
    covered = entry.data["unkeyed_entries"]
    typer.echo(f"sealed: entry #{entry.seq} under key '{entry.key_id}' covers {covered} unkeyed entries")
