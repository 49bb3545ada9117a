"""`slaforge init`, `slaforge user create` and `slaforge token create`."""

from __future__ import annotations

import typer

from slaforge.adapters.db.migrate import upgrade
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.container import cli_container
from slaforge.services.platform import accounts, catalog
from slaforge.services.platform import tokens as api_tokens

user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)

PASSWORD = typer.Option(
    ...,
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="SLAFORGE_NEW_PASSWORD",
    help="At least 10 characters; asked for when not given (or set SLAFORGE_NEW_PASSWORD).",
)


def init(
    email: str = typer.Option(..., prompt=True, help="E-mail address of the first admin."),
    password: str = PASSWORD,
    name: str = typer.Option("", help="Display name."),
) -> None:
    """Prepare the database and create the first provider admin."""
    container = cli_container()
    upgrade(container.settings.database_url)
    user = accounts.init_first_admin(
        uow=container.system_uow(), email=email, password=password, display_name=name
    )
    typer.echo(f"created admin {user.email}; sign in at /sign-in after `slaforge serve`")


@user_app.command("create")
def create_user(
    email: str = typer.Option(..., help="E-mail address (the sign-in name)."),
    role: str = typer.Option(..., help="admin, manager, agent, customer-admin or viewer."),
    customer: str = typer.Option("", help="Customer id or slug (customer roles only)."),
    password: str = PASSWORD,
    name: str = typer.Option("", help="Display name."),
) -> None:
    """Create a user."""
    container = cli_container()
    customer_id = catalog.find_customer(uow=container.command_uow(), ref=customer).id if customer else None
    try:
        user = accounts.create_user(
            uow=container.command_uow(),
            actor=container.acting,  # None: the operator, who may create anyone
            email=email,
            password=password,
            role=role,
            customer_id=customer_id,
            display_name=name,
        )
    except InvalidInput as exc:
        if exc.field != "customer_id":
            raise
        # The service names its parameter; on the command line the user typed an option.
        raise InvalidInput(str(exc).split(": ", 1)[-1], field="--customer", value=customer) from exc
    typer.echo(f"created {user.role} {user.email}")


@token_app.command("create")
def create_token(
    email: str = typer.Option(..., help="The user the token acts as."),
    name: str = typer.Option(..., help="What the token is for, e.g. 'ticket sync'."),
    days: int = typer.Option(90, min=1, max=1825, help="Days until it expires."),
) -> None:
    """Create an API token and print it (once: only its hash is stored)."""
    container = cli_container()
    token, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email=email, name=name, days=days, now=container.clock()
    )
    typer.echo(f"token '{token.name}' for {email}, expires {token.expires_at:%Y-%m-%d}:")
    typer.echo(secret)
