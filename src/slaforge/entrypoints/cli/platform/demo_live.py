"""The demo's lines for its live part: a ticket's first-response clock warning twice, then
breaching, read from what the scheduler recorded (nothing here is a fixed text of figures)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slaforge.domain.live.watermelon import Watermelon
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
    """The agreement live for months: per objective its closed months, its renegotiation signal and
    its watermelon flag, with the figures behind them."""

    def pct(share: float | None) -> str:
        return "—" if share is None else f"{share * 100:.1f} %"

    melons = {w.objective_index: w.check for w in m.watermelons}
    out = [
        f"  months     {m.customer}'s agreement {m.agreement_id}, live since {m.went_live_at:%Y-%m-%d}: "
        f"{m.tickets} tickets replayed over {m.months[0]} … {m.months[-1]}, {m.answers} CSAT answers, "
        f"{m.reports} monthly report(s) kept",
    ]
    quiet = [s for s in m.signals if not s.signal.kind and not _flagged(melons.get(s.objective_index))]
    # Objectives whose figures and verdicts read the same share one line (one per priority, often).
    same: dict[str, list[str]] = {}
    for s in m.signals:
        if s in quiet:
            continue
        shares = ", ".join(pct(a) for a in s.signal.attainments)
        said = s.signal.reason.rsplit(": ", 1)[-1]
        line = f"{shares} against {pct(s.signal.threshold)} → "
        line += f"{s.signal.kind}: {said}" if s.signal.kind else s.signal.reason
        melon = melons.get(s.objective_index)
        if melon is not None and melon.flagged:
            felt = " → ".join(pct(p.satisfaction) for p in melon.periods)
            line += f"; satisfied {felt}: WATERMELON (green outside, red inside)"
        same.setdefault(line, []).append(s.objective)
    for line, names in same.items():
        out.append(f"             {', '.join(names)}:")
        out.append(f"               {line}")
    if quiet:
        out.append(f"             {len(quiet)} other objective(s): {quiet[0].signal.reason}")
    base = f"/console/agreements/{m.agreement_id}"
    out += [
        f"             see {base}/clocks#signals (draft the amendment there), {base}/reports and the "
        f"service review's agenda ({base}/relationship/meetings)",
        f"  {show}",
    ]
    return out


def _flagged(check: Watermelon | None) -> bool:
    return check is not None and check.flagged
