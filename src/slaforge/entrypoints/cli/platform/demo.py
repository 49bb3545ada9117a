"""`slaforge demo`: build the demo database and show a few clocks with the intervals behind them."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from slaforge.bootstrap import bootstrap, system_clock, units_on
from slaforge.config import Settings, get_settings
from slaforge.domain.agreement.drafting import percent
from slaforge.domain.time.clocks.model import ClockResult, ClockState, Span
from slaforge.domain.time.durations import format_duration
from slaforge.entrypoints.cli.platform.demo_live import live_lines, months_lines
from slaforge.entrypoints.cli.platform.demo_readiness import readiness_lines
from slaforge.entrypoints.cli.platform.demo_story import agreement_lines, relationship_lines, trade_off
from slaforge.entrypoints.cli.platform.serve import free_port, run_server
from slaforge.entrypoints.worker import run_pass
from slaforge.services.demo.agreements import PROVIDER
from slaforge.services.demo.live import DemoLive, run_demo_live
from slaforge.services.demo.months import DemoMonths, run_demo_months
from slaforge.services.demo.people import DemoAccount, create_demo_accounts
from slaforge.services.demo.readiness import demo_go_live
from slaforge.services.demo.walk import (
    PRIORITIES,
    DemoResult,
    SampleTicket,
    demo_checkpoints_path,
    demo_outbox_path,
    run_demo,
)
from slaforge.services.readiness.go_live import LiveView

SHOWN_SPANS = 3  # per list; the rest is counted, so the output stays short


def demo(
    synthetic: Annotated[
        bool, typer.Option("--synthetic", help="Use a generated history even when the real log is present.")
    ] = False,
    incidents: Annotated[
        int, typer.Option(min=10, max=200_000, help="Incidents in a generated history.")
    ] = 3000,
    seed: Annotated[int, typer.Option(help="Seed of a generated history (same seed, same history).")] = 2016,
    data_dir: Annotated[
        Path | None, typer.Option(help="Where demo/ is created (default: SLAFORGE_DATA_DIR).")
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web server on the demo database afterwards.")
    ] = True,
    port: Annotated[
        int, typer.Option(help="Port for the demo server, or the printed serve command's (0: any free port).")
    ] = 8000,
) -> None:
    """Create a fresh demo database from real service history, explain a few SLA clocks, and serve it.

    The demo signs in a provider admin, a manager, and a viewer for each of two customers;
    their passwords are printed once. Its e-mails land as .eml files in demo/outbox/, with or
    without the server.
    """
    settings = get_settings()
    folder = data_dir or settings.data_dir
    # The port is known before the agreement is offered, so the e-mailed link has the full address.
    if port == 0 or not _port_free(port):
        port = free_port()
    base = f"http://127.0.0.1:{port}"
    result = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=folder,
        shared_data_dir=settings.shared_data_dir,
        progress=lambda msg: typer.echo(f"· {msg}"),
        use_real_data=not synthetic,
        synthetic_incidents=incidents,
        seed=seed,
        base_url=base,
    )
    outbox = demo_outbox_path(folder)
    demo_settings = _demo_settings(settings, result, outbox)
    people, live, stream, months = _accounts_and_mail(demo_settings, result)
    for line in render(result, live, stream, months):
        typer.echo(line)
    for line in where(result, people, base=base, outbox=outbox, served=serve):
        typer.echo(line)
    if serve:
        skip = command("demo", "--no-serve")
        typer.echo(f"press Ctrl-C to stop the server; to skip it:  {skip}")
        run_server(settings=demo_settings, host="127.0.0.1", port=port, workers=1)


def _demo_settings(settings: Settings, result: DemoResult, outbox: Path) -> Settings:
    return settings.model_copy(
        update={
            "database_url": database_url(result),
            # Without an SMTP server the demo's e-mails would fail and be retried for nothing;
            # with one configured, it wins (bootstrap logs that the folder is ignored).
            "mail_drop_dir": str(outbox),
            # Its own checkpoints: the configured file vouches for the configured database.
            "audit_checkpoint_file": str(demo_checkpoints_path(result.database_path.parent.parent)),
            # The provider hears of the customer's acceptance in the outbox too.
            "notify_provider_email": settings.notify_provider_email or "manager@demo.slaforge.test",
        }
    )


def _accounts_and_mail(
    demo_settings: Settings, result: DemoResult
) -> tuple[list[DemoAccount], LiveView | None, DemoLive | None, DemoMonths | None]:
    """Create the demo accounts and deliver the queued e-mails into the outbox folder, whether or
    not the server runs afterwards: the signature link's e-mail is there before anyone looks. The
    readiness test e-mail is among them; delivered, it proves the ladder's channel, and the
    agreement goes live, and a short stream of a ticket's events makes a clock warn, then breach:
    the escalation e-mails are delivered to the outbox too."""
    container = bootstrap(demo_settings)
    live = stream = months = None
    try:
        people = create_demo_accounts(uow=container.system_uow())
        run_pass(container)
        if result.readiness is not None:
            live = demo_go_live(
                uow=container.system_uow(),
                agreement_id=result.readiness.agreement_id,
                actor=PROVIDER,
                now=container.clock(),
            )
            stream = run_demo_live(
                units=container.system_uow,
                agreement_id=live.agreement_id,
                actor=PROVIDER,
                now=container.clock(),
            )
            if result.study is not None:  # another customer's agreement, live for months
                months = run_demo_months(
                    units=container.system_uow,
                    study_id=result.study.study_id,
                    now=container.clock(),
                    actor=PROVIDER,
                    base_url=demo_settings.public_url,
                )
            run_pass(container)
    finally:
        container.engine.dispose()
    return people, live, stream, months


def database_url(result: DemoResult) -> str:
    return f"sqlite:///{result.database_path}"


def program() -> str:
    """How to call this slaforge from where the demo was run: `slaforge` when that is what the
    PATH finds, else the console script's path (`.venv/bin/slaforge` after `python3 dev.py demo`,
    which puts nothing on the PATH), else the interpreter with `-m slaforge`."""
    script = Path(sys.executable).with_name("slaforge.exe" if os.name == "nt" else "slaforge")
    if not script.is_file():
        return f"{shlex.quote(sys.executable)} -m slaforge"
    found = shutil.which("slaforge")
    if found is not None and Path(found).resolve() == script.resolve():
        return "slaforge"
    try:
        return shlex.quote(str(script.relative_to(Path.cwd())))
    except ValueError:
        return shlex.quote(str(script))


def command(*args: str, env: Mapping[str, str] | None = None) -> str:
    """A command line to copy, '$ ' in front: it runs as printed from the demo's directory."""
    assigned = [f"{k}={shlex.quote(v)}" for k, v in (env or {}).items()]
    return "$ " + " ".join([*assigned, program(), *map(shlex.quote, args)])


