"""The demo's lines for its live part: a ticket's first-response clock warning twice, then
breaching, read from what the scheduler recorded (nothing here is a fixed text of figures)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slaforge.services.demo.live import DemoLive


def live_lines(d: DemoLive, *, show: str) -> list[str]:
    c = d.clock
    zone = ZoneInfo(c.timezone)

    def hm(at: datetime) -> str:
        return at.astimezone(zone).strftime("%H:%M")

    steps = []
    for f in c.firings:
        if f.kind == "breach":
            steps.append(f"{hm(f.due_at)} BREACHED")
        else:
            to = ", ".join(r for _, r in f.notified)
            steps.append(f"{hm(f.due_at)} warned {to}")
    out = [
        f"  live clock ticket {d.external_id} ({c.priority}), replayed on {d.day:%a %Y-%m-%d} in the "
        f"agreement's hours ({c.timezone}), each event posted as it happened:",
        f"             {c.objective}: opened {hm(d.day)} → "
        + " → ".join(steps)
        + (f" → answered {hm(c.stopped_at)}" if c.stopped_at else ""),
        "             each escalation e-mail sent once (see the outbox); the clock: "
        f"/console/tickets/{d.ticket_id}/clocks",
        f"  {show}",
    ]
    return out
