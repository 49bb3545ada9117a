"""A clause's scheduled-import source run now: the configured file, or every file of the
configured folder (in name order, hidden files skipped), imported with the configured mapping.
A file imported before (same SHA-256) is skipped, so running it again imports only what is new —
what the live step's scheduler will do on a timetable. The mapping gives the tickets their
customer (its `customer` column, or that column's `default`); the check then records the proof."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.services.background.imports import AlreadyImported, import_outages, import_tickets
from slaforge.services.readiness.common import config_of, readiness_version, require_manager
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: Path
    tickets: int  # rows it stored: tickets, or outages for an availability clause (0 when skipped)
    skipped: str  # why it was skipped ("" when imported)
    batch_id: int | None = None  # the import's batch (None when skipped)


def _source(uow: UnitOfWork, agreement_id: int, objective: int, actor: Principal) -> tuple[Path, str, bool]:
    """The configured path and mapping, and whether the clause is an availability one (its files
    are outages, not tickets)."""
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "run a scheduled import")
        _row, config = config_of(uow, version)
        entries = config["objectives"]
        if not 0 <= objective < len(entries):
            raise InvalidInput(f"must be an objective's index, 0 to {len(entries) - 1}", field="objective")
        tracking = (entries[objective] or {}).get("tracking") or {}
        if tracking.get("source") != "scheduled_import" or not tracking.get("path"):
            raise InvalidInput(
                f"objectives[{objective}] has no scheduled import with a path: configure "
                f"objectives[{objective}].tracking as "
                "{source: scheduled_import, mapping: NAME, path: /a/file/or/folder}",
                field="objective",
            )
        terms = (version.terms.get("objectives") or [])[objective : objective + 1]
        availability = bool(terms) and terms[0].get("metric") == "availability"
        return Path(tracking["path"]), str(tracking["mapping"]), availability


def run_scheduled_import(
    *, uow: UnitOfWork, agreement_id: int, objective: int, actor: Principal, clock: Callable[[], datetime]
) -> list[ImportedFile]:
    path, mapping, outages = _source(uow, agreement_id, objective, actor)
    run = import_outages if outages else import_tickets
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    elif path.is_file():
        files = [path]
    else:
        raise InvalidInput(f"{path} is neither a file nor a folder on this server", field="path")
    done = []
    for f in files:
        try:
            summary = run(uow=uow, path=f, mapping=mapping, clock=clock, actor=actor.email)
        except AlreadyImported:
            done.append(ImportedFile(f, 0, "imported before"))
            continue
        done.append(ImportedFile(f, summary.outages if outages else summary.tickets, "", summary.batch_id))
    return done
