"""`slaforge readiness shadow AGREEMENT --from DATE --to DATE`: replay a period of history through
the agreement's configuration, with a progress bar on stderr, and print what slaforge would have
produced — attainment per objective and month, breaches, the escalations it would have sent (it
sends nothing), credits — or the whole result as JSON."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from click import progressbar

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.services.readiness.shadow import compute_shadow


def _day(text: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"'{text[:40]}' is not a date (YYYY-MM-DD) or an ISO 8601 instant", field=field
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def render(out: dict[str, Any]) -> list[str]:
    """The figures as lines of text (what the command prints)."""
    period = out["period"]
    lines = [
        f"shadow run of agreement {out['agreement_id']} version {out['version']}: "
        f"{period['start']} to {period['end']}, {out['tickets']:,} tickets ({out['history']})",
        "",
    ]
    for o in out["objectives"]:
        target = o["attainment_target"]
        lines.append(f"{o['index']}: {o['label']} — target {_pct(target)} of tickets")
        if not o["replayed"]:
            lines.append(f"   not replayed: {o['note']}")
        for m in o["months"]:
            verdict = "met" if m["achieved"] else "MISSED"
            credit = f", credit {m['credit_share'] * 100:g} %" if m["credit_share"] else ""
            said = f"{_pct(m['attainment'])} of {m['measured']:,} measured ({m['tickets']:,} opened)"
            lines.append(f"   {m['month']}: {said}, {m['breaches']:,} breaches — {verdict}{credit}")
    esc = out["escalations"]
    fired = f"escalations that would have fired: {esc['count']:,} (sent: {esc['sent']} — nothing is sent)"
    lines += ["", f"breaches: {out['breaches']['count']:,}", fired]
    for s in esc["by_step"]:
        lines.append(f"   objective {s['objective']} step {s['step']} at {s['at'] * 100:g} %: "
                     f"{s['count']:,} × {s['channel']} to {s['notify']}")  # fmt: skip
    lines += ["", f"credits owed (capped at {out['credit_cap'] * 100:g} %):"]
    for c in out["credits"]:
        over = f" (uncapped {c['uncapped'] * 100:g} %)" if c["uncapped"] > c["share"] else ""
        lines.append(f"   {c['month']}: {c['share'] * 100:g} % of the monthly fee{over}")
    lines += ["", "definitions:"] + [f"   {d}" for d in out["definitions"]]
    return lines


class _Bar:
    """click's progress bar on stderr, opened at the first report (when the total is known)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._done = 0

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = progressbar(range(total), label="replaying", file=sys.stderr).__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def command(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    start: Annotated[
        str, typer.Option("--from", help="The period's start: a date (UTC) or an ISO 8601 instant.")
    ],
    end: Annotated[str, typer.Option("--to", help="The period's end (excluded); the clocks are read at it.")],
    source: Annotated[
        str | None, typer.Option(help="Replay only this history source (e.g. servicenow); default: all.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON result to this file.")] = None,
) -> None:
    """Replay a period of history through the agreement's configuration (objectives, calendar,
    pauses, excused customer time, escalation ladders, credit tiers) and print what slaforge would
    have produced. Nothing is sent."""
    c = open_container()
    bar = _Bar()
    try:
        result = compute_shadow(
            uow=c.command_uow(),
            agreement_id=agreement,
            start=_day(start, "from"),
            end=_day(end, "to"),
            source=source,
            progress=bar.update,
        )
    finally:
        bar.close()
    data = result.as_dict()
    if out is not None:
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in render(data):
        typer.echo(line)
    if out is not None:
        typer.echo(f"\nwrote the result to {out}")
