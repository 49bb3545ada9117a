"""The domain's error tree; entry points map each class to a status in one place.

SlaforgeError                 base of everything slaforge raises on purpose
├── InvalidInput              bad input; names the field (and row or line) and the value
│   ├── CalendarError         a calendar definition or a time argument is wrong
│   └── ImportRejected        an import found bad rows and wrote nothing; lists every RowProblem
├── NotFound                  a named thing does not exist (or is not visible to the caller)
├── Conflict                  the request clashes with stored state (duplicate, stale)
└── IllegalTransition         a lifecycle step that the current state does not allow
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SlaforgeError(Exception):
    """Base class of every error slaforge raises deliberately."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(SlaforgeError):
    """Input that cannot be used; `field` names where, `value` what was given."""

    status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        row: int | None = None,
    ) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field '{field}'")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)
        self.field = field
        self.value = value
        self.row = row


class CalendarError(InvalidInput):
    """A calendar definition, or an argument to a calendar query, is invalid."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row of an imported file cannot be used, and where: `row` is the line in the file
    (a CSV header is line 1); `column` the source column, when one is to blame."""

    row: int | None
    column: str | None
    reason: str
    file: str | None = None

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.reason


class ImportRejected(InvalidInput):
    """An import found bad rows and, by default, wrote nothing; every problem is listed.

    The message shows the first `shown` problems (enough to see the pattern of a bad export
    without flooding a terminal); `problems` holds them all.
    """

    def __init__(
        self, file_name: str, problems: Sequence[RowProblem], rows_read: int, *, shown: int = 20
    ) -> None:
        lines = [f"  {p}" for p in problems[:shown]]
        if len(problems) > shown:
            lines.append(f"  … and {len(problems) - shown} more")
        super().__init__(
            f"{file_name}: {len(problems)} problem(s) in {rows_read} rows, nothing was imported "
            "(fix them, or use --keep-good to store the valid rows and record the rest):\n"
            + "\n".join(lines),
            value=file_name,
        )
        self.file_name = file_name
        self.problems = list(problems)
        self.rows_read = rows_read

    @property
    def rejections(self) -> list[RowProblem]:  # the name the first importer used
        return self.problems


class NotFound(SlaforgeError):
    status = 404


class Conflict(SlaforgeError):
    status = 409


class IllegalTransition(SlaforgeError):
    status = 409
