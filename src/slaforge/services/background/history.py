"""Use cases for service history kept for the first importer's callers (the demo, its tests).

`import_servicenow_log` is `import_tickets` with the built-in `servicenow` mapping; new code
calls services.imports directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from slaforge.services.background.imports import ImportSummary, import_tickets
from slaforge.services.unit_of_work import UnitOfWork

__all__ = ["ImportSummary", "import_servicenow_log"]


def import_servicenow_log(
    *,
    uow: UnitOfWork,
    path: Path,
    source: str = "servicenow",
    timezone: str = "UTC",
    force: bool = False,
    keep_good: bool = False,
    clock: Callable[[], datetime],
) -> ImportSummary:
    """Import a ServiceNow incident event log (.csv, or a .zip or .gz holding one) in one transaction.

    By default one bad row means nothing is written and every problem is listed
    (ImportRejected); `keep_good` stores the valid incidents and records the rejected rows.
    The same file (by SHA-256) imported again is refused (AlreadyImported, a Conflict) unless
    `force`; forced, tickets are updated in place and events already stored are not added twice.
    `clock` stamps the batch; pass the container's.
    """
    return import_tickets(
        uow=uow,
        path=path,
        mapping="servicenow",
        keep_good=keep_good,
        allow_duplicate_file=force,
        timezone=timezone,
        source=source,
        clock=clock,
    )
