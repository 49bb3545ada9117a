"""`slaforge clocks show|list|repair`: a ticket's live clocks with their explanation, an
agreement's queue of what breaches next, and a repair after a change the clocks measure by."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import typer

from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.services.live import repair as repairs
from slaforge.services.live import views
from slaforge.services.relationship.obligations import find_ticket

app = typer.Typer(help="Live SLA clocks: show a ticket's, list an agreement's, repair.", no_args_is_help=True)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    sign, s = ("-" if seconds < 0 else ""), abs(round(seconds))
    h, rest = divmod(s, 3600)
    return f"{sign}{h} h {rest // 60:02d} min" if h else f"{sign}{rest // 60} min {rest % 60:02d} s"


def local(at: datetime | None, zone: str) -> str:
    return "—" if at is None else at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _state(c: views.ClockView) -> str:
    if c.breached:
        return f"{c.state}, BREACHED at {local(c.breached_at, c.timezone)}"
    return f"{c.state}, AT RISK" if c.at_risk else c.state


@app.command("show")
def show(ticket: Annotated[str, typer.Argument(help="Ticket id or external id (e.g. INC0000045).")]) -> None:
    """Each live clock of the ticket: state, business time used and left, due instant in the
    calendar's zone, the warnings sent, and the intervals that counted or were paused."""
    c = open_container()
    tid = find_ticket(c.command_uow(), ticket)
    t = views.ticket_clocks(uow=c.command_uow(), ticket_id=tid, now=c.clock())
    typer.echo(
        f"ticket {t.external_id} (id {t.ticket_id}, {t.source}), priority {t.priority}, status {t.status}"
    )
    if not t.clocks:
        typer.echo(
            "no live clock measures this ticket (`slaforge clocks` lists only live agreements' clocks)"
        )
    for k in t.clocks:
        ex = k.explanation
        typer.echo("")
        typer.echo(f"{k.objective} — agreement {k.agreement_id}, objective {k.objective_index}: {_state(k)}")
        typer.echo(
            f"  used {duration(k.elapsed_seconds)} of {duration(k.target_seconds)} business time; "
            f"left {duration(k.remaining_seconds)} (as of {local(k.as_of, k.timezone)})"
        )
        typer.echo(f"  due {local(k.due_at, k.timezone)}; at risk from {local(k.risk_at, k.timezone)}")
        typer.echo(f"  calendar '{ex.get('calendar')}' ({k.timezone}); {ex.get('pauses')}")
        for f in k.firings:
            what = (
                "breach recorded"
                if f.kind == "breach"
                else f"step {f.step + 1} sent to " + ", ".join(f"{r} ({ch})" for ch, r in f.notified)
            )
            gone = (
                f" — WITHDRAWN {local(f.withdrawn_at, k.timezone)}: {f.withdrawn_reason}"
                if f.withdrawn_at
                else ""
            )
            typer.echo(f"  {local(f.due_at, k.timezone)}: {what}{gone}")
        for cycle in ex.get("cycles", []):
            for a, b in cycle.get("counted", []):
                typer.echo(f"  counted {a} → {b}")
            for a, b in cycle.get("paused", []):
                typer.echo(f"  paused  {a} → {b}")
            for label, a, b, secs in cycle.get("excused", []):
                typer.echo(f"  excused {a} → {b} ({label}; {duration(secs)} of business time)")


@app.command("list")
def list_(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    which: Annotated[
        Literal["open", "at_risk", "breached", "all"], typer.Option(help="Which clocks.")
    ] = "open",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """The agreement's clocks: open ones soonest deadline first (the queue of what breaches next)."""
    c = open_container()
    page = views.agreement_clocks(
        uow=c.command_uow(), agreement_id=agreement, which=which, now=c.clock(), limit=limit
    )
    typer.echo(
        f"{page.total} {which.replace('_', '-')} clock(s) of agreement {agreement}; showing {len(page.data)}"
    )
    for k in page.data:
        typer.echo(
            f"  {k.external_id:<16} {k.objective:<28} {_state(k):<22} due {local(k.due_at, k.timezone)}  "
            f"left {duration(k.remaining_seconds)}"
        )


@app.command("repair")
def repair(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    reason: Annotated[str, typer.Option(help="Why: recorded with every breach the repair withdraws.")],
) -> None:
    """Recompute the agreement's open clocks from their histories (after a holiday was added, say);
    a breach that no longer holds is withdrawn with the reason, never erased."""
    c = open_container()
    with typer.progressbar(length=1, label="repairing clocks", file=None) as bar:
        seen = 0

        def step(done: int, total: int) -> None:
            nonlocal seen
            bar.length = max(total, 1)
            bar.update(done - seen)
            seen = done

        done = repairs.repair(
            units=c.command_uow,
            agreement_id=agreement,
            reason=reason,
            actor=operator(c),
            now=c.clock(),
            progress=step,
        )
    typer.echo(
        f"agreement {agreement}: {done.clocks} clock(s) of {done.tickets} ticket(s) recomputed; "
        f"{done.changed} changed; {done.withdrawn} breach(es) withdrawn"
    )
