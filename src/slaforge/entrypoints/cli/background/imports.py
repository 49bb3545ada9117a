"""`slaforge import …`: tickets and outages through a mapping, the built-in mappings, a preview."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from slaforge.domain.errors import Conflict
from slaforge.entrypoints.cli.container import container_for, operator
from slaforge.services.background.imports import (
    DEFAULT_CHUNK_ROWS,
    AlreadyImported,
    ImportKind,
    ImportSummary,
    import_history,
    preview_import,
)
from slaforge.services.background.mappings import list_mappings, mapping_yaml

app = typer.Typer(help="Import service history from exports.", no_args_is_help=True)
SHOWN = 20  # rejected rows printed; the rest are counted (all are stored with the batch)

FileArg = Annotated[
    Path, typer.Argument(help="The export: .csv, .json, .jsonl, .parquet, or a .zip or .gz holding one.")
]
MappingOpt = Annotated[
    str,
    typer.Option(
        "--mapping", "-m", help="A built-in mapping (see `slaforge import mappings`) or a YAML file."
    ),
]
KeepGood = Annotated[
    bool,
    typer.Option(
        "--keep-good",
        help="Store the good rows; save the rejected ones to a FILE.rejects.csv under "
        "SLAFORGE_DATA_DIR/rejects (the path is printed).",
    ),
]
Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Import a file again without asking when it was imported before.")
]
Zone = Annotated[
    str | None, typer.Option(help="Zone of times written without an offset (default: the mapping's).")
]
Source = Annotated[
    str | None, typer.Option(help="Source key the rows are stored under (default: the mapping's).")
]
Chunk = Annotated[int, typer.Option(help="Rows read and mapped at a time (bounds the memory used).")]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL, else a SQLite file)."
    ),
]


def _run(
    kind: ImportKind, file: Path, mapping: str, *, yes: bool, database_url: str | None, keep_good: bool,
    timezone: str | None, source: str | None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> ImportSummary:  # fmt: skip
    """Import; when the file was imported before, ask (or take --yes) and import it again.

    Bad rows raise FileRefused, which the console entry point prints (its message lists the
    first problems, counts the rest and names FILE.problems.csv, which holds them all) before
    exiting with status 2. Rejects and problems go under `<data_dir>/rejects`, never beside FILE.
    Without a terminal to ask on, a file imported before is refused unless --yes is given.
    """
    container = container_for(database_url)

    def run(again: bool) -> ImportSummary:
        return import_history(
            uow=container.command_uow(), kind=kind, path=file, mapping=mapping, clock=container.clock,
            keep_good=keep_good, allow_duplicate_file=again, timezone=timezone, source=source,
            chunk_rows=chunk_rows, fallback_dir=container.settings.data_dir / "rejects",
            actor=operator(container).email,
        )  # fmt: skip

    try:
        return run(yes)
    except AlreadyImported as exc:
        if not can_ask():  # nobody to answer: say how, rather than read an empty "no"
            raise Conflict(f"{exc.message}; pass --yes to import it again") from None
        if not typer.confirm(f"{exc.message}. Import it again (nothing already stored is duplicated)?"):
            raise typer.Abort() from None
        return run(True)


def can_ask() -> bool:
    """Is a person at a terminal to answer a question?"""
    return sys.stdin.isatty()


def _report(s: ImportSummary) -> None:
    if s.outages or not s.tickets:
        what = f"{s.outages:,} outages ({s.outages_new:,} new)"
        rate = f"{s.rows_read / s.seconds if s.seconds else 0:,.0f} rows/s"
    else:
        what = f"{s.tickets:,} tickets ({s.tickets_new:,} new), {s.events:,} events ({s.events_new:,} new)"
        rate = f"{s.events_per_second:,.0f} events/s"
    typer.echo(
        f"batch {s.batch_id} {s.status} ({s.mapping} → '{s.source}'): {s.rows_read:,} rows read, "
        f"{s.rows_rejected:,} rejected; {what} in {s.seconds:.2f} s ({rate})"
    )
    if s.population:
        left = f"; {s.tickets_left_out:,} ticket(s) left out by it" if s.tickets_left_out else ""
        typer.echo(f"population: {s.population}{left}")
    for r in s.rejections[:SHOWN]:
        typer.echo(f"  rejected {r}")
    if len(s.rejections) > SHOWN:
        typer.echo(
            f"  … and {len(s.rejections) - SHOWN:,} more (stored with the batch and in the file below)"
        )
    if s.rejects_file is not None:
        typer.echo(f"rejected rows saved to {s.rejects_file}")


@app.command("tickets")
def tickets_cmd(
    file: FileArg,
    mapping: MappingOpt,
    keep_good: KeepGood = False,
    yes: Yes = False,
    timezone: Zone = None,
    source: Source = None,
    chunk_rows: Chunk = DEFAULT_CHUNK_ROWS,
    database_url: DatabaseUrl = None,
) -> None:
    """Import tickets and their events (long or wide layout) through a mapping."""
    _report(_run("tickets", file, mapping, yes=yes, database_url=database_url, keep_good=keep_good,
                 timezone=timezone, source=source, chunk_rows=chunk_rows))  # fmt: skip


@app.command("outages")
def outages_cmd(
    file: FileArg,
    mapping: MappingOpt,
    keep_good: KeepGood = False,
    yes: Yes = False,
    timezone: Zone = None,
    source: Source = None,
    chunk_rows: Chunk = DEFAULT_CHUNK_ROWS,
    database_url: DatabaseUrl = None,
) -> None:
    """Import outages (service, start, end, planned or not) through a mapping."""
    _report(_run("outages", file, mapping, yes=yes, database_url=database_url, keep_good=keep_good,
                 timezone=timezone, source=source, chunk_rows=chunk_rows))  # fmt: skip


@app.command("servicenow")
def servicenow_cmd(
    file: Annotated[
        Path, typer.Argument(help="ServiceNow incident event log: .csv, or a .zip or .gz holding one.")
    ],
    timezone: Annotated[str, typer.Option(help="Zone the log's wall-clock times are in.")] = "UTC",
    source: Annotated[str, typer.Option(help="Source key the tickets are stored under.")] = "servicenow",
    force: Annotated[bool, typer.Option("--force", help="Import again a file already imported.")] = False,
    keep_good: KeepGood = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Import a ServiceNow incident event log (same as `import tickets FILE --mapping servicenow`)."""
    _report(_run("tickets", file, "servicenow", yes=force, database_url=database_url, keep_good=keep_good,
                 timezone=timezone, source=source))  # fmt: skip


