"""The Gantt geometry: bars from start (or creation) to the end of the due day, arrows from a
prerequisite's end to its dependant's start, a today line, and a title on every bar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slaforge.entrypoints.web.routes.relationship.task_timeline import gantt
from slaforge.services.relationship.tasks import TaskView

NOW = datetime(2026, 11, 10, 12, tzinfo=UTC)


def _task(
    tid: int, title: str, start: date | None, due: date, *, deps: tuple[int, ...] = (), overdue: bool = False
) -> TaskView:
    created = datetime(2026, 11, 2, 9, tzinfo=UTC)
    return TaskView(
        tid, 1, title, "", "provider", "", start, due, "open", None, "", "", 1,
        "m", created, "m", created, None, overdue, deps,
    )  # fmt: skip


def test_bars_arrows_today_and_titles() -> None:
    a = _task(1, "Grant VPN access", date(2026, 11, 3), date(2026, 11, 5), overdue=True)
    b = _task(2, "Configure monitoring", None, date(2026, 11, 12), deps=(1,))
    g = gantt([a, b], now=NOW, zone="Europe/Berlin")
    first, second = g.bars
    assert first.x < first.x + first.width <= second.x + second.width
    assert second.x < first.x + first.width  # no start date: from the day it was created (2 Nov)
    assert first.overdue
    assert first.title == "Grant VPN access: provider; 2026-11-03 to 2026-11-05; open, OVERDUE"
    assert len(g.arrows) == 1
    assert g.arrows[0].startswith(f"M{first.x + first.width:.1f},")
    assert g.today_x is not None
    assert first.x < g.today_x < second.x + second.width
    assert "1 overdue; today is 2026-11-10 (Europe/Berlin)" in g.description
    assert not first.critical


def test_an_empty_list_draws_nothing() -> None:
    g = gantt([], now=NOW, zone="UTC")
    assert (g.bars, g.arrows, g.description) == ([], [], "No tasks yet")
