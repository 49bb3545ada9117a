"""`slaforge notify …` and `slaforge order …`: deliver the notification outbox; attach agreement
versions to orders and list them (flagged payments included). The CLI acts as the provider."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from slaforge.bootstrap import Container
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.entrypoints import worker
from slaforge.entrypoints.cli.container import container_for
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement import payments
from slaforge.services.platform import catalog, notifications

notify_app = typer.Typer(
    help="Deliver queued e-mails and webhooks; send signature links.", no_args_is_help=True
)
order_app = typer.Typer(help="Orders whose payment accepts an agreement version.", no_args_is_help=True)

DATABASE = typer.Option(None, "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")


@contextmanager
def _container(database_url: str | None) -> Iterator[Container]:
    """The app wired from the settings; its connections are closed when the command ends."""
    container = container_for(database_url)
    try:
        yield container
    finally:
        container.engine.dispose()


def _cli_principal() -> Principal:
    return Principal(user_id=0, email=f"cli:{getpass.getuser()}", role=Role.ADMIN)


@notify_app.command("deliver")
def deliver(
    limit: int = typer.Option(500, min=1, help="Send at most this many notifications."),
    database_url: str | None = DATABASE,
) -> None:
    """Lapse offers past their expiry (telling their contacts), then send every due notification
    once; failures are retried on a later run with exponential backoff. `slaforge serve` and
    `slaforge worker` do this on their own; run it by hand or from cron otherwise."""
    with _container(database_url) as c:
        report = worker.run_pass(c, limit=limit)
        if report.lapsed:
            typer.echo(f"{report.lapsed} offer(s) lapsed")
        typer.echo(str(report.delivery))


@notify_app.command("list")
def list_notifications(
    status: str | None = typer.Option(None, help="Only pending, sent or failed."),
    database_url: str | None = DATABASE,
) -> None:
    """The outbox: every notification with its status and attempts."""
    with _container(database_url) as c:
        for n in notifications.list_notifications(uow=c.command_uow(), status=status):
            error = f"  ({n.last_error})" if n.last_error else ""
            typer.echo(
                f"{n.id:>5}  {n.status:<8} {n.attempts}x  {n.channel:<8} {n.event:<22} {n.recipient}{error}"
            )


@notify_app.command("link")
def send_link(
    version: Annotated[int, typer.Argument(help="An agreement version id (a draft is offered first).")],
    to: Annotated[list[str], typer.Option("--to", help="Customer contact to send a link to (repeatable).")],
    expires_days: int | None = typer.Option(None, min=1, help="The offer lapses after this many days."),
    database_url: str | None = DATABASE,
) -> None:
    """Send signature links for a version, offering it first when it is still a draft."""
    with _container(database_url) as c:
        was = acceptance.version_state(uow=c.command_uow(), version_id=version)
        sent = acceptance.send_links(
            uow=c.command_uow(),
            version_id=version,
            recipients=to,
            actor=_cli_principal().email,
            now=c.clock(),
            base_url=c.settings.public_url or "http://127.0.0.1:8000",
            link_days=c.settings.signature_link_days,
            offer_days=expires_days,
        )
        if was == "draft":
            typer.echo(
                f"offered version {sent.version.number} (id {version}); hash {sent.version.content_hash}"
            )
        links = sent.links
        for link in links:
            typer.echo(f"link for {link.email} (until {link.expires_at:%Y-%m-%d %H:%M} UTC): {link.url}")
        typer.echo(
            "the e-mails are queued: `slaforge serve` or `slaforge worker` sends them (or `notify deliver`)"
        )


@order_app.command("attach")
def attach(
    external_id: str = typer.Argument(..., help="The order's id in the payment system."),
    customer: str = typer.Option(..., help="Customer id or slug."),
    version: int | None = typer.Option(
        None, help="Id of the agreement version its payment accepts (`slaforge agreement list` shows them)."
    ),
    amount: int | None = typer.Option(None, min=0, help="Amount in minor units (cents)."),
    currency: str | None = typer.Option(None, help="ISO 4217 code, e.g. EUR."),
    provider: str = typer.Option("stripe", help="stripe, or generic for the HMAC-signed webhook."),
    database_url: str | None = DATABASE,
) -> None:
    """Attach a version to an order: paying the order accepts that version (and only that one)."""
    with _container(database_url) as c:
        customer_id = catalog.find_customer(uow=c.command_uow(), ref=customer).id
        order = payments.attach_order(
            uow=c.command_uow(),
            actor=_cli_principal(),
            provider=provider,
            external_id=external_id,
            customer_id=customer_id,
            version_id=version,
            amount=amount,
            currency=currency,
            now=c.clock(),
        )
        typer.echo(
            f"order {order.id}: {order.provider} {order.external_id} → version {order.version_id or '—'}"
        )


@order_app.command("list")
def list_orders(
    flagged: bool = typer.Option(False, "--flagged", help="Only orders flagged for review."),
    database_url: str | None = DATABASE,
) -> None:
    """Orders with their payment status and any flag."""
    with _container(database_url) as c:
        for o in payments.list_orders(uow=c.command_uow(), flagged_only=flagged):
            money = f"{o.amount / 100:.2f} {(o.currency or '').upper()}" if o.amount is not None else "—"
            flag = f"  FLAGGED: {o.flagged_reason}" if o.flagged_reason else ""
            typer.echo(
                f"{o.id:>5}  {o.provider:<8} {o.external_id:<24} {o.status:<9} {money:>14}  "
                f"version {o.version_id or '—'}{flag}"
            )
