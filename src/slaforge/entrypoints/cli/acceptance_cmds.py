"""`slaforge notify …` and `slaforge order …`: deliver the notification outbox; attach agreement
versions to orders and list them (flagged payments included). The CLI acts as the provider."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated

import typer

from slaforge.adapters.notifiers import ByChannel
from slaforge.adapters.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.adapters.notifiers.webhook import WebhookNotifier
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings, get_settings
from slaforge.domain.accounts import Principal, Role
from slaforge.services import acceptance, catalog, notifications, payments

notify_app = typer.Typer(
    help="Deliver queued e-mails and webhooks; send signature links.", no_args_is_help=True
)
order_app = typer.Typer(help="Orders whose payment accepts an agreement version.", no_args_is_help=True)

DATABASE = typer.Option(None, "--database-url", help="SQLAlchemy URL (default: SLAFORGE_DATABASE_URL).")


@contextmanager
def _container(database_url: str | None) -> Iterator[Container]:
    """The app wired from the settings; its connections are closed when the command ends."""
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    container = bootstrap(settings)
    try:
        yield container
    finally:
        container.engine.dispose()


def _cli_principal() -> Principal:
    return Principal(user_id=0, email=f"cli:{getpass.getuser()}", role=Role.ADMIN)


def build_notifier(settings: Settings, container: Container) -> tuple[ByChannel, WebhookNotifier | None]:
    """The configured channels: SMTP when SLAFORGE_SMTP_HOST is set, webhooks when their secret is."""
    email = None
    if settings.smtp_host:
        email = SmtpNotifier(
            SmtpConfig(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.smtp_from,
                username=settings.smtp_username or None,
                password=settings.smtp_password or None,
                starttls=settings.smtp_starttls,
            )
        )
    hooks = None
    if settings.notify_webhook_secret:
        hooks = WebhookNotifier(
            secret=settings.notify_webhook_secret, clock=lambda: container.clock().timestamp()
        )
    return ByChannel(email=email, webhook=hooks), hooks


@notify_app.command("deliver")
def deliver(
    limit: int = typer.Option(500, min=1, help="Send at most this many notifications."),
    database_url: str | None = DATABASE,
) -> None:
    """Lapse offers past their expiry (telling their contacts), then send every due notification
    once; failures are retried on a later run with exponential backoff. Run it from cron."""
    with _container(database_url) as c:
        notify = notifications.NotifyConfig.from_settings(c.settings)
        lapsed = acceptance.lapse_offers(uow=c.system_uow(), now=c.clock(), notify=notify)
        if lapsed:
            typer.echo(f"{lapsed} offer(s) lapsed")
        notifier, hooks = build_notifier(c.settings, c)
        try:
            report = notifications.deliver_due(
                uow=c.system_uow(),
                notifier=notifier,
                now=c.clock(),
                limit=limit,
                max_attempts=c.settings.notify_max_attempts,
                backoff_seconds=c.settings.notify_backoff_seconds,
            )
        finally:
            if hooks is not None:
                hooks.close()
        typer.echo(str(report))


@notify_app.command("list")
def list_notifications(
    status: str | None = typer.Option(None, help="Only pending, sent or failed."),
    database_url: str | None = DATABASE,
) -> None:
    """The outbox: every notification with its status and attempts."""
    with _container(database_url) as c:
        for n in notifications.list_notifications(uow=c.system_uow(), status=status):
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
        now, actor = c.clock(), _cli_principal().email
        base = c.settings.public_url or "http://127.0.0.1:8000"
        days = c.settings.signature_link_days
        state = acceptance.version_state(uow=c.system_uow(), version_id=version)
        if state == "draft":
            expires = now + timedelta(days=expires_days) if expires_days else None
            sent = acceptance.offer_and_send(
                uow=c.system_uow(),
                version_id=version,
                recipients=to,
                actor=actor,
                now=now,
                expires_at=expires,
                base_url=base,
                link_days=days,
                notify=notifications.NotifyConfig.from_settings(c.settings),
            )
            typer.echo(
                f"offered version {sent.version.number} (id {version}); hash {sent.version.content_hash}"
            )
            links = sent.links
        else:
            links = acceptance.send_link(
                uow=c.system_uow(),
                version_id=version,
                recipients=to,
                actor=actor,
                now=now,
                base_url=base,
                link_days=days,
            )
        for link in links:
            typer.echo(f"link for {link.email} (until {link.expires_at:%Y-%m-%d %H:%M} UTC): {link.url}")
        typer.echo("the e-mails are queued: run `slaforge notify deliver` to send them")


@order_app.command("attach")
def attach(
    external_id: str = typer.Argument(..., help="The order's id in the payment system."),
    customer: str = typer.Option(..., help="Customer id or slug."),
    version: int | None = typer.Option(None, help="The agreement version its payment accepts."),
    amount: int | None = typer.Option(None, min=0, help="Amount in minor units (cents)."),
    currency: str | None = typer.Option(None, help="ISO 4217 code, e.g. EUR."),
    provider: str = typer.Option("stripe", help="stripe, or generic for the HMAC-signed webhook."),
    database_url: str | None = DATABASE,
) -> None:
    """Attach a version to an order: paying the order accepts that version (and only that one)."""
    with _container(database_url) as c:
        customer_id = catalog.find_customer(uow=c.system_uow(), ref=customer).id
        order = payments.attach_order(
            uow=c.system_uow(),
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
        for o in payments.list_orders(uow=c.system_uow(), flagged_only=flagged):
            money = f"{o.amount / 100:.2f} {(o.currency or '').upper()}" if o.amount is not None else "—"
            flag = f"  FLAGGED: {o.flagged_reason}" if o.flagged_reason else ""
            typer.echo(
                f"{o.id:>5}  {o.provider:<8} {o.external_id:<24} {o.status:<9} {money:>14}  "
                f"version {o.version_id or '—'}{flag}"
            )
