"""`slaforge readiness sample-report AGREEMENT --report NAME`: what a report definition's audience
would receive, from a shadow run — a stored one (`--run`) or its JSON (`--shadow FILE`, as
`slaforge readiness shadow --out` writes it) — written as HTML, PDF or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.services.readiness.sample_report import sample_report, sample_report_from


def command(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    report: Annotated[str, typer.Option(help="The report definition: its name or its index.")] = "0",
    run: Annotated[int | None, typer.Option(help="A stored shadow run's id.")] = None,
    shadow: Annotated[
        Path | None, typer.Option(help="A shadow run's JSON file (readiness shadow --out).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="html, pdf or csv (default: the definition's).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write it (default: a file named for it here).")
    ] = None,
) -> None:
    """Write the sample report of a report definition from a shadow run; prints its path."""
    if (run is None) == (shadow is None):
        raise InvalidInput(
            "give exactly one of --run (a stored run) or --shadow (its JSON file)", field="run"
        )
    c = open_container()
    if shadow is not None:
        try:
            data = json.loads(shadow.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"cannot read the shadow run from {shadow}: {exc}", field="shadow") from exc
        done = sample_report_from(
            uow=c.command_uow(), agreement_id=agreement, shadow=data, report=report, fmt=fmt
        )
    else:
        assert run is not None
        done = sample_report(uow=c.command_uow(), agreement_id=agreement, run_id=run, report=report, fmt=fmt)
    path = out or Path(done.filename)
    path.write_bytes(done.content)
    typer.echo(f"wrote the sample report to {path.resolve()}")
