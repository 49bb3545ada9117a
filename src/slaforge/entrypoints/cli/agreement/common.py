"""What the `slaforge agreement …` commands share: who is acting, the container, and how a
changed version is told."""

from __future__ import annotations

import getpass

import typer

from slaforge.bootstrap import Container
from slaforge.entrypoints.cli.container import cli_container
from slaforge.services.agreement.core import VersionRef

ACTOR = typer.Option("", "--actor", help="Who is acting, for the audit log (default: cli:<login>).")


def acting(given: str) -> str:
    return given or f"cli:{getpass.getuser()}"


def open_container() -> Container:
    return cli_container()


def heading(title: str, customer: str) -> str:
    """The title and the customer, the latter only when the title does not name it already
    (the demo's titles do: "Service level agreement — Acme Logistics")."""
    if not customer or customer.casefold() in title.casefold():
        return title
    return f"{title} — {customer}"


def say_ref(ref: VersionRef, verb: str) -> None:
    typer.echo(f"{verb} agreement {ref.agreement_id} version {ref.number} (id {ref.version_id}): {ref.state}")
    if ref.content_hash:
        typer.echo(f"content hash (SHA-256): {ref.content_hash}")
    if ref.awaiting_countersignature:
        typer.echo("accepted by the customer; awaits the provider's countersignature")
    for warning in ref.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW)
