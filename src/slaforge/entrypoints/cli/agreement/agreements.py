"""`slaforge agreement …`: draft, offer, show, diff, accept, withdraw, list, render, templates.

The CLI acts as the provider (actor `cli:<user>` unless --actor is given); an illegal step
prints one line and exits 2 like every deliberate error (see main.py).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from slaforge.bootstrap import Container
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement import counter_offers as agreement_counter_cmds
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, heading, open_container, say_ref
from slaforge.services.agreement import clause_library as agreements_templates
from slaforge.services.agreement import (
    core,
    decisions,
    drafts,
    from_study,
    reading,
    versions,
)
from slaforge.services.agreement.from_expectations import draft_from_expectations
from slaforge.services.platform import catalog

app = typer.Typer(help="Draft, offer and record agreements; manage clause templates.", no_args_is_help=True)
templates_app = typer.Typer(help="The clause template library.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")
# A provider's answers to a customer's counter-offer live in their own module.
app.command("accept-counter")(agreement_counter_cmds.accept_counter)
app.command("decline-counter")(agreement_counter_cmds.decline_counter)


def _read_terms(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read the terms: {exc}", field=str(path)) from exc
    if not isinstance(data, dict):
        raise InvalidInput("the terms file must hold one object (YAML or JSON)", field=str(path))
    return data


@app.command("draft")
def draft(
    customer: str = typer.Option(..., help="Customer id or slug."),
    title: str = typer.Option("", help="Title of the agreement (required, except with --from-expectations)."),
    terms: Annotated[
        Path | None, typer.Option(help="Terms as YAML or JSON (see `agreement example`).")
    ] = None,
    study: int | None = typer.Option(
        None, help="Draft the objectives from this capability study (with --from-expectations: judge by it)."
    ),
    from_expectations: bool = typer.Option(
        False,
        "--from-expectations",
        help="Draft from the customer's expectations: as asked where achievable, else the target "
        "the history supports (with a warning).",
    ),
    level: float | None = typer.Option(None, help="Attainment level (default: the study's)."),
    priority: Annotated[
        list[str] | None, typer.Option(help="Only these priorities (repeatable; default: all).")
    ] = None,
    templates: str = typer.Option("", help="Clause keys in order, comma-separated (default: all)."),
    countersign: bool = typer.Option(False, help="Require the provider's countersignature."),
    actor: str = ACTOR,
) -> None:
    """Draft an agreement from a capability study, the customer's expectations or a terms file."""
    if from_expectations and terms is not None:
        raise InvalidInput("give either --terms FILE or --from-expectations", field="terms")
    if not from_expectations and (terms is None) == (study is None):
        raise InvalidInput("give --terms FILE, --study ID or --from-expectations", field="terms")
    c = open_container()
    customer_id = catalog.find_customer(uow=c.command_uow(), ref=customer).id
    keys = [k.strip() for k in templates.split(",") if k.strip()] or None
    if from_expectations:
        result = draft_from_expectations(
            uow=c.command_uow(),
            customer_id=customer_id,
            study_id=study,
            title=title or None,
            actor=acting(actor),
            now=c.clock(),
            template_keys=keys,
            requires_countersignature=countersign,
        )
        say_ref(result.version, "drafted")
        return
    if study is not None:
        result = from_study.draft_from_study(
            uow=c.command_uow(),
            customer_id=customer_id,
            study_id=study,
            title=title,
            actor=acting(actor),
            now=c.clock(),
            level=level,
            priorities=priority or None,
            template_keys=keys,
            requires_countersignature=countersign,
        )
        say_ref(result.version, "drafted")
        return
    assert terms is not None
    ref = drafts.draft_agreement(
        uow=c.command_uow(),
        customer_id=customer_id,
        title=title,
        terms=_read_terms(terms),
        template_keys=keys,
        actor=acting(actor),
        now=c.clock(),
        requires_countersignature=countersign,
    )
    say_ref(ref, "drafted")


@app.command("example")
def example() -> None:
    """Print complete example terms (YAML) to start a terms file from."""
    from slaforge.domain.agreement.terms import example_terms

    terms = example_terms()
    terms.pop("parties")  # so that the customer's own name is filled in when drafting
    typer.echo(yaml.safe_dump(terms, sort_keys=False, allow_unicode=True), nl=False)


