"""`slaforge study …`: a stored capability study's figures per segment in the terminal, and its
export as CSV or JSON with business seconds as exact numbers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from slaforge.domain.background.study import export
from slaforge.domain.background.study.first_response import NO_DATA
from slaforge.domain.time.durations import format_duration
from slaforge.entrypoints.cli.container import container_for
from slaforge.services.background.study import get_study
from slaforge.services.background.study_export import ExportFormat, export_study

app = typer.Typer(help="Show and export stored capability studies.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")
]
COLUMNS = ("p50", "p75", "p90", "p95")
LABELS = {"first_response": "first response", "resolution": "resolution"}


def _dur(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)


def segment_table(study: Mapping[str, Any]) -> list[str]:
    """Per clock, one line per segment: tickets, p50 to p95 and the recommended target, in
    business hours and minutes (the exact seconds are in the CSV and JSON exports)."""
    records = export.rows(study)
    r = study["results"]
    method = r.get("percentile_method", "inverted_cdf")
    width = max([len("segment"), *(len(x["segment"]) for x in records)])
    lines = []
    for metric, label in LABELS.items():
        mine = [x for x in records if x["metric"] == metric]
        lines.append(f"{label} (business time; percentiles of completed clocks, method {method}):")
        if mine and all(x["no_data"] for x in mine):
            lines.append(f"  {NO_DATA}")
            continue
        head = "".join(f"{c:>10}" for c in COLUMNS)
        lines.append(f"  {'segment':<{width}} {'n':>7}{head}  target")
        for x in mine:
            cells = "".join(f"{_dur(x[f'{c}_seconds']):>10}" for c in COLUMNS)
            target = x["target_label"] or (
                "no data" if x["no_data"] else f"none ({x['reason'].split(';')[0]})"
            )
            lines.append(f"  {x['segment']:<{width}} {x['tickets']:>7,}{cells}  {target}")
    return lines


@app.command("show")
def show(
    study_id: Annotated[int, typer.Argument(help="The study's id.")], database_url: DatabaseUrl = None
) -> None:
    """Print a stored study's figures per segment, and the definitions they were measured by."""
    uow = container_for(database_url).command_uow()
    study = get_study(uow=uow, study_id=study_id)
    typer.echo(
        f"study #{study_id}: {study['tickets']:,} tickets, calendar '{study['parameters']['calendar_name']}'"
    )
    for line in segment_table(study):
        typer.echo(line)
    typer.echo("how this was measured:")
    for row in export.definition_rows(study):
        typer.echo(f"  {row['definition']}: {row['text']}")


@app.command("export")
def export_cmd(
    study_id: Annotated[int, typer.Argument(help="The study's id.")],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="csv: figures plus a .definitions.csv beside them; json: one file."),
    ] = "csv",
    out: Annotated[Path, typer.Option(help="Folder the export is written to.")] = Path("reports"),
    database_url: DatabaseUrl = None,
) -> None:
    """Export a stored study's figures per segment and clock, business seconds as exact numbers."""
    uow = container_for(database_url).command_uow()
    for path in export_study(uow=uow, study_id=study_id, fmt=fmt, out_dir=out):
        typer.echo(f"wrote {path}")
