"""`slaforge calendar …`: check a calendar file and compute elapsed time and deadlines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from slaforge.adapters.calendar_files import load_calendar_file
from slaforge.domain.calendar import BusinessCalendar
from slaforge.domain.durations import format_duration, parse_duration
from slaforge.domain.errors import CalendarError

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
        ..., help="Business duration: '4h', '1d 2h', '90m' (d = one business day)."
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
