"""Calendars stored as YAML files."""

from __future__ import annotations

from pathlib import Path

import yaml

from slaforge.domain.errors import CalendarError
from slaforge.domain.time.calendar import BusinessCalendar


def load_calendar_file(path: Path) -> BusinessCalendar:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarError(f"cannot read {path}: {exc.strerror}", field="file", value=str(path)) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CalendarError(f"{path} is not valid YAML{where}", field="file", value=str(path)) from exc
    if not isinstance(data, dict):
        raise CalendarError(f"{path} must hold a mapping (timezone, hours, …)", field="file", value=str(path))
    return BusinessCalendar.from_dict(data)


def dump_calendar(calendar: BusinessCalendar) -> str:
    return yaml.safe_dump(calendar.to_dict(), sort_keys=False)
