"""`slaforge relationship meetings topics AGREEMENT SERIES --original START [--raise TEXT |
--withdraw ID]`: the topics raised for a coming meeting, listed after any change."""

from __future__ import annotations

import typer

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.services.relationship import topics


def register(app: typer.Typer) -> None:
    """Add `topics` to `slaforge relationship meetings`."""
    app.command("topics")(meeting_topics)


def meeting_topics(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    original: str = typer.Option(..., help="The occurrence's original local start 'YYYY-MM-DDTHH:MM'."),
    raise_text: str | None = typer.Option(
        None, "--raise", help="Raise this topic (at most 500 characters) for the coming meeting."
    ),
    withdraw: int | None = typer.Option(None, help="Withdraw the topic with this id before the meeting."),
    party: str | None = typer.Option(None, help="List only provider or customer topics."),
    sort: str | None = typer.Option(None, help=f"One of {', '.join(topics.SORTABLE)}; '-field' descends."),
    limit: int = typer.Option(50, min=1, max=500),
    offset: int = typer.Option(0, min=0),
) -> None:
    """The topics raised for one meeting occurrence; --raise adds one (the same text twice is one
    topic), --withdraw removes one. Acts as the `--as` user, else as the operator (provider)."""
    c = open_container()
    if raise_text is not None:
        view = topics.raise_topic(
            uow=c.command_uow(),
            agreement_id=agreement,
            series_key=key,
            original_start=original,
            text=raise_text,
            actor=operator(c),
            now=c.clock(),
        )
        typer.echo(f"topic {view.id} {'raised' if view.new else 'was raised before'}")
    if withdraw is not None:
        topics.withdraw_topic(
            uow=c.command_uow(),
            agreement_id=agreement,
            series_key=key,
            original_start=original,
            topic_id=withdraw,
            actor=operator(c),
            now=c.clock(),
        )
        typer.echo(f"topic {withdraw} withdrawn")
    query = ListQuery(limit=limit, offset=offset, sort=sort, filters={"party": party})
    page = topics.list_topics(
        uow=c.command_uow(), agreement_id=agreement, series_key=key, original_start=original, query=query
    )
    typer.echo(f"{page.count} topic(s) for {key} {original}")
    for t in page.data:
        typer.echo(f"  {t.id} [{t.party}] {t.text} — {t.raised_by}, {t.raised_at:%Y-%m-%d %H:%M %Z}")
