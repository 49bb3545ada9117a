"""The audit-trail page's data: the chain's verification and a page of entries, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slaforge.services.agreement.core import require_provider
from slaforge.services.agreement.reading import AuditLine
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class About:
    """What an entry concerns, as the page links it: "order 1", "agreement 2 v3"."""

    label: str
    version_id: int | None = None  # the version the label links to


@dataclass(frozen=True, slots=True)
class AuditPage:
    report: audit.ChainReport
    entries: list[AuditLine]
    about: dict[int, list[About]]  # seq -> what the entry concerns
    count: int


def _about(uow: UnitOfWork, subject_type: str, subject_id: str, data: dict[str, Any]) -> list[About]:
    """An entry's subject, and the agreement version it names: agreement entries carry the
    version's number, but orders and links name only its id, so the number is looked up."""
    subject = f"{subject_type} {subject_id}"
    version_id = data.get("version_id")
    if not isinstance(version_id, int):
        return [About(subject)]
    number = data.get("version")
    agreement_id: Any = subject_id if subject_type == "agreement" else None
    if not isinstance(number, int) or agreement_id is None:
        version = uow.agreement.version(version_id)
        if version is None:  # deleted since, or never there: say so rather than link nowhere
            return [About(subject), About(f"version id {version_id} (gone)")]
        number, agreement_id = version.number, version.agreement_id
    linked = About(f"agreement {agreement_id} v{number}", version_id)
    return [linked] if subject_type == "agreement" else [About(subject), linked]


def audit_page(*, uow: UnitOfWork, limit: int = 100, offset: int = 0) -> AuditPage:
    """Verify the whole chain, then read one page of entries (the newest first)."""
    with uow:
        require_provider(uow)
    report = audit.verify(uow=uow)
    with uow:
        count = uow.platform.audit_entry_count()
        rows = uow.agreement.audit_entries_newest(limit, offset)
        return AuditPage(
            report=report,
            entries=[AuditLine(e.seq, e.at, e.actor, e.action, dict(e.data)) for e in rows],
            about={e.seq: _about(uow, e.subject_type, str(e.subject_id), dict(e.data)) for e in rows},
            count=count,
        )
