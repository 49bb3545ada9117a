"""`slaforge relationship obligations …`: customer obligations of an agreement — list them with the
instances still owed, add or remove one on a draft, price the excusal on a study's history, and
explain a ticket's clocks with the intervals an overdue obligation excused.

Acts as the provider (actor `cli:<user>` unless --actor is given); refused input exits 2.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
import yaml

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.obligation_text import business_duration, excused_sentence, moment
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container, say_ref
from slaforge.services.relationship import obligation_changes as changes
from slaforge.services.relationship.obligation_data import explanation_data, view_data, worth_data
from slaforge.services.relationship.obligation_worth import Worth, obligation_worth
from slaforge.services.relationship.obligations import (
    Explanation,
    explain_ticket,
    find_ticket,
    obligations_view,
)

app = typer.Typer(help="Customer obligations that are measured, and what they excuse.", no_args_is_help=True)


def _when(text: str | None, field: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput("an ISO 8601 date and time with its offset", field=field, value=text) from exc
    if value.tzinfo is None:
        raise InvalidInput("give the time zone offset (e.g. 2026-03-04T09:30+00:00)", field=field, value=text)
    return value


def _trigger(text: str, field: str) -> dict[str, str]:
    kind, _, value = text.partition(":")
    if kind not in ("status", "event") or not value:
        raise InvalidInput("status:NAME or event:KIND", field=field, value=text)
    return {kind: value}


def _said(trigger: dict[str, str]) -> str:
    return " ".join(f"{k} '{v}'" for k, v in trigger.items())


@app.command("list")
def list_obligations(
    agreement: int = typer.Argument(..., help="Agreement id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The agreement's obligations and the instances still owed on its customer's tickets."""
    c = open_container()
    view = obligations_view(uow=c.command_uow(), agreement_id=agreement)
    if as_json:
        typer.echo(json.dumps(view_data(view), indent=2))
        return
    typer.echo(f"{view.agreement_title}: version {view.version_number} ({view.version_state})")
    if not view.obligations:
        typer.echo("no obligations in the terms")
    for o in view.obligations:
        start, stop = o["starts_on"], o["stops_on"]
        excuses = "excuses the provider when overdue" if o["excuses_provider"] else "excuses nothing"
        typer.echo(
            f"  {o['key']}: {o['name']} — within {business_duration(o['due_seconds'])} of business time "
            f"({o['calendar'] or view.calendar_name or 'the agreement calendar'}), from "
            f"{_said(start)} until {_said(stop)}; "
            f"{excuses}"
        )
    if view.problem:
        typer.secho(f"warning: {view.problem}", fg=typer.colors.YELLOW)
    for x in view.open:
        state = "OVERDUE" if x.instance.overdue else "owed"
        typer.echo(f"  {state:<7} {x.external_id}  {x.instance.name}: due {x.instance.due_at.isoformat()}")


@app.command("add")
def add(
    agreement: int = typer.Argument(..., help="Agreement id (its latest version must be a draft)."),
    file: Annotated[Path | None, typer.Option(help="The obligation as YAML or JSON.")] = None,
    key: str = typer.Option("", help="Key, e.g. answer-information-requests."),
    name: str = typer.Option("", help="What the customer must do."),
    due_hours: float = typer.Option(0.0, help="Business hours the customer has."),
    calendar: str = typer.Option("", help="A stored calendar (default: the agreement's)."),
    starts_on: str = typer.Option("", help="status:NAME or event:KIND."),
    stops_on: str = typer.Option("", help="status:NAME (left) or event:KIND."),
    excuses_provider: bool = typer.Option(False, help="An overdue obligation pauses the provider's clocks."),
    actor: str = ACTOR,
) -> None:
    """Add an obligation to the agreement's draft."""
    if file is not None:
        try:
            definition: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(f"cannot read the obligation: {exc}", field=str(file)) from exc
    else:
        definition = {
            "key": key, "name": name, "due_seconds": due_hours * 3600, "calendar": calendar,
            "starts_on": _trigger(starts_on, "starts_on"), "stops_on": _trigger(stops_on, "stops_on"),
            "excuses_provider": excuses_provider,
        }  # fmt: skip
    c = open_container()
    ref = changes.add_obligation(
        uow=c.command_uow(), agreement_id=agreement, definition=definition, actor=acting(actor), now=c.clock()
    )
    say_ref(ref, "changed")


