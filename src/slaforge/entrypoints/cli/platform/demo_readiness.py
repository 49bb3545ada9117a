"""What `slaforge demo` prints about step 4: the clauses configured and proven, the item waived
and why, the shadow run's figures over eight weeks of the history, the sample report's path, and
the moment the agreement went live; the commands run as printed."""

from __future__ import annotations

from typing import Any

from slaforge.services.demo.readiness import WAIVER, DemoReadiness
from slaforge.services.readiness.go_live import LiveView


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def _attainment(s: dict[str, Any]) -> list[str]:
    """Two objectives a line: the demo drafts first response and resolution per priority."""
    shown = [o for o in s["objectives"] if o["replayed"]]
    months: list[dict[str, Any]] = max((o["months"] for o in shown), key=len, default=[])
    target = next((o["attainment_target"] for o in shown), None)
    out = [f"    attainment per month ({', '.join(m['month'] for m in months)}; target {_pct(target)}):"]
    for i in range(0, len(shown), 2):
        cells = [f"{o['label']} " + (" ".join(_pct(m["attainment"]) for m in o["months"]) or "—")
                 for o in shown[i : i + 2]]  # fmt: skip
        out.append("      " + " · ".join(cells))
    return out


def readiness_lines(r: DemoReadiness, live: LiveView | None, *, check: str, shadow: str) -> list[str]:
    s = r.shadow
    period = f"{s['period']['start'][:10]} – {s['period']['end'][:10]}"
    credits = ", ".join(f"{c['month']} {c['share'] * 100:g} %" for c in s["credits"] if c["share"]) or "none"
    esc = s["escalations"]
    out = [
        f"readiness  {r.objectives} clauses: event API tracking ({r.test_tickets} test tickets delivered "
        "with the",
        "           agreement's ingestion token), an e-mail ladder (test delivered), credits on the next",
        "           invoice, a monthly PDF report for the customer",
        f"  waived     {r.waived}: {WAIVER}",
        f"  shadow run {period}: {s['tickets']:,} tickets of the history through the configuration",
        *_attainment(s),
        f"    {s['breaches']['count']:,} breaches; {esc['count']:,} escalations would have gone "
        f"(sent: {esc['sent']}); credits owed: {credits}",
        f"  sample report  {r.sample_report}  (what the customer would receive monthly)",
        f"  figures    {r.shadow_json}; replay it again:",
        f"  {shadow}",
    ]
    if live is not None:
        out.append(f"  live       since {live.went_live_at:%Y-%m-%d %H:%M} UTC, version {live.number}: "
                   f"configuration frozen, SHA-256 {live.frozen_sha256[:16]}…")  # fmt: skip
    else:
        out.append("  not live   " + "; ".join(r.open_before_go_live))
    return [*out, f"  {check}", ""]
