"""`slaforge readiness holidays AGREEMENT`: the holidays added to a live agreement's frozen
calendars, and `--add DATE[=NAME]` to add days to come without a new agreement version."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from slaforge.bootstrap import Container
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.services.readiness import calendars


def _day(text: str, i: int) -> tuple[date, str]:
    day, _, name = text.partition("=")
    try:
        return date.fromisoformat(day.strip()), name.strip()
    except ValueError:
        raise InvalidInput(
            f"'{text[:40]}' is not DATE or DATE=NAME (e.g. 2027-12-24=Christmas Eve)", field=f"add[{i}]"
        ) from None


def command(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    add: Annotated[
        list[str] | None,
        typer.Option("--add", help="A holiday to add: DATE or DATE=NAME (repeat the option for more days)."),
    ] = None,
    calendar: Annotated[
        str, typer.Option(help="The frozen calendar to add them to (default: the only one, if one).")
    ] = "",
) -> None:
    """List the holidays added to a live agreement's frozen calendars; with --add, add days to come
    (audited; a day the calendar has already is left as it is)."""
    c = open_container()
    if add:
        days = [_day(text, i) for i, text in enumerate(add)]
        name = calendar or _only_calendar(c, agreement)
        view = calendars.add_holidays(uow=c.command_uow(), agreement_id=agreement, calendar=name, days=days,
                                      actor=operator(c), now=c.clock())  # fmt: skip
        said = ", ".join(d.isoformat() for d in view.new) or "nothing new (each day was there already)"
        typer.echo(f"added to '{name}': {said}")
    else:
        view = calendars.added_holidays(uow=c.command_uow(), agreement_id=agreement)
    typer.echo(f"agreement {view.agreement_id} version {view.version_number}: frozen calendars "
               f"{', '.join(repr(n) for n in view.calendars)}")  # fmt: skip
    if not view.added:
        typer.echo("no holidays added since going live")
    for h in view.added:
        typer.echo(f"{h.day.isoformat()}  {h.calendar}  {h.label or '-'}  (added by {h.added_by})")


def _only_calendar(c: Container, agreement: int) -> str:
    names = calendars.added_holidays(uow=c.command_uow(), agreement_id=agreement).calendars
    if len(names) != 1:
        have = ", ".join(names)
        raise InvalidInput(f"name the calendar (--calendar): this agreement has {have}", field="calendar")
    return names[0]