@app.command("remove")
def remove(
    agreement: int = typer.Argument(..., help="Agreement id (its latest version must be a draft)."),
    key: str = typer.Argument(..., help="The obligation's key."),
    actor: str = ACTOR,
) -> None:
    """Remove an obligation from the agreement's draft."""
    c = open_container()
    ref = changes.remove_obligation(
        uow=c.command_uow(), agreement_id=agreement, key=key, actor=acting(actor), now=c.clock()
    )
    say_ref(ref, "changed")


def worth_lines(w: Worth) -> list[str]:
    lines = [f"What the term is worth on {w.basis} (agreement version {w.version_number}):"]
    if not w.obligations:
        return [*lines, "  no obligation in the terms excuses the provider: nothing to price"]
    lines.append(f"  obligations that excuse the provider: {', '.join(w.obligations)}")
    if w.governed:
        said = ", ".join(f"'{g}'" for g in w.governed)
        lines.append(
            f"  with and without the excusal, {said} pauses no clock by itself (the term governs that "
            "wait): the difference is the excusal alone"
        )
    if not w.resolution_targets:
        lines.append("  the terms set no resolution objective: breaches are not counted")
    lines.append(
        f"  {'segment':<22} {'tickets':>8} {'affected':>9} {'excused h':>10} {'median h':>9}"
        f" {'breach→met':>11}"
    )
    for s in [*w.segments, w.total]:
        d = s.as_dict()
        med = "—" if d["median_excused_hours"] is None else f"{d['median_excused_hours']:.1f}"
        tickets = "—" if d["tickets"] is None else str(d["tickets"])
        lines.append(
            f"  {d['segment'][:22]:<22} {tickets:>8} {d['affected']:>9} {d['excused_hours']:>10.1f} {med:>9} "
            f"{d['breaches_turned_met']:>4} of {d['breaches_without']:<4}"
        )
    return lines


@app.command("worth")
def worth(
    agreement: int = typer.Argument(..., help="Agreement id."),
    study: int | None = typer.Option(None, help="Capability study (default: the newest)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Per segment of a study: tickets affected, resolution business time excused, breaches turned met."""
    c = open_container()
    w = obligation_worth(uow=c.command_uow(), agreement_id=agreement, study_id=study)
    if as_json:
        typer.echo(json.dumps(worth_data(w), indent=2))
        return
    for line in worth_lines(w):
        typer.echo(line)


def explanation_lines(ex: Explanation) -> list[str]:
    zone = ZoneInfo(ex.timezone)
    t = ex.ticket
    lines = [f"ticket {t.external_id} ({t.priority}) under agreement {ex.agreement_id} version "
             f"{ex.version_number}, as of {moment(ex.now, zone)} {ex.timezone}"]  # fmt: skip
    lines.append(f"  pause statuses: {', '.join(ex.pause_statuses) or 'none'}")
    for g in ex.governed:
        lines.append(f"  '{g}' starts an obligation that excuses the provider: it pauses no clock by itself")
    for i in ex.instances:
        fate = (
            "still owed"
            if i.open
            else f"{'fulfilled' if i.stopped_by != 'resolved' else 'ended'} {moment(i.stopped_at, zone)}"
        )
        late = " — OVERDUE" if i.overdue else ""
        lines.append(
            f"  obligation '{i.name}': from {moment(i.started_at, zone)}, "
            f"due {moment(i.due_at, zone)}, {fate}{late}"
        )
    for c in ex.clocks:
        k = c.clock
        target = business_duration(k.target_seconds) if k.target_seconds is not None else "no target"
        verdict = "BREACHED" if k.breached else k.state.value
        lines.append(f"  {c.label}: {business_duration(k.elapsed_seconds)} of {target} — {verdict}")
        for span in k.excused:
            lines.append(f"    {excused_sentence(span, zone)}")
        if c.without.breached != k.breached:
            lines.append(
                "    without the excusal it would have been " + ("BREACHED" if c.without.breached else "met")
            )
    return lines


@app.command("explain")
def explain(
    agreement: int = typer.Argument(..., help="Agreement id."),
    ticket: str = typer.Argument(..., help="Ticket id or external id (e.g. INC0000045)."),
    at: str | None = typer.Option(None, "--at", help="As of this time (ISO 8601 with offset; default: now)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Each objective clock of the ticket, with the intervals overdue obligations excused."""
    c = open_container()
    ticket_id = find_ticket(c.command_uow(), ticket)
    ex = explain_ticket(uow=c.command_uow(), agreement_id=agreement, ticket_id=ticket_id, at=_when(at, "at"))
    if as_json:
        typer.echo(json.dumps(explanation_data(ex), indent=2))
        return
    for line in explanation_lines(ex):
        typer.echo(line)
