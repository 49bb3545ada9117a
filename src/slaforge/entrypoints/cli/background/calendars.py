"""`slaforge calendar …`: check a calendar file, store one under a name, compute elapsed time and
deadlines, and suggest a calendar from the imported history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
import yaml

from slaforge.adapters.background.calendar_files import load_calendar_file
from slaforge.domain.errors import CalendarError
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.durations import format_duration, parse_duration
from slaforge.entrypoints.cli.container import container_for
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.hours import suggest_calendar

app = typer.Typer(help="Check calendars and compute business time.", no_args_is_help=True)

FILE = typer.Argument(..., exists=False, help="Calendar YAML file (timezone, hours, holidays, overrides).")


def _parse_moment(text: str, cal: BusinessCalendar, field: str) -> datetime:
    """ISO 8601; a time without an offset is read in the calendar's own zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CalendarError(
            f"'{text}' is not an ISO 8601 date-time such as 2026-03-06T16:00", field=field, value=text
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(cal.timezone))
    return moment


def _local(cal: BusinessCalendar, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(cal.timezone)).strftime("%a %Y-%m-%d %H:%M:%S %Z")


@app.command("check")
def check(
    file: Path = FILE,
    after: str = typer.Option("", help="Show open periods after this time (default: now)."),
    count: int = typer.Option(5, min=1, max=100, help="How many open periods to show."),
) -> None:
    """Validate a calendar file and print its next open periods."""
    cal = load_calendar_file(file)
    start = _parse_moment(after, cal, "after") if after else datetime.now(ZoneInfo(cal.timezone))
    typer.echo(f"{file}: valid calendar in {cal.timezone}")
    typer.echo(f"a typical business day has {format_duration(cal.typical_day_seconds())} of open time")
    typer.echo(f"next {count} open periods after {_local(cal, start)}:")
    for s, e in cal.next_open_periods(start, count):
        typer.echo(f"  {_local(cal, s)}  →  {_local(cal, e)}   ({format_duration((e - s).total_seconds())})")


@app.command("elapsed")
def elapsed(
    file: Path = FILE,
    start: str = typer.Argument(..., help="Start, ISO 8601 (calendar zone if no offset)."),
    end: str = typer.Argument(..., help="End, ISO 8601 (calendar zone if no offset)."),
    explain: bool = typer.Option(False, "--explain", help="List the open intervals that counted."),
) -> None:
    """Business time between START and END."""
    cal = load_calendar_file(file)
    a, b = _parse_moment(start, cal, "start"), _parse_moment(end, cal, "end")
    secs = cal.business_seconds(a, b)
    typer.echo(f"{format_duration(secs)} ({secs:g} s) of business time")
    if explain:
        for s, e in cal.open_intervals(a, b):
            typer.echo(f"  counted {_local(cal, s)} → {_local(cal, e)}")


@app.command("deadline")
def deadline(
    file: Path = FILE,
    start: str = typer.Argument(..., help="Start, ISO 8601 (calendar zone if no offset)."),
    duration: str = typer.Argument(
        ...,
        help="Business duration: '4h', '1d 2h', '90m', or a number and a word: '4 hours', "
        "'1 business day' (d = one business day).",
    ),
) -> None:
    """The instant DURATION of business time after START."""
    cal = load_calendar_file(file)
    a = _parse_moment(start, cal, "start")
    day = cal.typical_day_seconds() if any(cal.spec.hours) else 86400.0
    secs = parse_duration(duration, day_seconds=day)
    due = cal.add_business_seconds(a, secs)
    typer.echo(f"{_local(cal, due)}  ({due.isoformat()})")
    if "d" in duration.lower():
        typer.echo(f"  where 1d = one business day = {format_duration(day)} on this calendar")


@app.command("suggest")
def suggest(
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")
    ] = None,
    timezone: Annotated[
        str, typer.Option(help="Time zone the hours are read in, e.g. Europe/Berlin.")
    ] = "UTC",
    source: Annotated[
        list[str] | None,
        typer.Option(help="Read only the history imported under this source key; repeatable."),
    ] = None,
    save: Annotated[
        str | None, typer.Option(help="Also store the suggestion as a calendar under this name.")
    ] = None,
) -> None:
    """Suggest business hours from the imported history (when tickets arrive and agents reply),
    printed as a calendar file; add holidays and check it with `slaforge calendar check FILE`."""
    uow = container_for(database_url).command_uow()
    found = suggest_calendar(uow=uow, timezone=timezone, sources=source or None, save_as=save)
    typer.echo(f"# suggested from {found.events:,} ticket openings and agent replies; "
               f"{found.coverage:.0%} of them fall in these hours")  # fmt: skip
    typer.echo(yaml.safe_dump(found.definition, sort_keys=False, default_flow_style=None).rstrip())
    if found.saved_as:
        typer.echo(f"# saved as calendar '{found.saved_as}': slaforge analyze --calendar '{found.saved_as}'")
    else:
        typer.echo("# save it to a file and pass --calendar FILE.yaml, or store it with --save NAME")


@app.command("save")
def save(
    file: Path = FILE,
    name: Annotated[
        str,
        typer.Option(
            "--name",
            help="The name to store it under (default: the file's name without its suffix); "
            "replaces a calendar of that name.",
        ),
    ] = "",
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")
    ] = None,
) -> None:
    """Store a hand-written calendar file under a name, for `slaforge analyze --calendar NAME`."""
    cal = load_calendar_file(file)  # checked whole before anything is stored
    uow = container_for(database_url).command_uow()
    save_calendar(uow=uow, name=name or file.stem, calendar=cal)
    stored = (name or file.stem).strip()
    typer.echo(
        f"saved {file} as calendar '{stored}' ({cal.timezone}): slaforge analyze --calendar '{stored}'"
    )
