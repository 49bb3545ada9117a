"""`slaforge readiness …`: step 4 — configure an accepted agreement's readiness from a YAML/JSON
file, check it (exit status 0 only when ready), send test notifications, waive an item with a
reason, and go live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
import yaml

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.entrypoints.cli.container import operator
from slaforge.entrypoints.cli.readiness import holidays, sample, shadow, tokens
from slaforge.services.readiness import (
    checks,
    configuration,
    go_live,
    proofs,
    scheduled,
    test_events,
    waivers,
)

app = typer.Typer(
    help="Readiness of an accepted agreement: check, configure, test channels, waive, go live.",
    no_args_is_help=True,
)
Agreement = Annotated[int, typer.Argument(help="Agreement id.")]
EXIT_NOT_READY = 1


@app.callback()
def readiness() -> None:
    """Readiness of an accepted agreement: check, configure, test channels, waive, go live."""


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML reads JSON too
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read the configuration from {path}: {exc}", field="file") from exc


def _as_json(view: checks.ReadinessView) -> dict[str, Any]:
    return {
        "agreement_id": view.agreement_id,
        "version_id": view.version_id,
        "version": view.number,
        "state": view.state,
        "ready": view.ready,
        "went_live_at": view.went_live_at.isoformat() if view.went_live_at else None,
        "frozen_sha256": view.frozen_sha256,
        "definitions": view.definitions,
        "items": [
            {"key": i.key, "objective": i.objective, "label": i.label, "kind": i.kind, "state": i.state.value,
             "reason": i.reason, "next": i.next_step}
            for i in view.items
        ],
    }  # fmt: skip


@app.command("check")
def check(
    agreement: Agreement,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Every item of every clause with its state, reason and next step; exit 0 only when ready."""
    if output not in ("text", "json"):
        raise InvalidInput("must be text or json", field="format", value=output)
    c = open_container()
    view = checks.check_readiness(uow=c.command_uow(), agreement_id=agreement, now=c.clock())
    if output == "json":
        typer.echo(json.dumps(_as_json(view), indent=2, ensure_ascii=False))
    else:
        typer.echo(
            f"agreement {view.agreement_id} version {view.number} (id {view.version_id}): {view.state}"
        )
        for line in view.definitions:
            typer.echo(f"  {line}")
        for i in view.items:
            step = "" if i.next_step == "nothing" else f" — next: {i.next_step}"
            typer.echo(f"{i.state.value:8} {i.key} {i.label}: {i.reason}{step}")
        if view.went_live_at:
            since = f"{view.went_live_at:%Y-%m-%d %H:%M} UTC"
            typer.echo(f"live since {since}; configuration SHA-256 {view.frozen_sha256}")
        else:
            open_items = len(view.gaps)
            typer.echo("ready to go live" if view.ready else f"not ready: {open_items} item(s) open")
    if not view.ready:
        raise typer.Exit(EXIT_NOT_READY)


@app.command("configure")
def configure(
    agreement: Agreement,
    file: Annotated[Path, typer.Argument(help="The configuration, YAML or JSON (docs/readiness.md).")],
) -> None:
    """Set the readiness configuration of the agreement's accepted version (replaces it whole)."""
    c = open_container()
    view = configuration.configure(
        uow=c.command_uow(), agreement_id=agreement, raw=_read(file), actor=operator(c), now=c.clock()
    )
    configured = sum(1 for e in view.config["objectives"] if e)
    typer.echo(
        f"configured agreement {view.agreement_id} version {view.number}: {configured} of "
        f"{len(view.config['objectives'])} objective(s), {len(view.config['reports'])} report definition(s)"
    )


@app.command("show")
def show(agreement: Agreement) -> None:
    """The configuration in effect, as YAML (the starting point for `configure`)."""
    c = open_container()
    view = configuration.get_config(uow=c.command_uow(), agreement_id=agreement)
    frozen = f"; frozen, SHA-256 {view.frozen_sha256}" if view.frozen_sha256 else ""
    typer.echo(f"# agreement {view.agreement_id} version {view.number} (id {view.version_id}){frozen}")
    typer.echo(yaml.safe_dump(view.config, sort_keys=False, allow_unicode=True).rstrip())


@app.command("test-channel")
def send_test(
    agreement: Agreement,
    channel: Annotated[str, typer.Argument(help="email, webhook or slack (the channel the ladders use).")],
) -> None:
    """Queue a test notification through CHANNEL to everyone the ladders notify by it; once the
    outbox delivered it (`slaforge notify send` or the worker), the check records the proof."""
    c = open_container()
    sent = proofs.send_channel_test(
        uow=c.command_uow(), agreement_id=agreement, channel=channel, actor=operator(c), now=c.clock()
    )
    if sent.queued:
        typer.echo(f"queued a test {sent.channel} notification to {', '.join(sent.recipients)}")
    else:
        typer.echo(f"a test {sent.channel} notification to {', '.join(sent.recipients)} was queued before")


