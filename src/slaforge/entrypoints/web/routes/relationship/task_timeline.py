"""The task list's Gantt-like timeline: geometry computed here, drawn as inline SVG by
templates/relationship/tasks_gantt.html (no script, no chart library, like web/charts.py).

One row per task in dependency order; a bar runs from the start date (or the day it was created)
to the end of the due date, coloured by status, outlined and marked "!" when overdue; arrows run
from the end of a prerequisite's bar to the start of the task waiting for it; a line marks today
in the agreement's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slaforge.domain.relationship.tasks import zone_of
from slaforge.services.relationship.tasks import TaskView

LEFT, TOP, ROW, RIGHT = 230, 34, 28, 16


@dataclass(frozen=True, slots=True)
class GanttBar:
    label: str
    x: float
    y: float
    width: float
    status: str
    overdue: bool
    critical: bool  # on the critical path
    title: str  # the SVG <title>: a tooltip, and what a screen reader says


@dataclass(frozen=True, slots=True)
class Gantt:
    width: int
    height: int
    bars: list[GanttBar]
    arrows: list[str]  # SVG path data
    ticks: list[tuple[float, str]]
    today_x: float | None
    today: str
    description: str


def _start(task: TaskView, zone: str) -> date:
    return task.start_date or task.created_at.astimezone(zone_of(zone)).date()


def gantt(
    tasks: Sequence[TaskView], *, now: datetime, zone: str, critical: Sequence[int] = (), width: int = 960
) -> Gantt:
    today = now.astimezone(zone_of(zone)).date()
    if not tasks:
        return Gantt(width, TOP, [], [], [], None, today.isoformat(), "No tasks yet")
    first = min(min(_start(t, zone), t.due_date) for t in tasks)
    first = min(first, today) - timedelta(days=1)
    last = max(max(t.due_date for t in tasks), today) + timedelta(days=2)
    days = (last - first).days
    plot = width - LEFT - RIGHT

    def x(day: date) -> float:
        return LEFT + plot * (day - first).days / days

    bars, ends, starts = [], {}, {}
    for row, t in enumerate(tasks):
        begin = min(_start(t, zone), t.due_date)
        x0, x1, y = x(begin), x(t.due_date + timedelta(days=1)), TOP + row * ROW + 5
        state = t.status.replace("_", " ") + (", OVERDUE" if t.overdue else "")
        who = f", {t.assignee}" if t.assignee else ""
        title = f"{t.title}: {t.party}{who}; {begin.isoformat()} to {t.due_date.isoformat()}; {state}"
        on_path = t.id in critical
        title += "; on the critical path" if on_path else ""
        bars.append(GanttBar(t.title, x0, y, max(x1 - x0, 3.0), t.status, t.overdue, on_path, title))
        ends[t.id], starts[t.id] = (x1, y + (ROW - 10) / 2), (x0, y + (ROW - 10) / 2)
    arrows = []
    for t in tasks:
        for dep in t.depends_on:
            if dep in ends and t.id in starts:
                (ax, ay), (bx, by) = ends[dep], starts[t.id]
                mid = max(ax + 6, bx - 6) if bx - 6 > ax + 6 else ax + 6
                arrows.append(f"M{ax:.1f},{ay:.1f} H{mid:.1f} V{by:.1f} H{bx - 1:.1f}")
    ticks, day = [], first
    while day <= last:
        if day.weekday() == 0:
            ticks.append((x(day), day.strftime("%d %b")))
        day += timedelta(days=1)
    overdue = sum(t.overdue for t in tasks)
    description = (
        f"Timeline of {len(tasks)} task(s) from {first + timedelta(days=1)} to {last - timedelta(days=2)}; "
        f"{overdue} overdue; today is {today.isoformat()} ({zone})"
    )
    height = TOP + len(tasks) * ROW + 8
    return Gantt(
        width, height, bars, arrows, ticks, x(today) + plot / days / 2, today.isoformat(), description
    )
