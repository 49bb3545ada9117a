"""`slaforge events post FILE`: deliver a file of ticket events to the live clocks, as the batch
API takes them (all or nothing), with an agreement's ingestion token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.api.schemas.live.clocks import BatchIn
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.services.live import ingest

app = typer.Typer(help="Deliver ticket events to the live clocks.", no_args_is_help=True)


def read_items(path: Path) -> list[Any]:
    """A JSON array of items, {"items": [...]}, or JSON Lines (one item per line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field="FILE") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole:
        if len(text.strip().splitlines()) < 2:
            raise InvalidInput(f"not JSON: {whole.msg}", field="FILE", row=whole.lineno) from whole
        data = None  # JSON Lines, read below
    if data is not None:
        items = data.get("items") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InvalidInput('give a JSON array of items, {"items": [...]}, or JSON Lines', field="FILE")
        return items
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"not JSON: {exc.msg}", field="FILE", row=number) from exc
    return out


def validated(items: list[Any]) -> list[dict[str, Any]]:
    try:
        batch = BatchIn.model_validate({"items": items})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        raise InvalidInput(str(first["msg"]), field=where) from None
    return [{"ticket": i.ticket.model_dump(), "event": i.event.model_dump()} for i in batch.items]


@app.command("post")
def post(
    file: Annotated[
        Path, typer.Argument(help='JSON array, {"items": [...]}, or JSON Lines of {ticket, event}.')
    ],
    token: Annotated[
        str,
        typer.Option(
            envvar="SLAFORGE_INGESTION_TOKEN",
            help="The agreement's ingestion token, sfi_… (from `readiness token create`).",
        ),
    ] = "",
) -> None:
    """Deliver FILE's events (at most 10,000) in one transaction; the clocks of every ticket they
    touch are recomputed. Nothing is stored when any item is bad: the error names it."""
    if not token:
        raise InvalidInput("give an ingestion token (--token or SLAFORGE_INGESTION_TOKEN)", field="token")
    items = validated(read_items(file))
    c = open_container()
    done = ingest.deliver_batch(uow=c.system_uow(), secret=token, items=items, system="api", now=c.clock())
    typer.echo(
        f"{done.items} item(s): {done.new_tickets} new ticket(s), {done.new_events} new event(s) "
        f"(the rest were delivered before), {done.tickets} ticket(s) touched, "
        f"{done.clocks} clock(s) recomputed"
    )
