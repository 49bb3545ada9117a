"""`slaforge relationship responsibilities …`: the roles, RACI activities and contacts matrix of an
agreement's newest version (edited on a draft only; an offered version is frozen)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.agreement.common import ACTOR, acting, open_container
from slaforge.services.relationship import responsibilities as resp

app = typer.Typer(
    help="Roles, RACI activities and the contacts matrix of an agreement.", no_args_is_help=True
)
contacts_app = typer.Typer(help="The contacts and escalation matrix.", no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")
AGREEMENT = typer.Argument(..., help="Agreement id.")


def _read(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML reads JSON too
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read {what} from {path}: {exc}", field=what) from exc


def _say(view: resp.RelationshipView) -> None:
    s = view.section
    typer.echo(f"agreement {view.agreement_id} version {view.number} (id {view.version_id}): {view.state}")
    for party in ("provider", "customer"):
        typer.echo(f"{party} roles: {', '.join(s['roles'][party]) or '—'}")
    typer.echo(f"activities: {len(s['activities'])}")
    for a in s["activities"]:
        cells = ", ".join(f"{r['letters']} {r['party']} {r['role']}" for r in a["raci"])
        due = f" — {a['due']}" if a["due"] else ""
        typer.echo(f"  {a['key']}: {a['name']}{due} [{cells}]")
    typer.echo(f"contacts: {len(s['contacts'])}")
    for c in s["contacts"]:
        typer.echo(f"  {c['party']} level {c['level']}: {c['name']} ({c['channels']}) {c['hours']}".rstrip())


@app.command("show")
def show(
    agreement: int = AGREEMENT,
    version: Annotated[int | None, typer.Option(help="A version id (default: the newest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The section as JSON.")] = False,
) -> None:
    """The responsibilities and contacts of the newest version (or the one given)."""
    c = open_container()
    view = resp.get_relationship(uow=c.command_uow(), agreement_id=agreement, version_id=version)
    if as_json:
        typer.echo(json.dumps(view.section, indent=2, ensure_ascii=False))
        return
    _say(view)


@app.command("starter")
def starter(
    agreement: int = AGREEMENT,
    keys: Annotated[str | None, typer.Option(help="Comma-separated starter keys (default: all).")] = None,
    actor: str = ACTOR,
) -> None:
    """Add the starter library's activities the draft lacks (and their roles)."""
    c = open_container()
    chosen = [k.strip() for k in keys.split(",") if k.strip()] if keys else None
    view, added = resp.apply_starter(
        uow=c.command_uow(), agreement_id=agreement, keys=chosen, actor=acting(actor), now=c.clock()
    )
    typer.echo(f"added {len(added)} activit{'y' if len(added) == 1 else 'ies'}: {', '.join(added) or 'none'}")
    _say(view)


@app.command("set-roles")
def set_roles(
    agreement: int = AGREEMENT,
    provider: Annotated[str, typer.Option(help="Comma-separated provider roles.")] = "",
    customer: Annotated[str, typer.Option(help="Comma-separated customer roles.")] = "",
    actor: str = ACTOR,
) -> None:
    """Name the roles of both parties (every role an activity uses must stay)."""
    c = open_container()
    roles = {
        "provider": [r.strip() for r in provider.split(",") if r.strip()],
        "customer": [r.strip() for r in customer.split(",") if r.strip()],
    }
    view = resp.set_roles(
        uow=c.command_uow(), agreement_id=agreement, roles=roles, actor=acting(actor), now=c.clock()
    )
    _say(view)


@app.command("add")
def add(
    agreement: int = AGREEMENT,
    file: Annotated[Path | None, typer.Option(help="The activity as JSON or YAML.")] = None,
    key: Annotated[str | None, typer.Option(help="The activity's key.")] = None,
    name: Annotated[str, typer.Option(help="The activity's name.")] = "",
    due: Annotated[str, typer.Option(help="The due rule, e.g. 'within 2 business days of a request'.")] = "",
    raci: Annotated[
        list[str] | None, typer.Option(help="'party:role=LETTERS', e.g. 'customer:approver=A' (repeat).")
    ] = None,
    actor: str = ACTOR,
) -> None:
    """Add an activity to the draft, or replace the one with the same key."""
    c = open_container()
    if file is not None:
        activity = _read(file, "activity")
    else:
        assignments = []
        for item in raci or []:
            who, _, letters = item.partition("=")
            party, _, role = who.partition(":")
            if not letters or not role:
                raise InvalidInput("give --raci as 'party:role=LETTERS'", field="raci", value=item)
            assignments.append({"party": party.strip(), "role": role.strip(), "letters": letters.strip()})
        activity = {"key": key, "name": name, "due": due, "raci": assignments}
    if not isinstance(activity, dict):
        raise InvalidInput("the activity is one object", field="activity")
    view = resp.put_activity(
        uow=c.command_uow(), agreement_id=agreement, activity=activity, actor=acting(actor), now=c.clock()
    )
    _say(view)


@app.command("remove")
def remove(
    agreement: int = AGREEMENT, key: str = typer.Argument(..., help="The activity's key."), actor: str = ACTOR
) -> None:
    """Remove an activity from the draft."""
    c = open_container()
    view = resp.remove_activity(
        uow=c.command_uow(), agreement_id=agreement, key=key, actor=acting(actor), now=c.clock()
    )
    _say(view)


@contacts_app.command("set")
def contacts_set(
    agreement: Annotated[int, typer.Argument(help="Agreement id.")],
    file: Annotated[Path, typer.Argument(help="A JSON or YAML list of contacts.")],
    actor: str = ACTOR,
) -> None:
    """Replace the draft's contacts and escalation matrix."""
    c = open_container()
    contacts = _read(file, "contacts")
    if not isinstance(contacts, list):
        raise InvalidInput("the contacts are a list", field="contacts")
    view = resp.set_contacts(
        uow=c.command_uow(), agreement_id=agreement, contacts=contacts, actor=acting(actor), now=c.clock()
    )
    _say(view)
