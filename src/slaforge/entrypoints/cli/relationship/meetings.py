"""`slaforge relationship meetings …`: an agreement's meeting series (list, add, remove) and its
.ics. Series are terms, so add/remove change the agreement's draft (exit 2 when there is none)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from slaforge.domain.relationship.meetings import all_occurrences
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container
from slaforge.services.relationship import meetings

app = typer.Typer(
    help="Meeting series of an agreement, their calendar (.ics), minutes, actions and agenda; feeds.",
    no_args_is_help=True,
)


@app.command("list")
def list_series(
    agreement: int = typer.Argument(..., help="Agreement id."),
    days: int = typer.Option(120, min=1, max=1000, help="Show the occurrences of the next DAYS days."),
) -> None:
    """The series in force (active/accepted version, else offered, else draft) and next occurrences."""
    view = meetings.series_of(uow=open_container().command_uow(), agreement_id=agreement)
    where = f"version {view.version_number} ({view.version_state})" if view.version_number else "no version"
    typer.echo(f"{view.agreement_title}: meeting series of {where}")
    if not view.reviews:
        typer.echo("  (none)")
        return
    for r in view.reviews:
        typer.echo(
            f"  {r['key']}: {r['name']} — {r['rrule']} from {r['start']} {r['timezone']}, "
            f"{r['duration_minutes']} min"
        )
    now = datetime.now(UTC)
    typer.echo(f"next {days} days:")
    changes = {
        k: v[0]
        for k, v in meetings.changes_of(uow=open_container().command_uow(), agreement_id=agreement).items()
    }
    for occ in all_occurrences(view.reviews, now, now + timedelta(days=days), changes):
        mark = " (moved)" if occ.moved else ""
        typer.echo(
            f"  {occ.series_key}: {occ.start:%Y-%m-%d %H:%M} {occ.start.tzinfo} ({occ.start:%z}){mark}"
        )


@app.command("add")
def add(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Option(..., help="Series key, e.g. monthly-review."),
    name: str = typer.Option(..., help="Name, e.g. 'Monthly service review'."),
    rrule: str = typer.Option(..., help="RFC 5545 rule without DTSTART, e.g. FREQ=MONTHLY;BYDAY=1TU."),
    start: str = typer.Option(..., help="First local start 'YYYY-MM-DDTHH:MM'."),
    timezone: str = typer.Option(..., help="IANA time zone, e.g. Europe/Berlin."),
    duration: int = typer.Option(60, help="Minutes."),
    attendees: Annotated[
        str, typer.Option(help='JSON list of {"party", "name", "email"} (default: none).')
    ] = "[]",
    location: str = typer.Option("", help="Where."),
    video: str = typer.Option("", help="Video link."),
    actor: str = ACTOR,
) -> None:
    """Add a series to the agreement's draft (or replace the one with the same key)."""
    try:
        people = json.loads(attendees)
    except json.JSONDecodeError as exc:
        typer.echo(f"attendees: not JSON ({exc})", err=True)
        raise typer.Exit(2) from None
    series = {
        "key": key,
        "name": name,
        "rrule": rrule,
        "start": start,
        "timezone": timezone,
        "duration_minutes": duration,
        "attendees": people,
        "location": location,
        "video": video,
    }
    saved = meetings.put_series(
        uow=open_container().command_uow(),
        agreement_id=agreement,
        series=series,
        actor=acting(actor),
        now=datetime.now(UTC),
    )
    typer.echo(
        f"series {saved['key']} on the draft of agreement {agreement}: {saved['rrule']} from {saved['start']}"
    )


@app.command("remove")
def remove(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    actor: str = ACTOR,
) -> None:
    """Remove a series from the agreement's draft."""
    meetings.remove_series(
        uow=open_container().command_uow(),
        agreement_id=agreement,
        key=key,
        actor=acting(actor),
        now=datetime.now(UTC),
    )
    typer.echo(f"removed series {key} from the draft of agreement {agreement}")


def _change(agreement: int, key: str, original: str, new: str | None, reason: str, actor: str) -> None:
    change = meetings.change_occurrence(
        uow=open_container().command_uow(),
        agreement_id=agreement,
        series_key=key,
        original_start=original,
        new_start=new,
        cancelled=new is None,
        reason=reason,
        actor=acting(actor),
        now=datetime.now(UTC),
    )
    what = f"moved to {change.new_start:%Y-%m-%d %H:%M}" if change.new_start else "cancelled"
    typer.echo(f"{key} {change.original_start:%Y-%m-%d %H:%M} {what}")


@app.command("move")
def move(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    original: str = typer.Option(..., help="The occurrence's original local start 'YYYY-MM-DDTHH:MM'."),
    to: str = typer.Option(..., help="Its new local start, same time zone."),
    reason: str = typer.Option("", help="Why."),
    actor: str = ACTOR,
) -> None:
    """Move one occurrence (again: updates the same exception)."""
    _change(agreement, key, original, to, reason, actor)


@app.command("cancel")
def cancel(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    original: str = typer.Option(..., help="The occurrence's original local start 'YYYY-MM-DDTHH:MM'."),
    reason: str = typer.Option("", help="Why."),
    actor: str = ACTOR,
) -> None:
    """Cancel one occurrence."""
    _change(agreement, key, original, None, reason, actor)


@app.command("ics")
def ics(
    agreement: int = typer.Argument(..., help="Agreement id."),
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: standard output).")] = None,
) -> None:
    """The agreement's calendar (RFC 5545): every series in force."""
    text = meetings.agreement_ics(uow=open_container().command_uow(), agreement_id=agreement)
    if out is None:
        sys.stdout.buffer.write(text)
        return
    out.write_bytes(text)
    typer.echo(f"wrote {out}")
