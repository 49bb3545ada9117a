"""The demo's lines for its live part: a ticket's first-response clock warning twice, then
breaching, read from what the scheduler recorded (nothing here is a fixed text of figures)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slaforge.services.demo.live import DemoLive
from slaforge.services.demo.months import DemoMonths


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


def months_lines(m: DemoMonths, *, show: str) -> list[str]:
    """The agreement live for months: each objective's signal and watermelon flag with its figures."""

    def pct(share: float | None) -> str:
        return "—" if share is None else f"{share * 100:.1f} %"

    out = [
        f"  months     {m.customer}'s agreement {m.agreement_id}, live since {m.went_live_at:%Y-%m-%d}: "
        f"{m.tickets} tickets replayed over {m.months[0]} … {m.months[-1]}, {m.answers} CSAT answers, "
        f"{m.reports} monthly report(s) kept",
    ]
    for s in m.signals:
        shares = ", ".join(pct(a) for a in s.signal.attainments)
        # The reason's last clause is the verdict; the shares are on the line already.
        said = s.signal.reason.rsplit(": ", 1)[-1]
        verdict = f"{s.signal.kind}: {said}" if s.signal.kind else s.signal.reason
        out.append(f"             {s.objective}: {shares} against {pct(s.signal.threshold)} → {verdict}")
    for w in m.watermelons:
        if w.check.flagged:
            out.append(f"             WATERMELON {w.objective}: {w.check.reason}")
    base = f"/console/agreements/{m.agreement_id}"
    out += [
        f"             signals and the amendment button: {base}/clocks#signals; reports: {base}/reports;",
        f"             the next service review's agenda: {base}/relationship/meetings",
        f"  {show}",
    ]
    return out
