"""`slaforge relationship meetings minutes|actions|agenda` and `… meetings feed show|reset`: what
was decided at a held meeting, the tasks its actions became, the agenda of the next (with the
topics raised for it: meeting_topics.py), and each user's secret calendar feed URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container
from slaforge.services.live import signals as live_signals
from slaforge.services.platform.accounts import principal_for_email
from slaforge.services.relationship import agenda, feeds, minutes

feed_app = typer.Typer(
    help="A user's subscribable calendar feed (its URL is a secret).", no_args_is_help=True
)


def _read_actions(path: Path | None) -> list[dict[str, str]]:
    if path is None:
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        typer.echo(f"actions: cannot read {path} as JSON ({exc})", err=True)
        raise typer.Exit(2) from None
    if not isinstance(raw, list):
        typer.echo("actions: the file must hold a JSON list of {title, party, due, assignee, key}", err=True)
        raise typer.Exit(2)
    return raw


def register(app: typer.Typer) -> None:
    """Add the meeting-record commands to `slaforge relationship meetings`."""
    app.command("minutes")(record)
    app.command("actions")(list_actions)
    app.command("agenda")(show_agenda)
    app.add_typer(feed_app, name="feed")


def record(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    original: str = typer.Option(..., help="The occurrence's original local start 'YYYY-MM-DDTHH:MM'."),
    text: str = typer.Option(..., help="The minutes: what was discussed and decided."),
    attended: Annotated[list[str] | None, typer.Option(help="Who attended (repeat the option).")] = None,
    actions: Annotated[
        Path | None,
        typer.Option(help='JSON file: a list of {"title", "party", "due", "assignee", "key"} action items.'),
    ] = None,
    actor: str = ACTOR,
) -> None:
    """Record (or edit) the minutes of a held meeting; each new action item becomes a task, once."""
    view = minutes.record_minutes(
        uow=open_container().command_uow(),
        agreement_id=agreement,
        series_key=key,
        original_start=original,
        text=text,
        attendance=attended or [],
        actions=_read_actions(actions),
        actor=acting(actor),
        now=datetime.now(UTC),
    )
    typer.echo(f"minutes of {key} {view.original_start} saved (revision {view.revision})")
    for a in view.actions:
        new = " (new task)" if a.key in view.created else ""
        typer.echo(f"  action {a.key}: task {a.task_id} {a.title} — {a.party}, due {a.due_date}{new}")


def list_actions(
    agreement: int = typer.Argument(..., help="Agreement id."),
    open_only: bool = typer.Option(False, "--open", help="Only actions whose task is not done or cancelled."),
    party: str | None = typer.Option(None, help="provider or customer."),
    sort: str | None = typer.Option(None, help=f"One of {', '.join(minutes.SORTABLE)}; '-field' descends."),
    limit: int = typer.Option(50, min=1, max=500),
    offset: int = typer.Option(0, min=0),
) -> None:
    """The action items of the agreement's meetings, with their tasks' status."""
    query = ListQuery(
        limit=limit, offset=offset, sort=sort, filters={"party": party, "open": open_only or None}
    )
    page = minutes.list_actions(uow=open_container().command_uow(), agreement_id=agreement, query=query)
    typer.echo(f"{page.count} action(s)")
    for a in page.data:
        typer.echo(
            f"  {a.series_key} {a.original_start} {a.key}: task {a.task_id} [{a.status}] {a.title} — "
            f"{a.party}{' ' + a.assignee if a.assignee else ''}, due {a.due_date}"
        )


def show_agenda(
    agreement: int = typer.Argument(..., help="Agreement id."),
    key: str = typer.Argument(..., help="Series key."),
    original: str = typer.Option(..., help="The occurrence's original local start 'YYYY-MM-DDTHH:MM'."),
) -> None:
    """The agenda of one occurrence, from the figures and lists as they stand now."""
    container = open_container()
    a = agenda.agenda(
        uow=container.command_uow(),
        agreement_id=agreement,
        series_key=key,
        original_start=original,
        now=datetime.now(UTC),
        signals=live_signals.agenda_signals(uow=container.command_uow(), agreement_id=agreement),
    )
    state = " (cancelled)" if a.cancelled else ""
    typer.echo(f"{a.series_name} — {a.start:%Y-%m-%d %H:%M} {a.start.tzinfo}{state}")
    typer.echo(f"1. Objectives — {a.figures_label} ({a.figures_basis})")
    typer.echo(f"   {a.note}")
    for f in a.figures:
        met = f"met {f.met}" if f.met else "no figure"
        typer.echo(f"   {f.objective}: {f.asked} asked, {met} ({f.tickets} tickets)")
    typer.echo(f"2. Open tasks ({len(a.tasks)}, overdue first)")
    for t in a.tasks:
        typer.echo(f"   {'OVERDUE ' if t.overdue else ''}task {t.id} {t.title} — {t.party}, due {t.due_date}")
    typer.echo(f"3. Overdue customer obligations ({len(a.obligations)})")
    for o in a.obligations:
        typer.echo(f"   {o.ticket}: {o.name}, due {o.due_at:%Y-%m-%d %H:%M %Z}")
    typer.echo(f"4. Open actions of earlier meetings ({len(a.actions)})")
    for x in a.actions:
        typer.echo(f"   {x.meeting}: task {x.task_id} [{x.status}] {x.title} — {x.party}, due {x.due_date}")
    typer.echo(f"5. Topics raised ({len(a.topics)})")
    for topic in a.topics:
        typer.echo(f"   {topic.id} [{topic.party}] {topic.text} — {topic.raised_by}")
    typer.echo(f"6. Signals from the live agreement ({len(a.signals)})")
    for sig in a.signals:
        typer.echo(f"   {sig.objective}: {sig.kind} — {sig.reason}")


@feed_app.command("show")
def feed_show(user: str = typer.Argument(..., help="The user's e-mail address.")) -> None:
    """Whether the user has a feed (its URL was shown once, when made: reset it to see a new one)."""
    container = open_container()
    principal = principal_for_email(uow=container.command_uow(), email=user)
    exists = feeds.has_feed(uow=container.command_uow(), user_id=principal.user_id)
    typer.echo(f"{principal.email}: {'has a feed' if exists else 'no feed yet'}")


@feed_app.command("reset")
def feed_reset(
    user: str = typer.Argument(..., help="The user's e-mail address."), actor: str = ACTOR
) -> None:
    """A new secret feed URL for the user; the previous one stops working. Shown only now."""
    container = open_container()
    principal = principal_for_email(uow=container.command_uow(), email=user)
    token = feeds.reset_feed(
        uow=container.command_uow(), principal=principal, now=datetime.now(UTC), actor=acting(actor)
    )
    typer.echo(feeds.feed_url(container.settings.public_url, token))
    if not container.settings.public_url:
        typer.echo("(prefix the server's address: SLAFORGE_PUBLIC_URL is not set)", err=True)
