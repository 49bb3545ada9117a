"""/api/v1/imports: upload a history file (tickets or outages) through a built-in or uploaded
mapping, preview it, and read the import history with its rejected rows.

Uploads are streamed to a folder of their own under `<data_dir>/uploads`, refused past
`upload_max_bytes`, and removed once the import is done. The CSV of every problem of a refused
file, and the rejects of a `keep_good` import, stay under `<data_dir>/rejects/<token>` for a day,
offered for download (`problems_csv`, `rejects_csv`). Imports are the provider's: to customer
users these routes do not exist (404).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from slaforge.domain.errors import ImportRejected, InvalidInput, NotFound, SlaforgeError
from slaforge.entrypoints.api.deps import NO_NUL, ContainerDep, ListQueryDep, ResourceId, UowDep
from slaforge.entrypoints.api.problems import PROBLEM_JSON, problem_for
from slaforge.entrypoints.api.routes.background.studies import Provider
from slaforge.entrypoints.api.schemas.background.imports import (
    ImportBatchDetailPublic,
    ImportBatchesPublic,
    ImportBatchPublic,
    ImportPreviewPublic,
    ImportRejectedProblem,
    ImportSummaryPublic,
    MappingPublic,
    MappingsPublic,
    RowProblemPublic,
)
from slaforge.entrypoints.api.schemas.common import FieldError
from slaforge.services.background import batches as import_batches
from slaforge.services.background import imports

router = APIRouter(prefix="/imports", tags=["imports"])
SHOWN = 100  # row problems listed in an answer; all are counted (and kept with a batch)
CHUNK = 1 << 20
MAPPING_MAX_BYTES = 200_000
STALE_SECONDS = 24 * 3600  # uploads left behind (a preview never imported) are swept after a day
TOKEN = r"^[A-Za-z0-9_-]{16,64}$"
SAVED_NAME = r"^[\w.\-]{1,200}\.(problems|rejects)\.csv$"
MappingName = Annotated[
    str | None, Form(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$", description="a built-in mapping's name")
]
MappingFile = Annotated[UploadFile | None, File(description="a mapping YAML file, instead of `mapping`")]
Zone = Annotated[
    str | None, Form(max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$", description="zone of naive times")
]
REJECTED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ImportRejectedProblem,
        "description": "rows were rejected and nothing was written (or the request is invalid)",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ImportRejectedProblem"}}},
    }
}


class UploadTooLarge(SlaforgeError):
    status = 413


# ------------------------------------------------------------------ uploads (shared with the web pages)


def upload_root(container: ContainerDep) -> Path:
    return container.settings.data_dir / "uploads"


def safe_name(name: str | None, default: str) -> str:
    """The file's own name without folders or odd characters (its extension tells its format)."""
    base = re.sub(r"[^\w.\-]+", "_", Path((name or "").replace("\\", "/")).name).strip("._")
    return base[-150:] or default


