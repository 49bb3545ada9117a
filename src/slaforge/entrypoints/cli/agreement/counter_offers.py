"""`slaforge agreement accept-counter | decline-counter`: the provider's answers to a customer's
counter-offer (registered on the agreement group in agreement_cmds)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container, say_ref
from slaforge.services.agreement.counter_offers import accept_counter as accept_counter_offer
from slaforge.services.agreement.counter_offers import decline_counter as decline_counter_offer


def accept_counter(
    version: int = typer.Argument(..., help="Id of the draft holding the customer's counter-offer."),
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Send the link here instead (repeatable; default: who proposed it)."),
    ] = None,
    expires_days: int | None = typer.Option(None, min=1, help="The offer lapses after this many days."),
    actor: str = ACTOR,
) -> None:
    """Accept a counter-offer as proposed: offer it unchanged, send its proposer a signature link."""
    c = open_container()
    now = c.clock()
    sent = accept_counter_offer(
        uow=c.command_uow(),
        version_id=version,
        actor=acting(actor),
        now=now,
        base_url=c.settings.public_url or "http://127.0.0.1:8000",
        link_days=c.settings.signature_link_days,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
        recipients=to or None,
    )
    say_ref(sent.version, "offered the counter-offer as proposed:")
    for link in sent.links:
        typer.echo(f"link for {link.email} (until {link.expires_at:%Y-%m-%d %H:%M} UTC): {link.url}")


def decline_counter(
    version: int = typer.Argument(..., help="Id of the draft holding the customer's counter-offer."),
    reason: str = typer.Option("", help="Why, for the customer and the audit log."),
    actor: str = ACTOR,
) -> None:
    """Decline a counter-offer: its draft is withdrawn and the customer is told why."""
    c = open_container()
    say_ref(
        decline_counter_offer(
            uow=c.command_uow(), version_id=version, actor=acting(actor), now=c.clock(), reason=reason
        ),
        "declined the counter-offer:",
    )
