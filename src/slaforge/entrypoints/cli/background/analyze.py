"""`slaforge analyze`: a capability study of the stored history, with its report in HTML and PDF."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from slaforge.adapters.background.calendar_files import load_calendar_file
from slaforge.domain.background.study.definitions import definitions
from slaforge.domain.background.study.percentiles import PercentileMethod
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.background.studies import segment_table
from slaforge.entrypoints.cli.container import container_for
from slaforge.services.background.study import (
    NoCalendarStored,
    get_study,
    run_capability_study,
    write_study_report,
)
from slaforge.services.background.study_export import ExportFormat, export_study


def _day(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError as exc:
        raise InvalidInput("a date is YYYY-MM-DD", field=field, value=text) from exc


NO_CALENDAR_HINT = """no calendar is stored yet. Business time needs one: either
  - pass --calendar FILE.yaml, a file such as
      timezone: Europe/Berlin
      hours: {mon: ['08:00-17:00'], tue: ['08:00-17:00'], wed: ['08:00-17:00'],
              thu: ['08:00-17:00'], fri: ['08:00-17:00']}
      holidays: {country: DE}
    (check it first with: slaforge calendar check FILE.yaml), or
  - derive one from the imported history: slaforge calendar suggest --timezone ZONE --save NAME"""


def _read_objectives(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except OSError as exc:
        raise InvalidInput(
            f"cannot read {path}: {exc.strerror}", field="objectives", value=str(path)
        ) from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise InvalidInput(
            f"{path} is not valid YAML or JSON: {exc}", field="objectives", value=str(path)
        ) from exc


def analyze(
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")
    ] = None,
    calendar: Annotated[
        str | None,
        typer.Option(
            help="A stored calendar's name, or a calendar YAML file (default: the only stored one)."
        ),
    ] = None,
    segment: Annotated[
        str, typer.Option(help="Segment by any of priority, category, service, customer, comma-separated.")
    ] = "priority",
    level: Annotated[float, typer.Option(help="Share of tickets a target must be met for.")] = 0.95,
    month_share: Annotated[float, typer.Option(help="Share of months that must reach the level.")] = 0.8,
    objectives: Annotated[
        Path | None,
        typer.Option(help="YAML or JSON file of objectives to back-test beside the recommendations."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="First day of the period studied (YYYY-MM-DD, UTC).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Day after the period studied (YYYY-MM-DD, UTC).")] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            help="Study only the history imported under this source key (e.g. servicenow); repeatable. "
            "Default: every source."
        ),
    ] = None,
    percentiles: Annotated[
        PercentileMethod,
        typer.Option(
            help="How percentiles are read: inverted_cdf, an observed time; linear, interpolated as "
            "spreadsheets' PERCENTILE.INC does."
        ),
    ] = "inverted_cdf",
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help="Also export the exact figures: csv (with a .definitions.csv beside it) or json.",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder the HTML and PDF reports (and the export) are written to.")
    ] = Path("reports"),
) -> None:
    """Study the service history: what can be promised, how sure that is, and what it would have cost."""
    as_file = calendar is not None and calendar.endswith((".yaml", ".yml"))
    custom = load_calendar_file(Path(calendar)) if as_file and calendar else None
    period = None
    if since or until:
        if not (since and until):
            raise InvalidInput(
                "give both --since and --until", field="until" if since else "since", value=None
            )
        period = (_day(since, "since"), _day(until, "until"))
    container = container_for(database_url)
    uow = container.command_uow()
    try:
        s = run_capability_study(
            uow=uow,
            calendar_name=Path(calendar).stem if as_file and calendar else calendar,
            calendar=custom,
            segment_by=[part.strip() for part in segment.split(",") if part.strip()],
            period=period,
            level=level,
            month_share=month_share,
            objectives=_read_objectives(objectives) if objectives is not None else None,
            sources=source or None,
            percentile_method=percentiles,
            clock=container.clock,
        )
    except NoCalendarStored as exc:  # the service cannot know this command's own options
        if calendar is None:
            raise InvalidInput(NO_CALENDAR_HINT, field="calendar", value=None) from exc
        raise
    html, pdf = write_study_report(uow=uow, study_id=s.study_id, out_dir=out)
    typer.echo(
        f"study #{s.study_id}: {s.tickets:,} tickets and {s.events:,} events over {s.months} months, "
        f"{s.segments} segments, calendar '{s.calendar_name}', {s.timings['total']:.1f} s"
    )
    typer.echo(f"recommended targets ({level:.0%} of tickets in {month_share:.0%} of months):")
    for row in s.headline:
        typer.echo(f"  {row.segment:<12} first response {row.first_response:<18} resolution {row.resolution}")
    for name, achieved, months in s.backtests:
        typer.echo(f"back-test  {name}: achieved in {achieved} of {months} months")
    stored = get_study(uow=uow, study_id=s.study_id)
    for line in segment_table(stored):
        typer.echo(line)
    typer.echo(f"pauses     {definitions(stored['parameters'], stored['results'])['pauses']}")
    typer.echo(f"report     {html}")
    typer.echo(f"           {pdf}")
    if fmt is not None:
        for path in export_study(uow=uow, study_id=s.study_id, fmt=fmt, out_dir=out):
            typer.echo(f"export     {path}")
