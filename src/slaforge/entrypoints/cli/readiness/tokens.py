"""`slaforge readiness token create|list|revoke AGREEMENT`: the agreement's ingestion tokens, which
a tracking system presents to deliver the customer's tickets (POST /api/v1/ingest/tickets)."""

from __future__ import annotations

from typing import Annotated

import typer

from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.services.readiness import ingestion

app = typer.Typer(help="Ingestion tokens of an agreement: create, list, revoke.", no_args_is_help=True)
Agreement = Annotated[int, typer.Argument(help="Agreement id.")]


@app.command("create")
def create(
    agreement: Agreement,
    label: Annotated[str, typer.Option(help="Where the token is used, e.g. 'Zendesk production'.")],
) -> None:
    """Make a token for the agreement's customer; prints the secret, shown this once."""
    c = open_container()
    token, secret = ingestion.create_token(uow=c.command_uow(), agreement_id=agreement, label=label,
                                           actor=operator(c), now=c.clock())  # fmt: skip
    typer.echo(f"ingestion token {token.id} '{token.label}' for agreement {token.agreement_id} "
               "(copy it now: it is shown this once):")  # fmt: skip
    typer.echo(secret)


@app.command("list")
def list_(agreement: Agreement) -> None:
    """The agreement's tokens (never their secrets)."""
    c = open_container()
    for t in ingestion.list_tokens(uow=c.command_uow(), agreement_id=agreement):
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        typer.echo(
            f"{t.id:>4}  {t.label}  ({state}; made by {t.created_by} {t.created_at:%Y-%m-%d %H:%M} UTC)"
        )


@app.command("revoke")
def revoke(agreement: Agreement, token: Annotated[int, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token: deliveries with it are refused from now on (audited)."""
    c = open_container()
    uow, actor, now = c.command_uow(), operator(c), c.clock()
    view = ingestion.revoke_token(uow=uow, agreement_id=agreement, token_id=token, actor=actor, now=now)
    typer.echo(f"ingestion token {view.id} '{view.label}' revoked at {view.revoked_at:%Y-%m-%d %H:%M} UTC")
