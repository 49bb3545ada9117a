"""`slaforge expectations …`: import a customer's expectations from CSV, and print the gap analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.durations import format_duration
from slaforge.entrypoints.cli.container import container_for
from slaforge.services.background import expectations
from slaforge.services.platform import catalog

app = typer.Typer(help="Customer expectations and the gap against the service history.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")
]
CustomerRef = Annotated[str, typer.Option("--customer", help="The customer's id or slug.")]


@app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="CSV with the header metric,priority,target,importance,comment.")
    ],
    customer: CustomerRef,
    database_url: DatabaseUrl = None,
) -> None:
    """Import expectations from CSV: all rows or none, every bad row named with its column."""
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror}", field="file", value=str(file)) from exc
    container = container_for(database_url)
    uow = container.command_uow()
    cust = catalog.find_customer(uow=uow, ref=customer)
    rows = expectations.import_expectations_csv(
        uow=uow, actor=None, customer_id=cust.id, content=content, file_name=file.name, now=container.clock()
    )
    typer.echo(f"{len(rows)} expectations of {cust.name} imported from {file.name}")


@app.command("gaps")
def gaps_cmd(
    customer: CustomerRef,
    study: Annotated[
        int | None, typer.Option("--study", help="A capability study's id (default: the newest).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Each expectation against the service history: attainment at the target, verdict, offer."""
    container = container_for(database_url)
    uow = container.command_uow()
    cust = catalog.find_customer(uow=uow, ref=customer)
    report = expectations.gap_report(uow=uow, customer_id=cust.id, study_id=study, now=container.clock())
    typer.echo(f"gap analysis of {report.customer_name}, measured from {report.basis}")
    typer.echo(f"level: {report.level:.0%} of tickets in {report.month_share:.0%} of months")
    if not report.gaps:
        typer.echo("no expectations recorded")
    for g in report.gaps:
        asked = (
            f"{g.target_percent:g} %"
            if g.target_percent is not None
            else format_duration(g.target_seconds or 0)
        )
        what = f"{g.metric} {g.priority or ''}".strip()
        met = "—" if g.attainment is None else f"{g.attainment:.1%}"
        offer = g.offer_label or (f"{g.offer_percent:g} %" if g.offer_percent is not None else "—")
        typer.echo(
            f"  {what:<22} {asked:>9}  met {met:>7}  {g.verdict.value:<22} offer {offer:<16} {g.reason}"
        )
