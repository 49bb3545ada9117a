"""Business durations written as text: '4h', '1d 2h', '90m', '1 business day'."""

from __future__ import annotations

import re

from slaforge.domain.errors import InvalidInput

# The documented forms: a number with a unit letter ('4h', '1d 2h', '90m', '30s'), or a number, a
# space and a unit word ('4 hours', '1 business day', '30 min'). A word glued to its number
# ('4hours') is refused rather than guessed at.
_PART = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*([dhms])|\s+(business days?|days?|hours?|minutes?|mins?|seconds?|secs?))\b"
)
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0}
FORMS = "'4h', '1d 2h', '90m', '30s', or a number and a word: '4 hours', '1 business day', '30 min'"


def parse_duration(text: str, *, day_seconds: float, field: str = "duration") -> float:
    """Seconds of business time; a day is `day_seconds`, the calendar's typical business day."""
    raw = text.strip().lower()
    if not raw:
        raise InvalidInput(f"a duration is required ({FORMS})", field=field, value=text)
    total = 0.0
    pos = 0
    for m in _PART.finditer(raw):
        if raw[pos : m.start()].strip(" ,+"):
            break
        unit = m.group(2) or m.group(3)
        key = "d" if unit.startswith(("d", "b")) else unit[0]
        total += float(m.group(1)) * (day_seconds if key == "d" else _UNITS[key])
        pos = m.end()
    if pos == 0 or raw[pos:].strip(" ,+"):
        raise InvalidInput(
            f"'{text}' is not a duration: use {FORMS} (d = one business day)",
            field=field,
            value=text,
        )
    return total


def format_duration(seconds: float) -> str:
    """Compact human form: '2h 30m', '45s', '0s'."""
    s = round(seconds)
    parts: list[str] = []
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if s >= size or (unit == "s" and not parts):
            n, s = divmod(s, size)
            if n or unit == "s":
                parts.append(f"{n}{unit}")
    return " ".join(parts) if parts else "0s"
