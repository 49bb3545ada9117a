"""The `slaforge` command: assembles the command groups and renders errors without tracebacks."""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING, ClassVar, NoReturn

import typer

from slaforge import __version__
from slaforge.domain.errors import SlaforgeError
from slaforge.entrypoints.cli.acting import act_as
from slaforge.entrypoints.cli.lazy import Entry, LazyGroup

if TYPE_CHECKING:
    from pydantic import ValidationError


class Commands(LazyGroup):
    """slaforge's commands in `--help` order, each loaded only when run (lazy.py)."""

    entries: ClassVar[dict[str, Entry]] = {
        "serve": Entry(
            "platform.serve", "serve", "Serve the web UI and the API (http://HOST:PORT/, API under /api/v1)."
        ),
        "worker": Entry(
            "platform.serve",
            "worker",
            "Run the background jobs in the foreground: lapse expired offers and send due e-mails and "
            "webhooks, every INTERVAL seconds until interrupted.",
        ),
        "init": Entry(
            "platform.accounts", "init", "Prepare the database and create the first provider admin."
        ),
        "demo": Entry(
            "platform.demo",
            "demo",
            "Create a fresh demo database from real service history, explain a few SLA clocks, and serve it.",
        ),
        "analyze": Entry(
            "background.analyze",
            "analyze",
            "Study the service history: what can be promised, how sure that is, and what it would have cost.",
        ),
        "calendar": Entry("background.calendars", "app", "Check calendars and compute business time."),
        "user": Entry("platform.accounts", "user_app", "Manage users."),
        "token": Entry("platform.accounts", "token_app", "Manage API tokens."),
        "db": Entry("platform.db", "app", "Create and migrate the database."),
        "customer": Entry("platform.customers", "app", "Create and list customers."),
        "import": Entry("background.imports", "app", "Import service history from exports."),
        "audit": Entry("platform.audit", "app", "Inspect and verify the tamper-evident audit log."),
        "agreement": Entry(
            "agreement.agreements", "app", "Draft, offer and record agreements; manage clause templates."
        ),
        "notify": Entry(
            "agreement.acceptance", "notify_app", "Deliver queued e-mails and webhooks; send signature links."
        ),
        "order": Entry(
            "agreement.acceptance", "order_app", "Orders whose payment accepts an agreement version."
        ),
        "study": Entry("background.studies", "app", "Show and export stored capability studies."),
        "expectations": Entry(
            "background.expectations", "app", "Customer expectations and the gap against the service history."
        ),
        "relationship": Entry(
            "relationship.commands",
            "app",
            "Responsibilities, obligations, underpinning contracts, meetings and tasks of an agreement.",
        ),
        "readiness": Entry(
            "readiness.commands",
            "app",
            "Readiness of an accepted agreement: check, configure, test channels, waive, go live.",
        ),
        "events": Entry("live.events", "app", "Deliver ticket events to the live clocks."),
        "openslo": Entry("live.openslo", "app", "Availability objectives to and from OpenSLO YAML."),
        "compliance": Entry(
            "live.compliance", "app", "Compliance per objective and period, and the credits it earns."
        ),
        "clocks": Entry(
            "live.clocks",
            "app",
            "Live SLA clocks: show a ticket's, list an agreement's, repair.",
        ),
    }


EXIT_REFUSED = 2  # a usage error (the framework's own status) or a deliberate SlaforgeError
EXIT_FAULT = 3  # an unexpected failure: a bug, or a database that cannot be reached

app = typer.Typer(
    name="slaforge",
    help="Establish service level agreements from real service history, then keep them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=Commands,
)


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
    except Exception as exc:
        # pydantic and the settings are imported only now, so that --version and --help stay light.
        from pydantic import ValidationError

        from slaforge.config import Settings

        if not isinstance(exc, ValidationError) or exc.title != Settings.__name__:
            _fault()  # only the settings are the user's to fix here; anything else is a fault
        typer.secho(f"error: {settings_problem(exc)}", err=True, fg=typer.colors.RED)
        sys.exit(EXIT_REFUSED)


def _fault() -> NoReturn:
    traceback.print_exc()
    typer.secho("error: slaforge failed unexpectedly (the traceback is above)", err=True, fg=typer.colors.RED)
    sys.exit(EXIT_FAULT)