mappings_app = typer.Typer(
    help="The built-in mappings: list them, or print one as YAML to copy and edit (docs/mappings.md).",
    invoke_without_command=True,
)
app.add_typer(mappings_app, name="mappings")


@mappings_app.callback()
def mappings_cmd(ctx: typer.Context) -> None:
    """List the built-in mappings, one line each (name, what it reads, description); `show NAME`
    prints one."""
    if ctx.invoked_subcommand is not None:
        return
    for m in list_mappings():
        kind = f"{m.kind}, {m.layout}" if m.layout else m.kind
        typer.echo(f"{m.name:<26} {kind:<14} {m.summary}")


@mappings_app.command("show")
def mappings_show_cmd(
    name: Annotated[str, typer.Argument(help="A built-in mapping's name (see `slaforge import mappings`).")],
) -> None:
    """Print a built-in mapping as YAML: save it to a file, edit it, pass it with --mapping FILE."""
    typer.echo(mapping_yaml(name).rstrip())


@app.command("preview")
def preview_cmd(
    file: FileArg,
    mapping: MappingOpt,
    rows: Annotated[int, typer.Option(help="How many rows to show.")] = 10,
    timezone: Zone = None,
) -> None:
    """Show the first rows of FILE as the mapping reads them; nothing is written."""
    p = preview_import(path=file, mapping=mapping, rows=rows, timezone=timezone)
    typer.echo(
        f"{p.file_name} ({p.format}) read with '{p.mapping_name}' ({p.kind}): {len(p.columns)} columns"
    )
    for r in p.rows:
        fields = ", ".join(f"{k}={v}" for k, v in r.parsed.items())
        typer.echo(f"row {r.row}: {fields}")
        for e in r.events:
            typer.echo(f"    → {e}")
        for problem in r.problems:
            typer.secho(f"    ! {problem.column or ''}: {problem.reason}", fg=typer.colors.RED)
