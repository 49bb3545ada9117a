"""The provider's appendix "Underpinning commitments" for one agreement version: each objective,
the OLAs and UCs it rests on and the feasibility warnings standing, as Markdown, HTML or PDF.

Provider-only like the contracts themselves (a customer user is told nothing exists), and read
beside the agreement, never into it: the version's document, terms and content hash stay as they
are whatever is linked.
"""

from __future__ import annotations

from datetime import datetime

from slaforge.adapters.relationship.appendix import FORMATS, render_appendix
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.appendix import AppendixHeader, Backing, Entry, appendix_markdown
from slaforge.services.agreement.core import header_for, load_version
from slaforge.services.relationship import underpinning as up
from slaforge.services.unit_of_work import UnitOfWork

ALIASES = {"md": "markdown"}


def underpinning_appendix(
    *, uow: UnitOfWork, agreement_id: int, now: datetime, fmt: str, number: int | None = None
) -> bytes:
    """The appendix of version `number` (default: the newest) in `fmt` (md/markdown, html, pdf)."""
    wanted = ALIASES.get(fmt, fmt)
    if wanted not in FORMATS:
        raise InvalidInput("the format is one of md, html, pdf", field="format", value=fmt)
    with uow:
        up.provider_only(uow)
        version_id = None if number is None else up.version_id_of(uow, agreement_id, number)
        result = up.checked(uow, agreement_id, now, version_id)
        version = load_version(uow, result.version_id)
        document = header_for(uow, version)
        header = AppendixHeader(
            title=document.title,
            customer=document.customer,
            provider=document.provider,
            number=result.number,
            state=result.state,
            content_hash=version.content_hash,
            inherited_from=result.inherited_from,
            checked_at=now.replace(minute=0, second=0, microsecond=0),
        )
        day = version.terms.get("calendar", {}).get("day_seconds")
    entries = [
        Entry(
            o.index,
            o.objective,
            [Backing(c.name, c.kind, c.counterparty, c.calendar, c.targets) for c in o.contracts],
            o.warnings,
        )
        for o in result.objectives
    ]
    markdown = appendix_markdown(header, entries, day)
    return render_appendix(wanted, markdown, f"Underpinning commitments — {header.title} v{header.number}")
