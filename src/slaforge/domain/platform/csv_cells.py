"""Cells of a CSV that slaforge writes, made safe to open in a spreadsheet (CSV injection).

A spreadsheet evaluates a cell that begins with `=`, `+`, `-` or `@` as a formula, and a leading
tab or carriage return can hide such a start; an exported category `=cmd|' /C calc'!A0` would
run on the reader's machine. Following OWASP's guidance, such a cell is written with a leading
apostrophe (`'=cmd|…`), which spreadsheets show as text and do not evaluate. The value stored in
the database is never changed: only what goes into a file is.

A plain number (`-5`, `+3.25`, `1e-3`) is left as it is: a spreadsheet reads it as that number
and evaluates nothing, and numbers slaforge writes itself (row numbers, seconds) stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value as a CSV cell a spreadsheet will not evaluate; non-text values pass unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values: Iterable[object]) -> list[object]:
    """`safe_cell` over a row, for `csv.writer(...).writerow(safe_row(...))`."""
    return [safe_cell(v) for v in values]
