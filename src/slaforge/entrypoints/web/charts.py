"""Charts, drawn one way everywhere: geometry computed here in Python, emitted as inline SVG
by the Jinja macros in templates/macros/charts.html.

No chart library and no JavaScript: pages stay readable without scripts, print well,
and nothing third-party is copied into the repository. Later charts (attainment
curves, compliance bars) add a geometry function here and a macro there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slaforge.domain.time.calendar import Interval

DAY_MINUTES = 1440
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str  # shown as the SVG <title> (a tooltip, and read by screen readers)


@dataclass(frozen=True, slots=True)
class WeekView:
    width: int
    height: int
    left: int  # room for the day labels
    row_height: int
    rows: list[tuple[str, float]]  # label, y of the row's centre
    ticks: list[tuple[float, str]]  # x, hour label
    bars: list[Bar]
    open_hours: float  # per week, each minute counted once

    @property
    def description(self) -> str:
        return f"Open hours of a week: {self.open_hours:g} hours in total"


def week_view(hours: Sequence[Sequence[Interval]], width: int = 720, row_height: int = 26) -> WeekView:
    """A week of open hours, Monday to Sunday by 00:00-24:00.

    An interval crossing midnight is drawn in two parts: to 24:00 on its own day and
    from 00:00 on the next (Sunday night runs into Monday morning).
    """
    left, top = 44, 22
    plot = width - left - 8
    minutes: list[set[int]] = [set() for _ in range(7)]
    for day, ivs in enumerate(hours):
        for iv in ivs:
            for minute in range(iv.start, iv.end):
                minutes[(day + minute // DAY_MINUTES) % 7].add(minute % DAY_MINUTES)
    bars = []
    for day, open_minutes in enumerate(minutes):
        for start, end in _runs(sorted(open_minutes)):
            bars.append(
                Bar(
                    x=left + plot * start / DAY_MINUTES,
                    y=top + day * row_height + 4,
                    width=plot * (end - start) / DAY_MINUTES,
                    height=row_height - 8,
                    title=f"{DAY_LABELS[day]} {_hhmm(start)}–{_hhmm(end)}",
                )
            )
    rows = [(label, top + i * row_height + row_height / 2) for i, label in enumerate(DAY_LABELS)]
    ticks = [(left + plot * h / 24, f"{h:02d}") for h in range(0, 25, 3)]
    total = sum(len(m) for m in minutes) / 60
    return WeekView(width, top + 7 * row_height + 4, left, row_height, rows, ticks, bars, total)


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """[1,2,3,7,8] -> [(1,4),(7,9)]: consecutive minutes as half-open runs."""
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and runs[-1][1] == v:
            runs[-1] = (runs[-1][0], v + 1)
        else:
            runs.append((v, v + 1))
    return runs


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
