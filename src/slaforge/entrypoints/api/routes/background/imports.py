"""/api/v1/imports: upload a history file (tickets or outages) through a built-in or uploaded
mapping, preview it, and read the import history with its rejected rows.

Uploads are streamed to a folder of their own under `<data_dir>/uploads` (adapters/background/
uploads.py), refused past `upload_max_bytes`, and removed once the import is done. The CSV of
every problem of a refused file, and the rejects of a `keep_good` import, stay under
`<data_dir>/rejects/<token>` for a day, offered for download (`problems_csv`, `rejects_csv`).
Imports are the provider's: to customer users these routes do not exist (404).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from slaforge.adapters.background.uploads import UploadStore
from slaforge.domain.errors import ImportRejected
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.problems import PROBLEM_JSON, problem_for
from slaforge.entrypoints.api.routes.background.studies import Provider
from slaforge.entrypoints.api.routing import api_router
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
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, ResourceId, UowDep, sorted_by
from slaforge.services.background import batches as import_batches
from slaforge.services.background import imports, mappings

router = api_router(prefix="/imports", tags=["imports"])
SHOWN = 100  # row problems listed in an answer; all are counted (and kept with a batch)
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


def _uploads(container: ContainerDep) -> UploadStore:
    """The upload and rejects folders under the data directory (shared with the web pages)."""
    return UploadStore(container.settings.data_dir)


Uploads = Annotated[UploadStore, Depends(_uploads)]


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
    uow: UowDep,
    uploads: UploadStore,
    kind: imports.ImportKind,
    file: UploadFile,
    mapping: str | None,
    mapping_file: UploadFile | None,
    options: imports.ImportOptions,
) -> Any:
    folder = uploads.new_folder()
    try:
        chosen = await uploads.store_mapping(folder, mapping, mapping_file)
        path = await uploads.store_history(folder, file, container.settings.upload_max_bytes)
        options["rejects_dir"] = uploads.rejects_folder(folder.name)
        summary = await run_in_threadpool(
            lambda: imports.import_history(
                uow=uow, kind=kind, path=path, mapping=chosen, clock=container.clock, **options
            )
        )
    except ImportRejected as exc:
        return rejected_problem(exc, request)
    finally:
        uploads.discard(folder)
    return ImportSummaryPublic.model_validate(
        {**{k: getattr(summary, k) for k in ImportSummaryPublic.model_fields if hasattr(summary, k)},
         "rejections": _problems(summary.rejections), "rejections_count": len(summary.rejections),
         "rejects_csv": download_path(request, summary.rejects_file)}
    )  # fmt: skip


KeepGood = Annotated[bool, Form(description="store the good rows and record the rejected ones")]
AllowDuplicate = Annotated[bool, Form(description="import a file again that was imported before")]
HistoryFile = Annotated[
    UploadFile, File(description="CSV, JSON, JSON Lines, Parquet, or a .zip or .gz holding one")
]


@router.post("/tickets", response_model=ImportSummaryPublic, status_code=201, responses=REJECTED)
async def import_tickets(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    uploads: Uploads,
    actor: Provider,
    file: HistoryFile,
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    keep_good: KeepGood = False,
    allow_duplicate: AllowDuplicate = False,
    timezone: Zone = None,
) -> Any:
    """Import tickets with their events. All or nothing by default: one bad row and nothing is
    written (422 listing the rows); a file imported before answers 409 unless `allow_duplicate`."""
    options = imports.ImportOptions(
        keep_good=keep_good, allow_duplicate_file=allow_duplicate, timezone=timezone, actor=actor.email
    )
    return await _import(request, container, uow, uploads, "tickets", file, mapping, mapping_file, options)


@router.post("/outages", response_model=ImportSummaryPublic, status_code=201, responses=REJECTED)
async def import_outages(
    request: Request,
    container: ContainerDep,
    uow: UowDep,
    uploads: Uploads,
    actor: Provider,
    file: HistoryFile,
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    keep_good: KeepGood = False,
    allow_duplicate: AllowDuplicate = False,
    timezone: Zone = None,
) -> Any:
    """Import outages (service, start, end, planned); services are created on first sight."""
    options = imports.ImportOptions(
        keep_good=keep_good, allow_duplicate_file=allow_duplicate, timezone=timezone, actor=actor.email
    )
    return await _import(request, container, uow, uploads, "outages", file, mapping, mapping_file, options)


@router.post("/preview", response_model=ImportPreviewPublic)
async def preview(
    container: ContainerDep,
    uploads: Uploads,
    actor: Provider,
    file: Annotated[UploadFile, File(description="the file to read")],
    mapping: MappingName = None,
    mapping_file: MappingFile = None,
    rows: Annotated[int, Form(ge=1, le=100, description="rows to read")] = 20,
    timezone: Zone = None,
) -> ImportPreviewPublic:
    """The mapping as it will be applied and the first rows as they will be read; nothing is written."""
    folder = uploads.new_folder()
    try:
        chosen = await uploads.store_mapping(folder, mapping, mapping_file)
        path = await uploads.store_history(folder, file, container.settings.upload_max_bytes)
        found = await run_in_threadpool(
            lambda: imports.preview_import(path=path, mapping=chosen, rows=rows, timezone=timezone)
        )
    finally:
        uploads.discard(folder)
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
def download_saved(uploads: Uploads, actor: Provider, token: SavedToken, name: SavedName) -> FileResponse:
    """A CSV an import left: every problem of a refused file (file, row, column, value, reason), or
    the rejected rows of a `keep_good` import with their reasons and raw values. Kept a day."""
    return FileResponse(uploads.saved_file(token, name), media_type="text/csv", filename=name)


@router.get("/mappings", response_model=MappingsPublic)
def list_mappings(
    actor: Provider,
    query: Annotated[ListQuery, Depends(sorted_by("name", "kind", "layout"))],
    kind: Annotated[Literal["tickets", "outages"] | None, Query()] = None,
    layout: Annotated[Literal["long", "wide"] | None, Query()] = None,
) -> MappingsPublic:
    """The built-in mappings by name. Sort by name, kind or layout; `q` searches name and summary."""
    page = mappings.page_mappings(query=replace(query, filters={"kind": kind, "layout": layout}))
    return MappingsPublic(data=[MappingPublic.model_validate(m) for m in page.data], count=page.count)


@router.get("", response_model=ImportBatchesPublic)
def list_batches(
    uow: UowDep,
    actor: Provider,
    query: Annotated[
        ListQuery,
        Depends(
            sorted_by(
                "id",
                "started_at",
                "finished_at",
                "source",
                "status",
                "rows_read",
                "rows_accepted",
                "rows_rejected",
            )
        ),
    ],
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
