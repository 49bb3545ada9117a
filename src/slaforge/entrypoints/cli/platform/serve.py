"""`slaforge serve`: the web UI and the API in one uvicorn server (with the background scheduler),
plus `run_server` for the demo; `slaforge worker`: the scheduler alone, for scale-out."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable

import typer

from slaforge.config import Settings, get_settings
from slaforge.domain.errors import InvalidInput

# Settings a worker process must see the same as the parent (workers read the environment).
_EXPORTED = (
    "environment",
    "database_url",
    "data_dir",
    "secret_key",
    "log_level",
    "max_body_bytes",
    "upload_max_bytes",
    "session_max_age",
    "token_default_days",
    "public_url",
    "scheduler_interval",
)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the demo and the browser tests use it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def run_server(
    *,
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    migrate: bool = True,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Migrate (unless told not to), then serve until interrupted. Blocks.

    With one worker the app is built here from `settings`; with more, each worker
    process builds its own from the environment, which this exports first.
    """
    import uvicorn

    from slaforge.adapters.db.migrate import upgrade
    from slaforge.bootstrap import bootstrap
    from slaforge.entrypoints.asgi import build_app

    settings = settings or get_settings()
    try:
        settings.check_secret_for_serving()
    except ValueError as exc:  # shown as one line by the CLI, not as a traceback
        raise InvalidInput(str(exc), field="SLAFORGE_SECRET_KEY") from exc
    configure_logging(settings.log_level)
    if migrate:
        upgrade(settings.database_url)
    if on_ready is not None:
        on_ready()
    log_level = settings.log_level.lower()
    if workers <= 1:
        uvicorn.run(build_app(bootstrap(settings)), host=host, port=port, log_level=log_level)
        return
    for name in _EXPORTED:
        os.environ[f"SLAFORGE_{name.upper()}"] = str(getattr(settings, name))
    uvicorn.run(
        "slaforge.entrypoints.asgi:asgi_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (uvicorn)."),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Upgrade the database schema first."),
) -> None:
    """Serve the web UI and the API (http://HOST:PORT/, API under /api/v1)."""
    run_server(
        host=host,
        port=port,
        workers=workers,
        migrate=migrate,
        # Announced only once the settings are known to be safe to serve with.
        on_ready=lambda: typer.echo(f"slaforge serving on http://{host}:{port}/  (API docs: /api/v1/docs)"),
    )


def worker(
    once: bool = typer.Option(False, "--once", help="Run one pass and exit (for cron or a health check)."),
    interval: int | None = typer.Option(
        None, min=1, help="Seconds between passes (default: SLAFORGE_SCHEDULER_INTERVAL, or 30 if that is 0)."
    ),
) -> None:
    """Run the background jobs in the foreground: lapse expired offers and send due e-mails and
    webhooks, every INTERVAL seconds until interrupted. Start any number, on any host, next to
    servers run with SLAFORGE_SCHEDULER_INTERVAL=0; they share the work through the database."""
    import signal

    from slaforge.bootstrap import bootstrap
    from slaforge.entrypoints.worker import Scheduler, run_pass

    settings = get_settings()
    configure_logging(settings.log_level)
    container = bootstrap(settings)
    try:
        if once:
            report = run_pass(container)
            if report.lapsed:
                typer.echo(f"{report.lapsed} offer(s) lapsed")
            typer.echo(str(report.delivery))
            return
        every = interval or settings.scheduler_interval or 30
        scheduler = Scheduler(container, every)
        signal.signal(signal.SIGTERM, lambda *_: scheduler.stop(timeout=0))
        typer.echo(f"slaforge worker: a pass every {every} s (Ctrl-C to stop)")
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            scheduler.stop(timeout=0)
    finally:
        container.engine.dispose()
