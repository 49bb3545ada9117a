"""The audit-trail page's data: the chain's verification and a page of entries, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from slaforge.services.agreement.core import require_provider
from slaforge.services.agreement.reading import AuditLine
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AuditPage:
    report: audit.ChainReport
    entries: list[AuditLine]
    subjects: dict[int, str]  # seq -> "agreement 3", for links
    count: int


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
            subjects={e.seq: f"{e.subject_type} {e.subject_id}" for e in rows},
            count=count,
        )
