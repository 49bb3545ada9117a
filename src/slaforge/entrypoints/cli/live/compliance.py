"""`slaforge compliance show AGREEMENT [--period 2026-11]`: each objective's compliance in the
period — closed (with its adjustments) or running — and the credits it earns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.services.live import compliance

app = typer.Typer(help="Compliance per objective and period, and the credits it earns.", no_args_is_help=True)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.2f} %"


@app.command("show")
def show(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    period: Annotated[
        str | None, typer.Option(help="A month (2026-11) or quarter (2026-Q4); default now.")
    ] = None,
) -> None:
    """Per objective: met and breached (or uptime), attainment against the threshold, the credit."""
    c = open_container()
    r = compliance.compliance_of(uow=c.command_uow(), agreement_id=agreement, now=c.clock(), period=period)
    typer.echo(f"agreement {r.agreement_id} version {r.version}, period {r.period}")
    for o in r.objectives:
        f = o.figures
        ended = datetime.fromisoformat(f["end"]) <= c.clock()
        state = "closed" if o.closed else ("ended, the scheduler closes it" if ended else "running")
        counts = (
            f"downtime {f['down_seconds'] / 60:.1f} of {f['allowed_seconds'] / 60:.1f} min"
            if "down_seconds" in f
            else f"{f['met']} met, {f['breached']} breached ({f['excused']} excused)"
        )
        credit = "" if o.credit is None or not o.credit.credit else f"; credit {_pct(o.credit.credit)}"
        typer.echo(
            f"  {o.objective} [{f['label']}, {state}]: {counts}; attainment {_pct(f['attainment'])} "
            f"against {_pct(f['threshold'])}{credit}"
        )
        for a in o.adjustments:
            typer.echo(f"    adjusted {a['made_at'][:16]}: {a['reason']}")
    cap = " (capped)" if r.capped else ""
    typer.echo(f"credit for the period: {_pct(r.credit)} of the charge{cap}; cap {_pct(r.credit_cap)}")
    typer.echo(f"rule: {r.rule}")
