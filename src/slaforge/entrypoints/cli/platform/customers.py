"""`slaforge customer …`: the provider's customers, for users who work from the command line."""

from __future__ import annotations

import typer

from slaforge.adapters.db.models import Customer
from slaforge.domain.platform.listing import MAX_LIMIT, ListQuery
from slaforge.entrypoints.cli.container import cli_container, operator
from slaforge.services.platform import catalog

app = typer.Typer(help="Create and list customers.", no_args_is_help=True)


@app.command("create")
def create(
    name: str = typer.Argument(..., help="The customer's name, as documents show it."),
    slug: str = typer.Option("", help="Short name for commands and URLs (default: from the name)."),
) -> None:
    """Create a customer."""
    container = cli_container()
    try:
        customer = catalog.create_customer(
            uow=container.command_uow(), actor=operator(container), name=name, slug=slug or None
        )
    finally:
        container.engine.dispose()
    typer.echo(f"created customer {customer.id} '{customer.name}' (slug {customer.slug})")


@app.command("list")
def list_(
    search: str = typer.Option("", help="Only customers whose name or slug contains this."),
) -> None:
    """Every customer: id, slug and name."""
    container = cli_container()
    try:
        rows: list[Customer] = []
        while True:  # page through: the list has no upper bound
            query = ListQuery(limit=MAX_LIMIT, offset=len(rows), search=search or None)
            page = catalog.list_customers(uow=container.command_uow(), actor=operator(container), query=query)
            rows += page.data
            if not page.data or len(rows) >= page.count:
                break
    finally:
        container.engine.dispose()
    if not rows:
        typer.echo("no customers yet: slaforge customer create NAME")
    for c in rows:
        typer.echo(f"{c.id:>5}  {c.slug:<24} {c.name}")
