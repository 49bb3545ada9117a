"""Imports as the API shows them: the summary of an import, a preview of a file as it will be read,
the import history (batches with their rejected rows), the built-in mappings, and the problem
answered when a file's rows are rejected."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from slaforge.entrypoints.api.schemas.common import Output, Problem


class RowProblemPublic(Output):
    row: int | None = Field(description="the line in the file (a CSV header is line 1)")
    column: str | None = Field(description="the source column at fault, when one is")
    reason: str


class ImportSummaryPublic(Output):
    batch_id: int
    source: str
    file_name: str
    file_sha256: str
    mapping: str
    status: str = Field(description="completed, or partial when rejected rows were left out on request")
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    tickets: int
    tickets_new: int
    events: int
    events_new: int
    outages: int
    outages_new: int
    seconds: float
    rejections: list[RowProblemPublic] = Field(description="the first 100 rejected rows")
    rejections_count: int
    rejects_csv: str | None = Field(
        default=None, description="path of a CSV of every rejected row with its reasons (kept a day)"
    )


class PreviewRowPublic(Output):
    row: int
    values: dict[str, str] = Field(description="as written in the file")
    parsed: dict[str, Any] = Field(description="as the importer reads them (times in UTC)")
    events: list[str] = Field(description="what the row becomes")
    problems: list[RowProblemPublic]


class ImportPreviewPublic(Output):
    mapping_name: str
    mapping: dict[str, Any] = Field(description="the mapping as loaded, defaults filled in")
    kind: str = Field(description="tickets or outages")
    file_name: str
    format: str
    columns: list[str]
    rows: list[PreviewRowPublic]


class ImportBatchPublic(Output):
    id: int
    source: str
    file_name: str
    file_sha256: str
    mapping: str
    status: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    started_at: datetime
    finished_at: datetime | None


class ImportBatchesPublic(Output):
    data: list[ImportBatchPublic]
    count: int


class ImportBatchDetailPublic(ImportBatchPublic):
    rejects: list[RowProblemPublic] = Field(description="rejected rows by line (at most 1,000)")
    rejects_count: int


class MappingPublic(Output):
    name: str
    kind: str
    layout: str | None
    summary: str


class MappingsPublic(Output):
    data: list[MappingPublic]
    count: int


class ImportRejectedProblem(Problem):
    """422 when rows are rejected and nothing was written: `rows` lists the first 100 problems,
    `problems` and `problems_total` count them all, `problems_csv` is the path of a CSV listing
    every one (file, row, column, value, reason)."""

    rows: list[RowProblemPublic] = Field(default_factory=list)
    problems: int = 0
    problems_total: int = 0
    problems_csv: str | None = None
    rows_read: int = 0