def where(
    result: DemoResult, people: list[DemoAccount], *, base: str, outbox: Path, served: bool
) -> list[str]:
    """Where to look, how to sign in, and (without the server) how to serve the demo database."""
    out = [""]
    if served:
        out.append(f"web UI     {base}/   (API: {base}/api/v1/docs)")
    else:
        env = {"SLAFORGE_DATABASE_URL": database_url(result), "SLAFORGE_MAIL_DROP_DIR": str(outbox)}
        port = base.rsplit(":", 1)[1]
        out += [
            f"web UI     not started (--no-serve); serve the demo database on {base}/ with",
            f"           {command('serve', '--port', port, env=env)}",
        ]
    if result.agreements is not None:
        a = result.agreements
        out.append(f"agreement  {base}/console/agreements/versions/{a.version_id}   (PDF: …/document.pdf)")
        out.append(f"audit      {base}/console/audit")
        out.append(f"sign it    {base}{a.link_path}   ({a.offered_customer}: accept it in the browser)")
    out.append(f"e-mails    {outbox} (open the .eml files; the signature link e-mail is there)")
    out.append("sign in as:")
    out += ["  " + account.line() for account in people]
    return out


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def render(
    result: DemoResult,
    live: LiveView | None = None,
    stream: DemoLive | None = None,
    months: DemoMonths | None = None,
) -> list[str]:
    zone = ZoneInfo(result.calendar.timezone)
    s = result.summary
    day = result.calendar.typical_day_seconds()
    out = [""]
    if result.generated:
        out += [
            "!! GENERATED DATA: the ServiceNow log was not found (or --synthetic was given), so this",
            f"!! history was generated (seed {result.seed}). Its figures describe no real provider.",
        ]
    else:
        out.append(f"history    {result.history_path} (real ServiceNow incident log, UCI no. 498)")
    out += [
        f"imported   {s.rows_read:,} rows → {s.tickets:,} tickets, {s.events:,} events "
        f"in {s.seconds:.1f} s ({s.rows_rejected} rows rejected)",
        f"calendar   {result.calendar_name}: {_hours(result)}",
    ]
    a = result.agreements
    if a is not None:
        out += trade_off(a, day)
    if result.agreed_targets and a is not None:
        whose = f"targets    the drafted agreement's (version id {a.version_id}, {percent(a.level)})"
    else:
        whose = "targets    illustrative (no agreement was drafted from the study)"
    out += [
        f"{whose}, in business time; a business day (d) is {format_duration(day)}",
        f"  first response  {_targets(result.response.targets, day)}",
        f"  resolution      {_targets(result.resolution.targets, day)}",
        f"  clocks pause while: {', '.join(sorted(result.response.pause_statuses))}",
        f"as of      {_at(result.now, zone)} (the end of the history); all times {zone.key}",
        "",
    ]
    for sample in result.samples:
        out += _sample(sample, zone)
    if a is not None:
        db = {"SLAFORGE_DATABASE_URL": database_url(result)}
        show = command("agreement", "show", str(a.version_id), env=db)
        checkpoints = str(demo_checkpoints_path(result.database_path.parent.parent))
        verify = command(
            "audit", "verify", "--database-url", database_url(result), "--checkpoints", checkpoints
        )
        out += agreement_lines(a, show=show, verify=verify)
        ob = a.relationship.obligation.explanation if a.relationship else None
        explain = None
        if ob is not None:
            explain = command(
                "relationship", "obligations", "explain", str(a.agreement_id), ob.ticket.external_id, env=db
            )
        out += relationship_lines(
            a,
            show=command("relationship", "responsibilities", "show", str(a.agreement_id), env=db),
            explain=explain,
            tasks=command("relationship", "tasks", "list", "--agreement", str(a.agreement_id), env=db),
            check=command("relationship", "underpinning", "check", str(a.agreement_id), env=db),
            appendix=command("relationship", "underpinning", "appendix", str(a.agreement_id), env=db),
        )
    if result.readiness is not None:
        r = result.readiness
        aid = str(r.agreement_id)
        out += readiness_lines(
            r,
            live,
            check=command("readiness", "check", aid, env=db),
            shadow=command(
                "readiness",
                "shadow",
                aid,
                "--from",
                r.shadow["period"]["start"][:10],
                "--to",
                r.shadow["period"]["end"][:10],
                env=db,
            ),
        )
        if stream is not None:
            out += live_lines(stream, show=command("clocks", "show", stream.external_id, env=db))
        if months is not None:
            last = months.months[-1]
            show = command("compliance", "show", str(months.agreement_id), "--period", last, env=db)
            out += months_lines(months, show=show)
    out.append(f"database   {result.database_path}")
    return out