def _sweep(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


def new_folder(root: Path) -> Path:
    _sweep(root)
    folder = root / secrets.token_urlsafe(18)
    folder.mkdir()
    return folder


def rejects_folder(container: ContainerDep, token: str) -> Path:
    """Where an import of the upload `token` leaves its problems or rejects CSV (kept a day)."""
    root = container.settings.data_dir / "rejects"
    _sweep(root)
    return root / token


def saved_file(container: ContainerDep, token: str, name: str) -> Path:
    found = container.settings.data_dir / "rejects" / token / name
    if not found.is_file():
        raise NotFound("no such file; it is kept for a day after the import")
    return found


async def store(file: UploadFile, target: Path, max_bytes: int) -> Path:
    """Stream the upload to `target` chunk by chunk; past `max_bytes` it is refused (413)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        while chunk := await file.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                target.unlink(missing_ok=True)
                raise UploadTooLarge(f"{file.filename or 'the file'} is larger than {max_bytes:,} bytes")
            out.write(chunk)
    if size == 0:
        raise InvalidInput(f"{file.filename or 'the file'} is empty", field="file")
    return target


async def store_mapping(folder: Path, name: str | None, upload: UploadFile | None) -> str | Path:
    """The mapping to read with: a built-in by name, or the uploaded YAML saved beside the file."""
    if (name is None) == (upload is None or not upload.filename):
        raise InvalidInput("choose a built-in mapping or upload a mapping file, one of them", field="mapping")
    if name is not None:
        if name not in {m.name for m in imports.list_mappings()}:
            raise InvalidInput(f"no built-in mapping '{name}'", field="mapping", value=name)
        return name
    assert upload is not None
    target = folder / "mapping" / safe_name(upload.filename, "mapping.yaml")
    return await store(upload, target, MAPPING_MAX_BYTES)


async def store_history(folder: Path, file: UploadFile, max_bytes: int) -> Path:
    return await store(file, folder / "data" / safe_name(file.filename, "upload.csv"), max_bytes)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ routes


def _problems(problems: Any) -> list[RowProblemPublic]:
    return [RowProblemPublic(row=p.row, column=p.column, reason=p.reason) for p in list(problems)[:SHOWN]]


def download_path(request: Request, saved: Path | None) -> str | None:
    """The URL path of a CSV left under `<data_dir>/rejects/<token>/`, or None."""
    if saved is None:
        return None
    return request.url_for("download_saved", token=saved.parent.name, name=saved.name).path


def rejected_problem(exc: ImportRejected, request: Request) -> JSONResponse:
    base = problem_for(exc, request.url.path)
    saved = exc.problems_file if isinstance(exc, imports.FileRefused) else None
    body = ImportRejectedProblem(
        **base.model_dump(exclude={"errors"}),
        errors=[FieldError(field=p.column or "row", message=str(p)) for p in exc.problems[:SHOWN]],
        rows=_problems(exc.problems),
        problems=len(exc.problems),
        problems_total=len(exc.problems),
        problems_csv=download_path(request, saved),
        rows_read=exc.rows_read,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=422, media_type=PROBLEM_JSON)


async def _import(
    request: Request,
    container: ContainerDep,
    file: UploadFile,
    mapping: str | None,
    mapping_file: UploadFile | None,
    run: Callable[[Path, str | Path, Path], imports.ImportSummary],
) -> Any:
    folder = new_folder(upload_root(container))
    try:
        chosen = await store_mapping(folder, mapping, mapping_file)
        path = await store_history(folder, file, container.settings.upload_max_bytes)
        summary = await run_in_threadpool(run, path, chosen, rejects_folder(container, folder.name))
    except ImportRejected as exc:
        return rejected_problem(exc, request)
    finally:
        discard(folder)
    return ImportSummaryPublic.model_validate(
        {**{k: getattr(summary, k) for k in ImportSummaryPublic.model_fields if hasattr(summary, k)},
         "rejections": _problems(summary.rejections), "rejections_count": len(summary.rejections),
         "rejects_csv": download_path(request, summary.rejects_file)}
    )  # fmt: skip


KeepGood = Annotated[bool, Form(description="store the good rows and record the rejected ones")]
AllowDuplicate = Annotated[bool, Form(description="import a file again that was imported before")]


@router.post("/tickets", response_model=ImportSummaryPublic, status_code=201, responses=REJECTED)
async def import_tickets(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    actor: Provider,
    file: Annotated[UploadFile, File(description="CSV, JSON, JSON Lines, Parquet, or a .zip holding one")],
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    keep_good: KeepGood = False,
    allow_duplicate: AllowDuplicate = False,
    timezone: Zone = None,
) -> Any:
    """Import tickets with their events. All or nothing by default: one bad row and nothing is
    written (422 listing the rows); a file imported before answers 409 unless `allow_duplicate`."""

    def run(path: Path, chosen: str | Path, rejects: Path) -> imports.ImportSummary:
        return imports.import_tickets(
            uow=uow, path=path, mapping=chosen, keep_good=keep_good, allow_duplicate_file=allow_duplicate,
            timezone=timezone, clock=container.clock, rejects_dir=rejects,
        )  # fmt: skip

    return await _import(request, container, file, mapping, mapping_file, run)


@router.post("/outages", response_model=ImportSummaryPublic, status_code=201, responses=REJECTED)
async def import_outages(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    actor: Provider,
    file: Annotated[UploadFile, File(description="CSV, JSON, JSON Lines, Parquet, or a .zip holding one")],
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    keep_good: KeepGood = False,
    allow_duplicate: AllowDuplicate = False,
    timezone: Zone = None,
) -> Any:
    """Import outages (service, start, end, planned); services are created on first sight."""

    def run(path: Path, chosen: str | Path, rejects: Path) -> imports.ImportSummary:
        return imports.import_outages(
            uow=uow, path=path, mapping=chosen, keep_good=keep_good, allow_duplicate_file=allow_duplicate,
            timezone=timezone, clock=container.clock, rejects_dir=rejects,
        )  # fmt: skip

    return await _import(request, container, file, mapping, mapping_file, run)


@router.post("/preview", response_model=ImportPreviewPublic)
async def preview(
    container: ContainerDep,
    actor: Provider,
    file: Annotated[UploadFile, File(description="the file to read")],
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    rows: Annotated[int, Form(ge=1, le=100, description="rows to read")] = 20,
    timezone: Zone = None,
) -> ImportPreviewPublic:
    """The mapping as it will be applied and the first rows as they will be read; nothing is written."""
    folder = new_folder(upload_root(container))
    try:
        chosen = await store_mapping(folder, mapping, mapping_file)
        path = await store_history(folder, file, container.settings.upload_max_bytes)
        found = await run_in_threadpool(
            lambda: imports.preview_import(path=path, mapping=chosen, rows=rows, timezone=timezone)
        )
    finally:
        discard(folder)
    return ImportPreviewPublic.model_validate(
        {"mapping_name": found.mapping_name, "mapping": found.mapping, "kind": found.kind,
         "file_name": found.file_name, "format": found.format, "columns": list(found.columns),
         "rows": [{"row": r.row, "values": r.values, "parsed": r.parsed, "events": list(r.events),
                   "problems": _problems(r.problems)} for r in found.rows]}
    )  # fmt: skip


SavedToken = Annotated[str, PathParam(pattern=TOKEN)]
SavedName = Annotated[str, PathParam(pattern=SAVED_NAME)]


@router.get(
    "/files/{token}/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "the CSV"}},
)
def download_saved(
    container: ContainerDep, actor: Provider, token: SavedToken, name: SavedName
) -> FileResponse:
    """A CSV an import left: every problem of a refused file (file, row, column, value, reason), or
    the rejected rows of a `keep_good` import with their reasons and raw values. Kept a day."""
    return FileResponse(saved_file(container, token, name), media_type="text/csv", filename=name)


@router.get("/mappings", response_model=MappingsPublic)
def list_mappings(
    actor: Provider,
    query: ListQueryDep,
    kind: Annotated[Literal["tickets", "outages"] | None, Query()] = None,
    layout: Annotated[Literal["long", "wide"] | None, Query()] = None,
) -> MappingsPublic:
    """The built-in mappings by name. Sort by name, kind or layout; `q` searches name and summary."""
    page = imports.page_mappings(query=replace(query, filters={"kind": kind, "layout": layout}))
    return MappingsPublic(data=[MappingPublic.model_validate(m) for m in page.data], count=page.count)


@router.get("", response_model=ImportBatchesPublic)
def list_batches(
    uow: UowDep,
    actor: Provider,
    query: ListQueryDep,
    source: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    status: Annotated[str | None, Query(max_length=20, pattern=NO_NUL, description="completed, …")] = None,
) -> ImportBatchesPublic:
    """The import history, newest first, with the rows read, accepted and rejected. Sort by id,
    started_at, finished_at, source, status, rows_read, rows_accepted or rows_rejected; `q`
    searches the file name, source and mapping."""
    filters = {"source": source, "status": status}
    page = import_batches.list_batches(uow=uow, actor=actor, query=replace(query, filters=filters))
    rows = [ImportBatchPublic.model_validate(b) for b in page.data]
    return ImportBatchesPublic(data=rows, count=page.count)


@router.get("/{batch_id}", response_model=ImportBatchDetailPublic)
def get_batch(batch_id: ResourceId, uow: UowDep, actor: Provider) -> ImportBatchDetailPublic:
    found = import_batches.get_batch(uow=uow, actor=actor, batch_id=batch_id)
    return ImportBatchDetailPublic.model_validate(
        {**ImportBatchPublic.model_validate(found.batch).model_dump(),
         "rejects": [RowProblemPublic.model_validate(r) for r in found.rejects],
         "rejects_count": found.rejects_count}
    )  # fmt: skip
