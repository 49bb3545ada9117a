"""Console pages for importing service history: choose a mapping and a file, see the mapping and
the first rows as they will be read, then import (all or nothing, or keeping the good rows; a
file imported before is imported again only after a confirmation), and the import history.

The file uploaded for a preview waits in its own folder under `<data_dir>/uploads`, named by an
unguessable token the import form carries, so the user uploads it once; it is removed once
imported (and swept after a day otherwise). A refused file's list of every problem, and the
rejects of an import that kept the good rows, wait a day under `<data_dir>/rejects/<token>` for
download.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from slaforge.adapters.background.uploads import UploadTooLarge
from slaforge.domain.errors import ImportRejected, InvalidInput, NotFound
from slaforge.entrypoints.api.routes.background.imports import (
    SAVED_NAME,
    TOKEN,
    SavedName,
    SavedToken,
    Uploads,
)
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash, flash_error
from slaforge.services.background import batches as import_batches
from slaforge.services.background import imports, mappings

router = APIRouter(prefix="/console/imports")
SHOWN = 100  # rejected rows listed on the page; all are counted
Token = Annotated[str, Form(pattern=TOKEN)]
Flag = Annotated[str, Form(max_length=5)]


@router.get("")
def imports_page(request: Request, uow: WebUow, actor: ProviderUser) -> Response:
    return render(
        request,
        "background/console/imports.html",
        actor,
        mappings=mappings.list_mappings(),
        batches=import_batches.list_batches(uow=uow, actor=actor, limit=100),
    )


@router.post("/preview")
async def preview(
    request: Request,
    container: ContainerDep,
    uploads: Uploads,
    actor: ProviderUser,
    file: Annotated[UploadFile, File()],
    mapping: Annotated[str, Form(max_length=50)] = "",
    mapping_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    folder = uploads.new_folder()
    try:
        chosen = await uploads.store_mapping(folder, mapping or None, mapping_file)
        path = await uploads.store_history(folder, file, container.settings.upload_max_bytes)
        found = await run_in_threadpool(lambda: imports.preview_import(path=path, mapping=chosen))
    except (InvalidInput, NotFound, UploadTooLarge) as exc:
        uploads.discard(folder)
        flash_error(request, exc)
        return redirect("/console/imports")
    shown = {k: v for k, v in found.mapping.items() if k != "description"}
    return render(
        request,
        "background/console/imports_preview.html",
        actor,
        preview=found,
        token=folder.name,
        mapping_yaml=yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=100),
        builtin=mapping or "",
    )


@router.post("/run")
def run(
    request: Request,
    container: ContainerDep,
    uploads: Uploads,
    uow: WebUow,
    actor: ProviderUser,
    token: Token,
    kind: Annotated[str, Form(pattern=r"^(tickets|outages)$")],
    mapping: Annotated[str, Form(max_length=50)] = "",
    keep_good: Flag = "",
    allow_duplicate: Flag = "",
) -> Response:
    """Import what was previewed. Rejected rows, or a file imported before, answer with a page
    that says what happened and offers the next step; nothing is written in either case."""
    try:
        folder, path, uploaded = uploads.uploaded(token)
        chosen: str | Path = uploaded if uploaded is not None else mapping
        summary = imports.import_history(
            uow=uow, kind="tickets" if kind == "tickets" else "outages", path=path, mapping=chosen,
            keep_good=bool(keep_good), allow_duplicate_file=bool(allow_duplicate), clock=container.clock,
            rejects_dir=uploads.rejects_folder(token), actor=actor.email,
        )  # fmt: skip
    except (ImportRejected, imports.AlreadyImported) as exc:
        form = {"token": token, "kind": kind, "builtin": mapping, "keep_good": keep_good}
        return _answer(request, actor, exc, form)
    except (InvalidInput, NotFound) as exc:
        flash_error(request, exc)
        return redirect("/console/imports")
    uploads.discard(folder)
    flash(request, _imported(kind, summary), "success")
    saved = summary.rejects_file
    query = f"?token={token}&file={saved.name}" if saved is not None else ""
    return redirect(f"/console/imports/{summary.batch_id}{query}")


def _imported(kind: str, s: imports.ImportSummary) -> str:
    if kind == "outages":
        what = f"{s.outages:,} outages ({s.outages_new:,} new)"
    else:
        what = f"{s.tickets:,} tickets ({s.tickets_new:,} new), {s.events_new:,} new events"
    kept = f"; {s.rows_rejected:,} rows rejected and recorded" if s.rows_rejected else ""
    return f"Imported {s.file_name}: {what}{kept}."


def _answer(request: Request, actor: Any, exc: Exception, form: dict[str, str]) -> Response:
    """Rows rejected (422: what is wrong, and an offer to keep the good rows), or a file imported
    before (409: the question whether to import it again)."""
    if isinstance(exc, ImportRejected):
        problems = exc.problems
        saved = exc.problems_file if isinstance(exc, imports.FileRefused) else None
        link = _download(form["token"], saved.name) if saved is not None else None
        return render(
            request, "background/console/imports_rejected.html", actor, status_code=422, error=exc,
            problems=problems[:SHOWN], problem_count=len(problems), problems_csv=link, **form,
        )  # fmt: skip
    return render(request, "background/console/imports_again.html", actor, status_code=409, error=exc, **form)


def _download(token: str, name: str) -> str:
    return f"/console/imports/files/{token}/{name}"


@router.get("/files/{token}/{name}")
def download(uploads: Uploads, actor: ProviderUser, token: SavedToken, name: SavedName) -> Response:
    """A CSV an import left (every problem of a refused file, or the rejects it kept apart)."""
    return FileResponse(uploads.saved_file(token, name), media_type="text/csv", filename=name)


@router.get("/{batch_id}")
def batch(
    request: Request,
    batch_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    uploads: Uploads,
    token: Annotated[str | None, Query(pattern=TOKEN)] = None,
    file: Annotated[str | None, Query(pattern=SAVED_NAME)] = None,
) -> Response:
    """One batch with its rejected rows; right after an import that kept the good rows, also the
    link to the CSV of its rejects (`token` and `file`, while the CSV is kept)."""
    found = import_batches.get_batch(uow=uow, actor=actor, batch_id=batch_id)
    link = None
    if token is not None and file is not None:
        try:
            uploads.saved_file(token, file)
            link = _download(token, file)
        except NotFound:
            link = None
    return render(request, "background/console/imports_batch.html", actor, found=found, rejects_csv=link)