def _hours(result: DemoResult) -> str:
    """'UTC; Mon–Fri 08:00-17:00': runs of days with the same hours are written as one range."""
    hours = result.calendar.to_dict()["hours"]
    runs: list[tuple[str, str, str]] = []  # first day, last day, hours
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        text = " ".join(hours.get(day, [])) or "closed"
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    parts = [f"{a.capitalize()}{'' if a == b else '–' + b.capitalize()} {h}" for a, b, h in runs]
    return f"{result.calendar.timezone}; " + ", ".join(parts)


def _targets(targets: Mapping[str, float], day: float) -> str:
    def one(seconds: float) -> str:
        days = seconds / day
        return format_duration(seconds) + (f" ({days:g}d)" if days >= 1 and days.is_integer() else "")

    # Every priority the demo walks through, "none" where the agreement sets no target for it.
    names = dict.fromkeys([*PRIORITIES, *targets])
    return ", ".join(f"{p} {one(targets[p]) if p in targets else 'none'}" for p in names)


def _at(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def _sample(t: SampleTicket, zone: ZoneInfo) -> list[str]:
    notes = [n for n, on in (("waited on someone", t.waited), ("reopened", t.reopened)) if on]
    head = f"{t.external_id}  {t.priority}  {t.category or 'no category'}  opened {_at(t.created_at, zone)}"
    lines = [head + (f"  [{', '.join(notes)}]" if notes else "")]
    lines += _clock("first response", t.response, t.priority, zone)
    lines += _clock("resolution", t.resolution, t.priority, zone)
    lines.append("")
    return lines


def _clock(label: str, c: ClockResult, ticket_priority: str, zone: ZoneInfo) -> list[str]:
    target = format_duration(c.target_seconds) if c.target_seconds is not None else "no target"
    if c.priority is not None and c.priority != ticket_priority:
        target += f" ({c.priority})"  # re-prioritised after this clock stopped
    if c.breached:
        verdict = f"BREACHED at {_at(c.breached_at, zone)}"
    elif c.state is ClockState.STOPPED:
        verdict = f"met, due {_at(c.due_at, zone)}"
    else:
        verdict = f"{c.state.value}, due {_at(c.due_at, zone)}"
    stopped = f"; stopped {_at(c.stopped_at, zone)}" if c.stopped_at is not None else ""
    lines = [f"  {label:<15} {format_duration(c.elapsed_seconds)} of {target} → {verdict}{stopped}"]
    lines += _spans("counted", c.counted, zone)
    lines += _spans("paused", c.paused, zone)
    return lines


def _spans(label: str, spans: tuple[Span, ...], zone: ZoneInfo) -> list[str]:
    lines = []
    for i, (a, b) in enumerate(spans[:SHOWN_SPANS]):
        la, lb = a.astimezone(zone), b.astimezone(zone)
        end = lb.strftime("%H:%M") if la.date() == lb.date() else lb.strftime("%a %Y-%m-%d %H:%M")
        what = label if i == 0 else ""
        lines.append(
            f"      {what:<8} {la:%a %Y-%m-%d %H:%M} → {end}  ({format_duration((b - a).total_seconds())})"
        )
    if len(spans) > SHOWN_SPANS:
        lines.append(f"               … {len(spans) - SHOWN_SPANS} more")
    return lines
