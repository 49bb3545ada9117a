"""Uploaded history and mapping files on disk, for the API and the console pages.

An upload is streamed into a folder of its own under `<data_dir>/uploads`, named by an
unguessable token (the console's import form carries it, so the user uploads a file once), and
refused past its size limit. Folders left behind (a preview never imported) are swept after a
day. The CSV of every problem of a refused file, and the rejects of a `keep_good` import, wait
a day under `<data_dir>/rejects/<token>` for download.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Protocol

from slaforge.adapters.background.importers.registry import builtin_mappings
from slaforge.domain.errors import InvalidInput, NotFound, SlaforgeError

CHUNK = 1 << 20
MAPPING_MAX_BYTES = 200_000
STALE_SECONDS = 24 * 3600  # uploads left behind (a preview never imported) are swept after a day


class UploadTooLarge(SlaforgeError):
    status = 413


class Upload(Protocol):
    """What the web framework hands over for an uploaded file (Starlette's UploadFile is one)."""

    @property
    def filename(self) -> str | None: ...

    async def read(self, size: int = -1) -> bytes: ...


def safe_name(name: str | None, default: str) -> str:
    """The file's own name without folders or odd characters (its extension tells its format)."""
    base = re.sub(r"[^\w.\-]+", "_", Path((name or "").replace("\\", "/")).name).strip("._")
    return base[-150:] or default


def _sweep(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


async def store(file: Upload, target: Path, max_bytes: int) -> Path:
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


class UploadStore:
    """The upload and rejects folders under one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "uploads"
        self.rejects_root = data_dir / "rejects"

    def new_folder(self) -> Path:
        _sweep(self.root)
        folder = self.root / secrets.token_urlsafe(18)
        folder.mkdir()
        return folder

    def folder(self, token: str) -> Path:
        return self.root / token

    def rejects_folder(self, token: str) -> Path:
        """Where an import of the upload `token` leaves its problems or rejects CSV (kept a day)."""
        _sweep(self.rejects_root)
        return self.rejects_root / token

    def saved_file(self, token: str, name: str) -> Path:
        found = self.rejects_root / token / name
        if not found.is_file():
            raise NotFound("no such file; it is kept for a day after the import")
        return found

    async def store_mapping(self, folder: Path, name: str | None, upload: Upload | None) -> str | Path:
        """The mapping to read with: a built-in by name, or the uploaded YAML saved beside the file."""
        if (name is None) == (upload is None or not upload.filename):
            raise InvalidInput(
                "choose a built-in mapping or upload a mapping file, one of them", field="mapping"
            )
        if name is not None:
            if name not in {m.name for m in builtin_mappings()}:
                raise InvalidInput(f"no built-in mapping '{name}'", field="mapping", value=name)
            return name
        assert upload is not None
        target = folder / "mapping" / safe_name(upload.filename, "mapping.yaml")
        return await store(upload, target, MAPPING_MAX_BYTES)

    async def store_history(self, folder: Path, file: Upload, max_bytes: int) -> Path:
        return await store(file, folder / "data" / safe_name(file.filename, "upload.csv"), max_bytes)

    def uploaded(self, token: str) -> tuple[Path, Path, Path | None]:
        """The folder, data file and uploaded mapping (if any) a preview left for this token."""
        folder = self.folder(token)
        data = sorted((folder / "data").glob("*")) if folder.is_dir() else []
        if not data:
            raise InvalidInput("the uploaded file is no longer here; upload it again", field="token")
        mappings = sorted((folder / "mapping").glob("*"))
        return folder, data[0], mappings[0] if mappings else None

    @staticmethod
    def discard(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
