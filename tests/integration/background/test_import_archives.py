"""Attack tests: compressed exports that would expand without end or hide archives in archives are
refused with the limit they broke, and nothing is written; honest .zip and .gz exports import."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from slaforge.adapters.background.importers.archives import LIMITS
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput
from slaforge.services.background.imports import import_tickets, preview_import
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.background.test_import_rules import counts

JIRA = "jira-service-management"
CSV = b"""Issue key,Issue Type,Status,Priority,Created,Resolved,Custom field (Date of First Response)
SUP-1,Incident,Resolved,High,04/Mar/24 09:15 AM,04/Mar/24 11:00 AM,04/Mar/24 09:40 AM
SUP-2,Service request,Closed,Medium,05/Mar/24 10:00 AM,06/Mar/24 03:00 PM,05/Mar/24 01:00 PM
"""
HUNDRED_MB = 100 * (1 << 20)


def zeros_in_chunks(write: object, total: int = HUNDRED_MB) -> None:
    chunk = bytes(1 << 20)
    for _ in range(total // len(chunk)):
        write(chunk)  # type: ignore[operator]


def zip_bomb(path: Path) -> Path:
    """100 MB of zeros, deflated to about 100 kB, named like a CSV export."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("export.csv", "w") as out:
        out.write(CSV)
        zeros_in_chunks(out.write)
    return path


def gzip_bomb(path: Path, *, zeros: bool = False) -> Path:
    """About 100 MB after a valid header: one row repeated (a file every reader parses happily,
    so only the running cap stops it) or zeros; gzip declares no size up front."""
    row = CSV.splitlines(keepends=True)[1]
    block = row * ((1 << 20) // len(row))
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(CSV)
        if zeros:
            zeros_in_chunks(out.write)
        else:
            for _ in range(100):
                out.write(block)
    return path


def _refused(uow: UnitOfWork, path: Path) -> InvalidInput:
    before = counts(uow)
    with pytest.raises(InvalidInput) as refused:
        import_tickets(uow=uow, path=path, mapping=JIRA, clock=system_clock)
    assert counts(uow) == before, "nothing is written"
    assert refused.value.field == "file"
    return refused.value


def test_a_zip_bomb_is_refused_naming_the_expanded_size_limit(uow: UnitOfWork, tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "export.zip")
    assert bomb.stat().st_size < HUNDRED_MB // 500  # it really is a bomb
    error = _refused(uow, bomb)
    assert "the expanded size" in error.message
    assert f"{LIMITS.cap(bomb.stat().st_size):,}" in error.message
    assert f"{HUNDRED_MB + len(CSV):,} bytes expanded" in error.message
    with pytest.raises(InvalidInput, match="the expanded size"):
        preview_import(path=bomb, mapping=JIRA, rows=5)


def test_a_gzip_bomb_is_refused_while_it_is_read(uow: UnitOfWork, tmp_path: Path) -> None:
    # Zeros are no CSV: refused as unreadable before the cap is reached, and nothing is written.
    _refused(uow, gzip_bomb(tmp_path / "zeros.csv.gz", zeros=True))
    bomb = gzip_bomb(tmp_path / "export.csv.gz")
    assert bomb.stat().st_size < HUNDRED_MB // 200  # about 300 times
    error = _refused(uow, bomb)
    cap = LIMITS.cap(bomb.stat().st_size)
    assert cap < HUNDRED_MB
    assert f"is limited to {cap:,}" in error.message
    assert f"more than {cap:,} bytes expanded" in error.message


def test_a_zip_of_many_members_is_refused_naming_the_count(uow: UnitOfWork, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.csv", CSV)
        for i in range(LIMITS.max_members + 400):
            archive.writestr(f"notes/{i}.txt", b"x")
    error = _refused(uow, path)
    assert f"the number of members is limited to {LIMITS.max_members}" in error.message
    assert f"{LIMITS.max_members + 401:,} members" in error.message


def test_an_archive_inside_an_archive_is_refused(uow: UnitOfWork, tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.csv", CSV)
    nested_zip = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested_zip, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", b"the data is inside")
        archive.writestr("data/inner.zip", inner.getvalue())
    assert "another archive (data/inner.zip)" in _refused(uow, nested_zip).message
    # A .gz whose content is a zip, even when it is named like a CSV.
    zip_in_gzip = tmp_path / "export.csv.gz"
    zip_in_gzip.write_bytes(gzip.compress(inner.getvalue()))
    assert "another archive (zip)" in _refused(uow, zip_in_gzip).message
    # A zip holding a gzipped member.
    gz_in_zip = tmp_path / "export-gz.zip"
    with zipfile.ZipFile(gz_in_zip, "w") as archive:
        archive.writestr("export.csv.gz", gzip.compress(CSV))
    assert "another archive (export.csv.gz)" in _refused(uow, gz_in_zip).message


def test_other_compressions_are_refused_rather_than_parsed_as_text(uow: UnitOfWork, tmp_path: Path) -> None:
    import bz2

    path = tmp_path / "export.csv"
    path.write_bytes(bz2.compress(CSV))
    assert "compressed with bzip2, which is not read" in _refused(uow, path).message


def test_honest_zip_and_gzip_exports_import(uow: UnitOfWork, tmp_path: Path) -> None:
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.csv", CSV)
    done = import_tickets(uow=uow, path=zipped, mapping=JIRA, clock=system_clock, source="zipped")
    assert done.tickets == 2
    gzipped = tmp_path / "export.csv.gz"
    gzipped.write_bytes(gzip.compress(CSV))
    done = import_tickets(uow=uow, path=gzipped, mapping=JIRA, clock=system_clock, source="gzipped")
    assert done.tickets == 2
    # A large, ordinary export expands far less than the limit allows: 20 000 rows, about 2.7 MB.
    rows = b"".join(
        f"SUP-{i},Incident,Resolved,High,04/Mar/24 09:15 AM,04/Mar/24 11:00 AM,04/Mar/24 09:40 AM\n".encode()
        for i in range(3, 20_003)
    )
    big = tmp_path / "big.csv.gz"
    big.write_bytes(gzip.compress(CSV + rows))
    done = import_tickets(uow=uow, path=big, mapping=JIRA, clock=system_clock, source="big")
    assert done.tickets == 20_002
