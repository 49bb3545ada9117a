"""`slaforge relationship …`: step 3 — responsibilities, obligations, underpinning contracts,
meetings and tasks of an agreement. Each part is a subgroup from its own module."""

from __future__ import annotations

import typer

from slaforge.entrypoints.cli.relationship import meetings

app = typer.Typer(
    help="Responsibilities, obligations, underpinning contracts, meetings and tasks of an agreement.",
    no_args_is_help=True,
)


@app.callback()
def relationship() -> None:
    """Responsibilities, obligations, underpinning contracts, meetings and tasks of an agreement."""


app.add_typer(meetings.app, name="meetings")
