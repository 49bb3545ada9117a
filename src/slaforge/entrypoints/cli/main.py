"""The `slaforge` command: assembles the command groups and renders errors without tracebacks."""

from __future__ import annotations

import sys
import traceback
from typing import NoReturn

import typer
from pydantic import ValidationError

from slaforge import __version__
from slaforge.config import Settings
from slaforge.domain.errors import SlaforgeError
from slaforge.entrypoints.cli.agreement import acceptance as acceptance_cmds
from slaforge.entrypoints.cli.agreement import agreements as agreement_cmds
from slaforge.entrypoints.cli.background import analyze as analyze_cmd
from slaforge.entrypoints.cli.background import calendars as calendar_cmds
from slaforge.entrypoints.cli.background import expectations as expectation_cmds
from slaforge.entrypoints.cli.background import imports as import_cmds
from slaforge.entrypoints.cli.background import studies as study_cmds
from slaforge.entrypoints.cli.container import act_as
from slaforge.entrypoints.cli.platform import accounts as account_cmds
from slaforge.entrypoints.cli.platform import audit as audit_cmds
from slaforge.entrypoints.cli.platform import customers as customer_cmds
from slaforge.entrypoints.cli.platform import db as db_cmds
from slaforge.entrypoints.cli.platform import demo as demo_cmd
from slaforge.entrypoints.cli.platform import serve as serve_cmds

EXIT_REFUSED = 2  # a usage error (the framework's own status) or a deliberate SlaforgeError
EXIT_FAULT = 3  # an unexpected failure: a bug, or a database that cannot be reached

app = typer.Typer(
    name="slaforge",
    help="Establish service level agreements from real service history, then keep them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(calendar_cmds.app, name="calendar")
app.command("serve")(serve_cmds.serve)
app.command("worker")(serve_cmds.worker)
app.command("init")(account_cmds.init)
app.add_typer(account_cmds.user_app, name="user")
app.add_typer(account_cmds.token_app, name="token")
app.add_typer(db_cmds.app, name="db")
app.add_typer(customer_cmds.app, name="customer")
app.add_typer(import_cmds.app, name="import")
app.command("demo")(demo_cmd.demo)
app.add_typer(audit_cmds.app, name="audit")
app.add_typer(agreement_cmds.app, name="agreement")
app.add_typer(acceptance_cmds.notify_app, name="notify")
app.add_typer(acceptance_cmds.order_app, name="order")
app.command("analyze")(analyze_cmd.analyze)
app.add_typer(study_cmds.app, name="study")
app.add_typer(expectation_cmds.app, name="expectations")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slaforge {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    acting_as: str = typer.Option(
        "",
        "--as",
        metavar="EMAIL",
        help="Act as this user: every query sees only what that user may see (a customer's user "
        "sees its own organisation only); customer and user commands also check its rights. "
        "Default: the operator, who sees all.",
    ),
) -> None:
    """slaforge: SLAs from your own service history, kept in exact business time."""
    act_as(acting_as)


def settings_problem(exc: ValidationError) -> str:
    """Unsafe or malformed settings as one line naming the environment variables at fault."""
    parts = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:  # a field's own check; a check across fields names its variable itself
            message = f"SLAFORGE_{str(error['loc'][0]).upper()}: {message}"
        parts.append(message)
    return "; ".join(parts)


def run() -> None:
    """Console entry point; the exit statuses are README's table ("Exit statuses").

    Usage errors are the framework's to report, in its standalone mode: the usage line, the
    error and a hint, exit 2; bare `slaforge` shows the help; a command's own status
    (`typer.Exit(1)` from `audit verify`, `Aborted!` when a question is answered no) is the
    process's. A deliberate error of slaforge's prints one clear line and exits 2. Anything
    else is a fault, not an answer: its traceback is printed and the status is 3, so that 1
    keeps meaning what the command says it means (the audit log was tampered with)."""
    try:
        app(standalone_mode=True)
    except SlaforgeError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg=typer.colors.RED)
        sys.exit(EXIT_REFUSED)
    except ValidationError as exc:
        if exc.title != Settings.__name__:  # only the settings are the user's to fix here
            _fault()
        typer.secho(f"error: {settings_problem(exc)}", err=True, fg=typer.colors.RED)
        sys.exit(EXIT_REFUSED)
    except Exception:
        _fault()


def _fault() -> NoReturn:
    traceback.print_exc()
    typer.secho("error: slaforge failed unexpectedly (the traceback is above)", err=True, fg=typer.colors.RED)
    sys.exit(EXIT_FAULT)