@app.command("update")
def update(
    version: int = typer.Argument(..., help="Version id (a draft)."),
    terms: Annotated[Path | None, typer.Option(help="New terms (YAML or JSON).")] = None,
    title: str | None = typer.Option(None, help="New title."),
    actor: str = ACTOR,
) -> None:
    """Change a draft's terms or title (an offered version never changes)."""
    c = open_container()
    ref = drafts.update_draft(
        uow=c.command_uow(),
        version_id=version,
        terms=_read_terms(terms) if terms else None,
        title=title,
        actor=acting(actor),
        now=c.clock(),
    )
    say_ref(ref, "updated")


@app.command("amend")
def amend(agreement: int = typer.Argument(..., help="Agreement id."), actor: str = ACTOR) -> None:
    """Start a new draft version of an agreement from its newest version."""
    c = open_container()
    say_ref(
        drafts.new_version(uow=c.command_uow(), agreement_id=agreement, actor=acting(actor), now=c.clock()),
        "drafted",
    )


@app.command("offer")
def offer(
    version: int = typer.Argument(..., help="Version id (a draft)."),
    days: int | None = typer.Option(None, min=1, max=365, help="The offer lapses after this many days."),
    actor: str = ACTOR,
) -> None:
    """Offer a draft: freeze its terms and text under a SHA-256 content hash."""
    c = open_container()
    now = c.clock()
    expires = now + timedelta(days=days) if days else None
    say_ref(
        versions.offer_version(
            uow=c.command_uow(), version_id=version, actor=acting(actor), now=now, expires_at=expires
        ),
        "offered",
    )


@app.command("accept")
def accept(
    version: int = typer.Argument(..., help="Version id (offered)."),
    name: str = typer.Option(..., help="Who accepted for the customer."),
    note: str = typer.Option(..., help="The evidence: how and when the acceptance reached you."),
    title: str = typer.Option("", help="Their title."),
    email: str = typer.Option("", help="Their e-mail address."),
    hash_: str = typer.Option("", "--hash", help="The hash they accepted (default: the version's own)."),
    actor: str = ACTOR,
) -> None:
    """Record an acceptance received outside slaforge (method 'manual'), with its evidence."""
    c = open_container()
    evidence = core.AcceptanceEvidence(
        method="manual", name=name, title=title, email=email, accepted_hash=hash_, note=note
    )
    ref = decisions.accept_version(
        uow=c.command_uow(), version_id=version, evidence=evidence, actor=acting(actor), now=c.clock()
    )
    say_ref(ref, "recorded acceptance of")


@app.command("countersign")
def countersign(
    version: int = typer.Argument(..., help="Version id (accepted by the customer)."),
    name: str = typer.Option(..., help="Who signs for the provider."),
    title: str = typer.Option("", help="Their title."),
    actor: str = ACTOR,
) -> None:
    """Countersign a version the customer accepted: it becomes accepted."""
    c = open_container()
    evidence = core.AcceptanceEvidence(method="countersignature", name=name, title=title)
    say_ref(
        decisions.countersign_version(
            uow=c.command_uow(), version_id=version, evidence=evidence, actor=acting(actor), now=c.clock()
        ),
        "countersigned",
    )


@app.command("withdraw")
def withdraw(
    version: int = typer.Argument(..., help="Version id (draft or offered)."),
    reason: str = typer.Option("", help="Why, for the audit log."),
    actor: str = ACTOR,
) -> None:
    """Withdraw a draft or an offer."""
    c = open_container()
    say_ref(
        decisions.withdraw_version(
            uow=c.command_uow(), version_id=version, actor=acting(actor), now=c.clock(), reason=reason
        ),
        "withdrew",
    )


@app.command("clear-review")
def clear_review(
    version: int = typer.Argument(..., help="Version id (any version of the flagged agreement)."),
    note: str = typer.Option(..., help="What the review found, for the audit log."),
    actor: str = ACTOR,
) -> None:
    """Close a review flag (raised by a refund, a dispute or a person), saying what was found."""
    c = open_container()
    say_ref(
        decisions.clear_review(
            uow=c.command_uow(), version_id=version, actor=acting(actor), now=c.clock(), note=note
        ),
        "review closed on",
    )


@app.command("lapse")
def lapse() -> None:
    """Mark every offer past its expiry as expired."""
    c = open_container()
    typer.echo(f"{decisions.lapse_expired_offers(uow=c.command_uow(), now=c.clock())} offer(s) expired")


