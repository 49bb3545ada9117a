"""`slaforge relationship contracts …` and `slaforge relationship underpinning …`: the provider's
operational level agreements (OLAs) and underpinning contracts (UCs), which objective of an
agreement rests on which, and whether each promise can rest on them.

`underpinning check` exits 1 when any warning is found (0: every linked promise holds); refused
input exits 2. `underpinning appendix` writes the provider's own appendix (Markdown, HTML or PDF).
Acts as the provider (actor `cli:<user>` unless --actor is given).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
import yaml

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_appendix import underpinning_appendix
from slaforge.services.relationship.underpinning_input import calendar_from, targets_from

app = typer.Typer(help="Operational level agreements and underpinning contracts.", no_args_is_help=True)
links_app = typer.Typer(help="Which objectives rest on which contracts, and the check.", no_args_is_help=True)


def _calendar(timezone: str, hours: str, calendar_file: Path | None) -> dict[str, object]:
    if calendar_file is None:
        return calendar_from(timezone, hours)
    try:
        loaded = yaml.safe_load(calendar_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read {calendar_file}: {exc}", field="--calendar-file") from None
    if not isinstance(loaded, dict):
        raise InvalidInput("a calendar definition is a mapping", field="--calendar-file", value=None)
    return loaded


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The contract's name, e.g. 'Mailhost Ltd (mail relay)'.")],
    kind: Annotated[str, typer.Option(help="ola (an internal team) or uc (a supplier).")] = "uc",
    counterparty: Annotated[str, typer.Option(help="The team or supplier.")] = "",
    timezone: Annotated[str, typer.Option(help="The contract's time zone.")] = "UTC",
    hours: Annotated[str, typer.Option(help="Weekday hours 'HH:MM-HH:MM', or 24x7.")] = "09:00-17:00",
    calendar_file: Annotated[
        Path | None, typer.Option(help="A calendar definition (YAML/JSON) instead.")
    ] = None,
    target: Annotated[
        list[str], typer.Option(help="METRIC:PRIORITY=DURATION (repeat); '*' any priority.")
    ] = [],  # noqa: B006
    day: Annotated[str, typer.Option(help="How long a business day ('d') of the contract is.")] = "8h",
    actor: str = ACTOR,
) -> None:
    """Record an OLA or a UC with its hours and targets (in its own business time)."""
    c = open_container()
    view = up.create_contract(
        uow=c.command_uow(),
        kind=kind,
        name=name,
        counterparty=counterparty,
        calendar=_calendar(timezone, hours, calendar_file),
        targets=targets_from(target, day),
        actor=acting(actor),
        now=c.clock(),
    )
    typer.echo(f"recorded {view.kind.upper()} {view.id}: {view.name}")


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every OLA and UC with its hours and targets."""
    views = up.list_contracts(uow=open_container().command_uow())
    if as_json:
        typer.echo(json.dumps([asdict(v) for v in views], indent=2))
        return
    for v in views:
        targets = "; ".join(f"{m} {p}={s / 3600:g}h" for m, by in v.targets.items() for p, s in by.items())
        typer.echo(f"{v.id:>4}  {v.kind.upper():<3}  {v.name}  [{v.calendar.get('timezone')}]  {targets}")
    if not views:
        typer.echo("no contracts yet: `slaforge relationship contracts add NAME --target resolution:*=2d`")


@app.command("remove")
def remove(contract: Annotated[int, typer.Argument(help="Contract id.")], actor: str = ACTOR) -> None:
    """Remove a contract no objective rests on."""
    c = open_container()
    up.remove_contract(uow=c.command_uow(), contract_id=contract, actor=acting(actor), now=c.clock())
    typer.echo(f"removed contract {contract}")


@links_app.command("link")
def link(
    agreement: Annotated[int, typer.Argument(help="Agreement id (its newest version must be a draft).")],
    objective: Annotated[int, typer.Argument(help="The objective's index (0 first; see `check`).")],
    contract: Annotated[int, typer.Argument(help="Contract id.")],
    actor: str = ACTOR,
) -> None:
    """Rest an objective of the draft on a contract."""
    c = open_container()
    added = up.link_contract(
        uow=c.command_uow(),
        agreement_id=agreement,
        objective_index=objective,
        contract_id=contract,
        actor=acting(actor),
        now=c.clock(),
    )
    typer.echo("linked" if added else "already linked")


@links_app.command("unlink")
def unlink(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    objective: Annotated[int, typer.Argument(help="The objective's index.")],
    contract: Annotated[int, typer.Argument(help="Contract id.")],
    actor: str = ACTOR,
) -> None:
    """Stop resting an objective of the draft on a contract."""
    c = open_container()
    up.unlink_contract(
        uow=c.command_uow(),
        agreement_id=agreement,
        objective_index=objective,
        contract_id=contract,
        actor=acting(actor),
        now=c.clock(),
    )
    typer.echo("unlinked")


@links_app.command("check")
def check(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    version: Annotated[
        int | None, typer.Option(help="The version's number (1, 2, …; default: the newest).")
    ] = None,
) -> None:
    """Each objective, the contracts behind it and every warning; exit status 1 when any warning."""
    c = open_container()
    result = up.check_underpinning(uow=c.command_uow(), agreement_id=agreement, now=c.clock(), number=version)
    typer.echo(
        f"agreement {agreement} version {result.number} ({result.state})"
        + (f"; links inherited from version {result.inherited_from}" if result.inherited_from else "")
    )
    for o in result.objectives:
        who = ", ".join(o.objective.get("priorities") or []) or o.objective.get("service", "all")
        behind = ", ".join(f"{k.name} ({k.kind.upper()})" for k in o.contracts) or "nothing linked"
        typer.echo(f"  [{o.index}] {o.objective.get('metric')} {who}: rests on {behind}")
        for w in o.warnings:
            typer.echo(f"      WARNING: {w.text}")
    if result.warnings:
        typer.echo(f"{len(result.warnings)} warning(s)")
        raise typer.Exit(1)
    typer.echo("every linked promise holds")


@links_app.command("appendix")
def appendix(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    version: Annotated[
        int | None, typer.Option(help="The version's number (1, 2, …; default: the newest).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or pdf.")] = "md",
    out: Annotated[
        Path | None, typer.Option(help="Write to this file (default: standard output; not for pdf).")
    ] = None,
) -> None:
    """The provider-only appendix "Underpinning commitments": each objective, the contracts it rests
    on and the warnings standing (never part of the customer's document)."""
    if out is None and fmt == "pdf":
        raise InvalidInput("give --out FILE for a PDF", field="--out")
    c = open_container()
    data = underpinning_appendix(
        uow=c.command_uow(), agreement_id=agreement, now=c.clock(), fmt=fmt, number=version
    )
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data):,} bytes)")
