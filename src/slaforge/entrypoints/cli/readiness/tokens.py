"""`slaforge readiness token create|list|revoke AGREEMENT`: the agreement's ingestion tokens, which
a tracking system presents to deliver the customer's tickets (POST /api/v1/ingest/tickets)."""

from __future__ import annotations

from typing import Annotated

import typer

from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.services.readiness import ingestion

app = typer.Typer(
    help="Ingestion tokens of an agreement: create, list, revoke, set a webhook signing secret.",
    no_args_is_help=True,
)
Agreement = Annotated[int, typer.Argument(help="Agreement id.")]


@app.command("create")
def create(
    agreement: Agreement,
    label: Annotated[str, typer.Option(help="Where the token is used, e.g. 'Zendesk production'.")],
) -> None:
    """Make a token for the agreement's customer; prints the secret, shown this once."""
    c = open_container()
    token, secret = ingestion.create_token(
        uow=c.command_uow(), agreement_id=agreement, label=label, actor=operator(c), now=c.clock()
    )
    typer.echo(
        f"ingestion token {token.id} '{token.label}' for agreement {token.agreement_id} "
        "(copy it now: it is shown this once):"
    )
    typer.echo(secret)


@app.command("list")
def list_(agreement: Agreement) -> None:
    """The agreement's tokens (never their secrets)."""
    c = open_container()
    for t in ingestion.list_tokens(uow=c.command_uow(), agreement_id=agreement):
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        state += ", webhooks signed" if t.signed else ""
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


@app.command("signing-secret")
def signing_secret(
    agreement: Agreement,
    token: Annotated[int, typer.Argument(help="The token's id.")],
    secret: Annotated[
        str,
        typer.Option(
            envvar="SLAFORGE_WEBHOOK_SIGNING_SECRET",
            prompt=True,
            hide_input=True,
            help="The secret the system signs its webhooks with (Zendesk shows it; for Jira and "
            "ServiceNow choose one of 16 to 200 characters).",
        ),
    ],
) -> None:
    """Set the secret the tracking system signs its webhooks with: from now on webhooks delivered
    with this token must carry a valid signature under it (audited; never printed)."""
    c = open_container()
    view = ingestion.set_signing_secret(
        uow=c.command_uow(),
        agreement_id=agreement,
        token_id=token,
        secret=secret,
        actor=operator(c),
        now=c.clock(),
    )
    typer.echo(f"ingestion token {view.id} '{view.label}': webhooks must now be signed with the secret given")