@app.command("list")
def list_(customer: str = typer.Option("", help="Only this customer (id or slug).")) -> None:
    """Agreements with their versions and states."""
    c = open_container()
    cid = catalog.find_customer(uow=c.command_uow(), ref=customer).id if customer else None
    rows = reading.list_agreements(uow=c.command_uow(), customer_id=cid)
    if not rows:
        typer.echo("no agreements")
    for a in rows:
        flag = "  [REVIEW]" if a.review_reason else ""
        typer.echo(f"agreement {a.agreement_id}: {heading(a.title, a.customer_name)}{flag}")
        for v in a.versions:
            typer.echo(f"  version {v.number} (id {v.version_id}) {v.state:<11} {v.content_hash or ''}")


@app.command("show")
def show(version: int = typer.Argument(..., help="Version id.")) -> None:
    """A version: state, hash (and whether it still matches), summary, warnings, evidence, audit trail."""
    c = open_container()
    v = reading.get_version(uow=c.command_uow(), version_id=version)
    typer.echo(f"{heading(v.title, v.customer_name)}: version {v.number} (id {v.version_id}), {v.state}")
    if v.content_hash:
        check = "matches its content" if v.hash_verified else "DOES NOT MATCH its stored content"
        typer.echo(f"content hash (SHA-256): {v.content_hash} ({check})")
    if v.awaiting_countersignature:
        typer.echo("accepted by the customer; awaits the provider's countersignature")
    if v.review_reason:
        typer.secho(f"flagged for review: {v.review_reason}", fg=typer.colors.RED)
    typer.echo("summary:")
    for line in v.summary:
        typer.echo(f"  {line}")
    for warning in v.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW)
    for a in v.acceptances:
        typer.echo(
            f"{a.decision} by {a.name or a.actor} ({a.method}) at {a.at:%Y-%m-%d %H:%M} UTC, "
            f"hash {a.accepted_hash[:12]}…"
        )
    typer.echo("audit trail:")
    for e in v.audit:
        typer.echo(f"  #{e.seq} {e.at:%Y-%m-%d %H:%M:%S} {e.action} by {e.actor}")


@app.command("diff")
def diff(
    old: int = typer.Argument(..., help="Version id."), new: int = typer.Argument(..., help="Version id.")
) -> None:
    """What changed between two versions: in the terms, then in the text."""
    c = open_container()
    d = reading.diff_versions(uow=c.command_uow(), a=old, b=new)
    typer.echo(f"terms: {len(d.terms)} change(s)")
    for change in d.terms:
        where = f" ({change.where})" if change.where else ""
        typer.echo(f"  {change.path}{where}: {json.dumps(change.old)} -> {json.dumps(change.new)}")
    typer.echo(d.text or "the texts are identical")


@app.command("render")
def render(
    version: int = typer.Argument(..., help="Version id."),
    fmt: str = typer.Option("markdown", "--format", help="markdown, html or pdf."),
    out: Annotated[
        Path | None, typer.Option(help="Write to this file (default: standard output; not for pdf).")
    ] = None,
) -> None:
    """The document, with its content hash shown on it."""
    c = open_container()
    data = reading.render_version(uow=c.command_uow(), version_id=version, fmt=fmt)
    if out is None:
        if fmt == "pdf":
            raise InvalidInput("give --out FILE for a PDF", field="out")
        sys.stdout.write(data.decode("utf-8"))
        return
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data):,} bytes)")


@templates_app.command("list")
def templates_list() -> None:
    """Every clause in document order; 'edited' marks the provider's own text."""
    c = open_container()
    for t in agreements_templates.list_templates(uow=c.command_uow()):
        typer.echo(f"{t.position:>5}  {t.key:<18} {t.title}{'' if t.builtin else '  (edited)'}")


@templates_app.command("export")
def templates_export(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write <key>.md.j2 files to.")],
) -> None:
    """Write every clause template to a file, to edit and import again."""
    c = open_container()
    paths = agreements_templates.export_templates(uow=c.command_uow(), out_dir=out_dir)
    typer.echo(f"wrote {len(paths)} clause templates to {out_dir}")


@templates_app.command("import")
def templates_import(
    paths: Annotated[list[Path], typer.Argument(help="Clause files (<key>.md.j2) or directories of them.")],
    actor: str = ACTOR,
) -> None:
    """Check and save clause templates from files; one bad file refuses them all, naming it."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*.md.j2")) if p.is_dir() else [p]
    c = open_container()
    saved = agreements_templates.import_templates(
        uow=c.command_uow(), paths=files, actor=acting(actor), now=_now(c)
    )
    typer.echo(f"saved {len(saved)} clause template(s): {', '.join(saved) or 'none changed'}")


def _now(c: Container) -> datetime:
    return c.clock().astimezone(UTC)