@app.command("waive")
def waive(
    agreement: Agreement,
    item: str = typer.Argument(..., help="The item, e.g. objectives[0].tracking."),
    reason: Annotated[str, typer.Option("--reason", help="Why it is waived (required).")] = "",
) -> None:
    """Waive one item with a written reason (a manager's decision, audited)."""
    c = open_container()
    done = waivers.waive(
        uow=c.command_uow(),
        agreement_id=agreement,
        item=item,
        reason=reason,
        actor=operator(c),
        now=c.clock(),
    )
    verb = "waived" if done.new else "already waived"
    typer.echo(f"{verb} {done.item} of agreement {done.agreement_id} by {done.user}: {done.reason}")


@app.command("go-live")
def go_live_command(agreement: Agreement) -> None:
    """Make the accepted version active once every item is ok or waived; freezes the configuration."""
    c = open_container()
    live = go_live.go_live(uow=c.command_uow(), agreement_id=agreement, actor=operator(c), now=c.clock())
    verb = "went live" if live.new else "was already live"
    typer.echo(
        f"agreement {live.agreement_id} version {live.number} {verb} at "
        f"{live.went_live_at:%Y-%m-%d %H:%M} UTC: {live.state}"
    )
    typer.echo(f"configuration SHA-256: {live.frozen_sha256}")


@app.command("test-event")
def send_test_event(
    agreement: Agreement,
    objective: Annotated[int, typer.Option(help="The objective's index in the terms.")] = 0,
    api_url: Annotated[str, typer.Option(help="The server's base URL (default: SLAFORGE_PUBLIC_URL).")] = "",
    token: Annotated[
        str,
        typer.Option(
            envvar="SLAFORGE_INGESTION_TOKEN",
            help="The agreement's ingestion token, sfi_… (from `readiness token create`).",
        ),
    ] = "",
) -> None:
    """Send a test ticket in OBJECTIVE's scope through the event API (POST /api/v1/ingest/tickets)
    with the agreement's ingestion token, then check: the tracking item passes once it arrived."""
    if not token:
        raise InvalidInput("give an ingestion token (--token or SLAFORGE_INGESTION_TOKEN)", field="token")
    c = open_container()
    body = test_events.test_event(
        uow=c.command_uow(), agreement_id=agreement, objective=objective, actor=operator(c), now=c.clock()
    )
    body.pop("customer_id", None)  # the token says whose ticket it is
    base = (api_url or c.settings.public_url).rstrip("/")
    if not base:
        raise InvalidInput("give the server's URL (--api-url or SLAFORGE_PUBLIC_URL)", field="api_url")
    url = f"{base}/api/v1/ingest/tickets"
    try:
        answer = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    except httpx.HTTPError as exc:
        raise InvalidInput(f"cannot reach the event API at {base}: {exc}", field="api_url") from exc
    if answer.status_code not in (200, 201):
        field = "token" if answer.status_code in (401, 403) else None
        raise InvalidInput(f"the event API answered {answer.status_code}: {answer.text[:500]}", field=field)
    typer.echo(f"sent ticket {body['external_id']} ({body['priority']}) through {url}")
    view = checks.check_readiness(uow=c.command_uow(), agreement_id=agreement, now=c.clock())
    item = next(i for i in view.items if i.key == f"objectives[{objective}].tracking")
    typer.echo(f"{item.state.value:8} {item.key} {item.label}: {item.reason}")


app.command("holidays")(holidays.command)
app.command("shadow")(shadow.command)
app.command("sample-report")(sample.command)
app.add_typer(tokens.app, name="token")


@app.command("import")
def run_import(
    agreement: Agreement,
    objective: Annotated[int, typer.Option(help="The objective whose scheduled import to run.")] = 0,
) -> None:
    """Run OBJECTIVE's scheduled import now: its file, or each new file of its folder, with its
    mapping (a file imported before is skipped); then show the objective's tracking item."""
    c = open_container()
    done = scheduled.run_scheduled_import(uow=c.command_uow(), agreement_id=agreement, objective=objective,
                                          actor=operator(c), clock=c.clock)  # fmt: skip
    for f in done:
        typer.echo(f"{f.path}: {f.skipped or f'{f.tickets:,} tickets imported'}")
    view = checks.check_readiness(uow=c.command_uow(), agreement_id=agreement, now=c.clock())
    item = next(i for i in view.items if i.key == f"objectives[{objective}].tracking")
    typer.echo(f"{item.state.value:8} {item.key} {item.label}: {item.reason}")
