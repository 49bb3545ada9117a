"""`slaforge openslo export|import`: an agreement's availability objectives as OpenSLO YAML
(`openslo/v1` SLI, SLO and AlertPolicy documents), and an OpenSLO file read back as slaforge's
objectives and escalation ladders (JSON, for a draft's terms and the readiness configuration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import open_container
from slaforge.services.live import openslo

app = typer.Typer(help="Availability objectives to and from OpenSLO YAML.", no_args_is_help=True)


@app.command("export")
def export(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    out: Annotated[Path | None, typer.Option(help="Write the YAML here instead of printing it.")] = None,
) -> None:
    """The agreement's availability objectives (the live version's, with its escalation ladders)."""
    c = open_container()
    docs = openslo.export_openslo(uow=c.command_uow(), agreement_id=agreement)
    text = yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"{out}: {sum(d['kind'] == 'SLO' for d in docs)} SLO(s) with their SLIs and alert policies")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An OpenSLO YAML file (openslo/v1).", exists=True)],
) -> None:
    """The file's availability objectives as slaforge terms and ladders (JSON on standard output)."""
    try:
        docs = [d for d in yaml.safe_load_all(file.read_text(encoding="utf-8")) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InvalidInput(f"{line}not YAML ({getattr(exc, 'problem', exc)})", field=str(file)) from None
    typer.echo(json.dumps(openslo.import_openslo(docs), indent=2))
