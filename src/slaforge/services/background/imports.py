"""Use cases for importing service history through a declarative mapping: list the mappings,
preview a file, import tickets (with their events) or outages (`import_history(kind=...)`).

Each import is one transaction: by default a file with any bad row writes nothing and every
problem is listed (FileRefused, an ImportRejected whose `problems_file`, `<file>.problems.csv`,
holds them all with their raw values); `keep_good` stores the good rows, records the rejected
ones with the batch and in `<file>.rejects.csv`. Both files go into `rejects_dir` when the caller
names one (an upload's folder), else into `fallback_dir` (the CLI passes `<data_dir>/rejects`),
never beside the input, which is the user's folder. A file already imported (same
SHA-256) is refused with AlreadyImported unless `allow_duplicate_file`; imported again, tickets
are updated in place and events already stored are not added twice.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypedDict, Unpack

from slaforge.adapters.background.importers.common import file_sha256
from slaforge.adapters.background.importers.outages import OutageFile
from slaforge.adapters.background.importers.pipeline import DEFAULT_CHUNK_ROWS, TicketFile
from slaforge.adapters.background.importers.preview import PreviewRow, preview_file
from slaforge.adapters.background.importers.registry import (
    load_mapping,
    mapping_as_dict,
)
from slaforge.adapters.background.importers.rejects import PROBLEMS_SUFFIX, REJECTS_SUFFIX, target_for
from slaforge.adapters.background.importers.spec import MappingSpec, OutageMapping, TicketMapping
from slaforge.adapters.db.background.imports import FileAlreadyStored
from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.models import ImportBatch
from slaforge.domain.errors import Conflict, ImportRejected, InvalidInput, RowProblem
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "AlreadyImported",
    "FileRefused",
    "ImportPreview",
    "ImportSummary",
    "PreviewRow",
    "import_history",
    "import_outages",
    "import_tickets",
    "preview_import",
]


class AlreadyImported(Conflict):
    """The same file (by content) was imported before; importing it again needs a yes."""

    def __init__(self, file_name: str, batch: ImportBatch) -> None:
        super().__init__(
            f"{file_name} was already imported (batch {batch.id}, into '{batch.source}' with "
            f"{batch.mapping}, {batch.started_at:%Y-%m-%d %H:%M} UTC)"
        )
        self.batch_id = batch.id


class FileRefused(ImportRejected):
    """Bad rows, nothing written; every problem is also in `problems_file` (None if it could not
    be written anywhere), which the message names."""

    def __init__(
        self, file_name: str, problems: list[RowProblem], rows_read: int, problems_file: Path | None
    ) -> None:
        super().__init__(file_name, problems, rows_read)
        self.problems_file = problems_file
        if problems_file is not None:
            self.message += f"\nall {len(problems):,} problem(s) are listed in {problems_file}"


ImportKind = Literal["tickets", "outages"]
Clock = Callable[[], datetime]


class ImportOptions(TypedDict, total=False):
    """How `import_history` reads and keeps a file, as `import_tickets`/`import_outages` pass them on."""

    keep_good: bool
    allow_duplicate_file: bool
    timezone: str | None
    source: str | None
    chunk_rows: int
    rejects_dir: Path | None
    fallback_dir: Path | None
    actor: str  # who imports, for the audit log (default "operator": the command line)


@dataclass(frozen=True, slots=True)
class RejectsPlace:
    """Where the rejects and problems files go (see the module's docstring)."""

    folder: Path | None = None
    fallback: Path | None = None

    def save(self, save: Callable[[Path], Path], path: Path, suffix: str, sha: str) -> Path:
        fallback = self.fallback or Path(tempfile.gettempdir())
        target = target_for(path, suffix, folder=self.folder, fallback=fallback, tag=sha[:12])
        try:
            return save(target)
        except OSError:
            second = fallback / f"{sha[:12]}-{path.name}{suffix}"
            if second == target:
                raise
            return save(second)


def _refused(
    path: Path, problems: list[RowProblem], rows_read: int, save: Callable[[list[RowProblem], Path], Path],
    place: RejectsPlace, sha: str,
) -> FileRefused:  # fmt: skip
    try:
        written: Path | None = place.save(lambda t: save(problems, t), path, PROBLEMS_SUFFIX, sha)
    except OSError:
        written = None  # the refusal itself still lists the problems
    return FileRefused(path.name, problems, rows_read, written)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    batch_id: int
    source: str
    file_name: str
    file_sha256: str
    status: str  # completed, or partial when rejected rows were left out on request
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    tickets: int  # tickets in the file
    tickets_new: int  # of which were not stored before
    events: int
    events_new: int
    rejections: tuple[RowProblem, ...]
    seconds: float
    mapping: str = ""
    outages: int = 0
    outages_new: int = 0
    rejects_file: Path | None = None  # where the rejected rows were saved (keep_good)
    tickets_left_out: int = 0  # valid tickets outside the mapping's population (not stored)
    population: str = ""  # the mapping's population rule in words (tickets)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class ImportPreview:
    mapping_name: str
    mapping: dict[str, Any]  # the mapping as loaded, defaults filled in
    kind: str  # tickets or outages
    file_name: str
    format: str
    columns: tuple[str, ...]
    rows: list[PreviewRow]

    @property
    def problems(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.problems]


def _mapping(mapping: MappingSpec | str | Path) -> MappingSpec:
    return mapping if isinstance(mapping, TicketMapping | OutageMapping) else load_mapping(mapping)


def preview_import(
    *, path: Path, mapping: MappingSpec | str | Path, rows: int = 20, timezone: str | None = None
) -> ImportPreview:
    """The mapping and the first `rows` rows as they will be read; nothing is written."""
    m = _mapping(mapping)
    p = preview_file(path, m, rows=rows, timezone=timezone)
    return ImportPreview(m.name, mapping_as_dict(m), m.kind, p.file_name, p.format, p.columns, p.rows)


def _refuse_duplicate(uow: UnitOfWork, path: Path, sha: str, allow: bool) -> None:
    if allow:
        return
    with uow:
        earlier = uow.background.find_batch_by_hash(sha)
        if earlier is not None:
            raise AlreadyImported(path.name, earlier)


def _sha(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file", value=str(path))
    return file_sha256(path)


def _pause_statuses(m: MappingSpec) -> list[str] | None:
    """The pause statuses a ticket mapping lists, kept with the batch for the study; None when the
    mapping does not mention `statuses.pause` (an explicit empty list means that nothing pauses)."""
    if isinstance(m, TicketMapping) and "pause" in m.statuses.model_fields_set:
        return sorted(m.statuses.pause)
    return None


def _batch(
    uow: UnitOfWork,
    path: Path,
    sha: str,
    source: str,
    label: str,
    clock: Clock,
    m: MappingSpec,
    *,
    again: bool,
) -> ImportBatch:
    """The new batch; AlreadyImported, exactly as the check before gives it, when a parallel
    import of the same file got there first (the database's unique key on the file decides)."""
    try:
        return uow.background.add_import_batch(
            source=source,
            file_name=path.name[:500],
            file_sha256=sha,
            mapping=label[:200],
            rows_read=0,
            rows_accepted=0,
            rows_rejected=0,
            started_at=clock(),
            status="running",
            pause_statuses=_pause_statuses(m),
            again=again,
        )
    except FileAlreadyStored:
        uow.rollback()
        earlier = uow.background.find_batch_by_hash(sha)
        if earlier is None:  # that import was rolled back after all: a retry may go through
            raise
        raise AlreadyImported(path.name, earlier) from None


def _finish(batch: ImportBatch, rows_read: int, rejected: int, clock: Clock) -> None:
    batch.rows_read, batch.rows_rejected, batch.rows_accepted = rows_read, rejected, rows_read - rejected
    batch.status = "partial" if rejected else "completed"
    batch.finished_at = clock()


def _open(path: Path, m: MappingSpec, timezone: str | None, chunk_rows: int) -> TicketFile | OutageFile:
    if isinstance(m, TicketMapping):
        return TicketFile(path, m, timezone=timezone, chunk_rows=chunk_rows)
    return OutageFile(path, m, timezone=timezone, chunk_rows=chunk_rows)


def _stored(repo: BackgroundRepository, kind: ImportKind, source: str) -> tuple[int, int, int]:
    """(tickets, events, outages) stored under the source, of what this kind of import writes."""
    if kind == "tickets":
        return repo.count_tickets(source), repo.count_events(source), 0
    return 0, 0, repo.count_outages(source)


def _write(
    repo: BackgroundRepository, file: TicketFile | OutageFile, source: str, batch_id: int
) -> tuple[int, int, int]:
    """Write the file's good rows; (tickets, events, outages) written."""
    if isinstance(file, TicketFile):
        columns = file.mapping.columns
        tickets, events = repo.write_ticket_chunks(
            file.chunks(), source=source, batch_id=batch_id,
            create_customers=bool(columns.customer and columns.customer.create),
            create_services=bool(columns.service and columns.service.create),
        )  # fmt: skip
        return tickets, events, 0
    return 0, 0, repo.write_outage_chunks(file.chunks(), source=source)


def import_history(
    *,
    uow: UnitOfWork,
    kind: ImportKind,
    path: Path,
    mapping: MappingSpec | str | Path,
    clock: Clock,
    keep_good: bool = False,
    allow_duplicate_file: bool = False,
    timezone: str | None = None,
    source: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    rejects_dir: Path | None = None,
    fallback_dir: Path | None = None,
    actor: str = "operator",
) -> ImportSummary:
    """Import a ticket export (tickets with their events, long or wide layout) or an outage export
    (the services it names are created on first sight), in one transaction; `kind` must match
    the mapping's. `clock` stamps the batch's start and end."""
    started = time.perf_counter()
    m = _mapping(mapping)
    if m.kind != kind:
        read = "outages" if kind == "tickets" else "tickets"
        raise InvalidInput(
            f"the mapping '{m.name}' reads {read}; use the {read[:-1]} import", field="mapping"
        )
    sha = _sha(path)
    _refuse_duplicate(uow, path, sha, allow_duplicate_file)
    source = source or m.source
    population = m.population.describe() if isinstance(m, TicketMapping) else ""
    label = f"{m.name} (timezone={timezone or m.timezone})"
    if population:  # stored with the batch, so a study can state the definition it measured under
        label += f"; population: {population}"
    place = RejectsPlace(rejects_dir, fallback_dir)
    with _open(path, m, timezone, chunk_rows) as file:
        if file.check() == 0:
            raise InvalidInput(f"{path.name} holds no rows", field="file", value=str(path))
        if file.has_problems and not keep_good:
            raise _refused(path, file.problems(), file.rows_read, file.save_problems, place, sha)
        with uow:
            repo = uow.background
            batch = _batch(uow, path, sha, source, label, clock, m, again=allow_duplicate_file)
            before = _stored(repo, kind, source)
            written = _write(repo, file, source, batch.id)
            problems = file.problems()
            if problems and not any(written):  # nothing good to keep
                raise _refused(path, problems, file.rows_read, file.save_problems, place, sha)
            rejected = len({p.row for p in problems})
            save = lambda t: file.save_rejects(problems, t)  # noqa: E731
            rejects = place.save(save, path, REJECTS_SUFFIX, sha) if problems else None
            repo.add_rejections(batch_id=batch.id, rejections=problems)
            _finish(batch, file.rows_read, rejected, clock)
            after = _stored(repo, kind, source)
            uow.flush()
            audit.record(
                uow, actor=actor, action=f"import.{kind}", subject_type="import_batch", subject_id=batch.id,
                at=batch.finished_at,
                data={"file_name": batch.file_name, "file_sha256": sha, "source": source, "mapping": label,
                      "status": batch.status, "rows_read": file.rows_read, "rows_rejected": rejected,
                      "new": [after[i] - before[i] for i in range(3)]},
            )  # fmt: skip
            uow.commit()
    tickets, events, outages = written
    return ImportSummary(
        batch_id=batch.id,
        source=source,
        file_name=path.name,
        file_sha256=sha,
        status=batch.status,
        rows_read=file.rows_read,
        rows_accepted=file.rows_read - rejected,
        rows_rejected=rejected,
        tickets=tickets,
        tickets_new=after[0] - before[0],
        events=events,
        events_new=after[1] - before[1],
        rejections=tuple(problems),
        seconds=time.perf_counter() - started,
        mapping=m.name,
        outages=outages,
        outages_new=after[2] - before[2],
        rejects_file=rejects,
        tickets_left_out=getattr(file, "tickets_left_out", 0),
        population=population,
    )


def import_tickets(
    *, uow: UnitOfWork, path: Path, mapping: MappingSpec | str | Path, clock: Clock,
    **options: Unpack[ImportOptions],
) -> ImportSummary:  # fmt: skip
    """`import_history(kind="tickets")`: tickets and their events."""
    return import_history(uow=uow, kind="tickets", path=path, mapping=mapping, clock=clock, **options)


def import_outages(
    *, uow: UnitOfWork, path: Path, mapping: MappingSpec | str | Path, clock: Clock,
    **options: Unpack[ImportOptions],
) -> ImportSummary:  # fmt: skip
    """`import_history(kind="outages")`: outages, creating the services they name."""
    return import_history(uow=uow, kind="outages", path=path, mapping=mapping, clock=clock, **options)
