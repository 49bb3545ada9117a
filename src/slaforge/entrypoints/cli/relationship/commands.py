"""`slaforge relationship …`: step 3 — responsibilities, obligations, underpinning contracts,
meetings and tasks of an agreement. Each part is a subgroup from its own module."""

from __future__ import annotations

import typer

from slaforge.entrypoints.cli.relationship import (
    contracts,
    meeting_records,
    meeting_topics,
    meetings,
    obligations,
    responsibilities,
    tasks,
)

app = typer.Typer(
    help="Responsibilities, obligations, underpinning contracts, meetings and tasks of an agreement.",
    no_args_is_help=True,
)


@app.callback()
def relationship() -> None:
    """Responsibilities, obligations, underpinning contracts, meetings and tasks of an agreement."""


app.add_typer(obligations.app, name="obligations")
app.add_typer(contracts.app, name="contracts")
app.add_typer(contracts.links_app, name="underpinning")
app.add_typer(tasks.app, name="tasks")
app.add_typer(responsibilities.app, name="responsibilities")
meeting_records.register(meetings.app)
meeting_topics.register(meetings.app)
app.add_typer(meetings.app, name="meetings")
