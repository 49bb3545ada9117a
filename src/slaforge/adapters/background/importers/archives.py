"""Compressed exports (.zip, .gz) read safely: a zip bomb, a gzip bomb, an archive of many members
or an archive inside an archive is refused with the limit it broke, before it fills the disk,
the memory or the afternoon.

The sizes an archive declares are read only to refuse early; they can lie, so every read of a
member goes through `Capped`, which counts the bytes actually decompressed and stops at the cap
(a seek back and a re-read count once: the cap is on the furthest position reached).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from slaforge.domain.errors import InvalidInput

ARCHIVE_SUFFIXES = (".zip", ".gz", ".gzip", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst")
_MAGIC = {b"PK\x03\x04": "zip", b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ": "xz", b"7z\xbc\xaf": "7z"}
MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How far a compressed export may expand. Real exports compress 5 to 20 times (the UCI
    incident log: 19 times); a bomb compresses a thousand times or more."""

    max_members: int = 100  # entries in a .zip, folders included
    max_ratio: int = 100  # bytes read per byte of the archive on disk…
    ratio_floor: int = 64 * MiB  # …once more than this much has been read (small files compress oddly)
    max_expanded: int = 4096 * MiB  # bytes read from one archive, whatever its size

    def cap(self, archive_bytes: int) -> int:
        """The most bytes an archive of this size on disk may expand to."""
        return min(self.max_expanded, max(self.ratio_floor, self.max_ratio * archive_bytes))


LIMITS = ArchiveLimits()


def _refuse(path: Path, limit: str, allowed: int, actual: int | str) -> InvalidInput:
    return InvalidInput(
        f"{path.name} is refused: {limit} is limited to {allowed:,}, and the archive has {actual}",
        field="file",
        value=path.name,
    )


def sniff(path: Path) -> str | None:
    """'zip' or 'gzip' (or another compression named by its magic bytes), or None for a plain file."""
    with path.open("rb") as fh:
        head = fh.read(8)
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


def check_zip(path: Path, archive: zipfile.ZipFile, limits: ArchiveLimits = LIMITS) -> None:
    """Refuse, from the archive's directory, too many members, a member that is itself an
    archive, and a declared expanded size beyond the cap (the running cap catches a lie)."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(path, "the number of members", limits.max_members, f"{len(infos):,} members")
    nested = [i.filename for i in infos if i.filename.lower().endswith(ARCHIVE_SUFFIXES)]
    if nested:
        raise InvalidInput(
            f"{path.name} is refused: it holds another archive ({', '.join(nested[:5])}); "
            "archives inside archives are not read — unpack the inner one and upload its data file",
            field="file",
            value=nested[0],
        )
    declared = sum(i.file_size for i in infos)
    cap = limits.cap(path.stat().st_size)
    if declared > cap:
        raise _refuse(
            path,
            f"the expanded size (at most {limits.max_ratio} times the archive's "
            f"{path.stat().st_size:,} bytes, never more than {limits.max_expanded:,})",
            cap,
            f"{declared:,} bytes expanded",
        )


class Capped(io.RawIOBase):
    """A decompressing stream that refuses to go past `cap` bytes, counted as they are read."""

    def __init__(
        self, inner: io.BufferedIOBase | IO[bytes], path: Path, cap: int, limits: ArchiveLimits
    ) -> None:
        self._inner, self._path, self._cap, self._limits = inner, path, cap, limits
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._inner.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._inner.seek(offset, whence)
        self._check()
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # One byte past the cap is enough to know it is exceeded, so no read goes further.
        want = min(len(buffer), self._cap + 1 - self._pos)
        if want <= 0:
            self._check(self._pos + 1)
        data = self._inner.read(max(want, 0))
        buffer[: len(data)] = data
        self._pos += len(data)
        self._check()
        return len(data)

    def _check(self, pos: int | None = None) -> None:
        if (self._pos if pos is None else pos) > self._cap:
            raise _refuse(
                self._path,
                f"the expanded size (at most {self._limits.max_ratio} times the archive's "
                f"{self._path.stat().st_size:,} bytes, never more than {self._limits.max_expanded:,})",
                self._cap,
                f"more than {self._cap:,} bytes expanded",
            )

    def close(self) -> None:
        self._inner.close()
        super().close()


def capped(inner: io.BufferedIOBase | IO[bytes], path: Path, limits: ArchiveLimits = LIMITS) -> IO[bytes]:
    """`inner` (a member of the archive at `path`, being decompressed) behind the running cap."""
    raw = Capped(inner, path, limits.cap(path.stat().st_size), limits)
    return io.BufferedReader(raw, buffer_size=1 * MiB)


def open_gzip(path: Path, limits: ArchiveLimits = LIMITS) -> IO[bytes]:
    """A .gz export, decompressed as it is read, behind the running cap; refused when the
    decompressed data is itself compressed (an archive inside an archive)."""
    try:
        with gzip.open(path, "rb") as probe:
            head = probe.read(8)
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"{path.name} is not a readable gzip file: {exc}", field="file") from exc
    inner = next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)
    if inner is not None:
        raise InvalidInput(
            f"{path.name} is refused: it holds another archive ({inner}); archives inside archives "
            "are not read — unpack the inner one and upload its data file",
            field="file",
            value=path.name,
        )
    return capped(gzip.open(path, "rb"), path, limits)


def gzip_inner_name(path: Path) -> Path:
    """The name of what a .gz holds: tickets.csv.gz holds tickets.csv."""
    return Path(path.stem) if path.suffix.lower() in (".gz", ".gzip") else path
