"""The availability part of the capability report's view: per outage source its window, a month by
month uptime strip per service, and a table with the months counted, the worst and median month,
the recommended target and its headroom. Studies stored before outage windows existed (one window,
no sources) are laid out too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slaforge.adapters.background.report import charts

MONTH_MINUTES = 30 * 24 * 60  # allowances are quoted for a 30-day month
ROWS_PER_CHART = 40  # a strip chart per 40 services, so a PDF page can hold one


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.3f} %"


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} min" if abs(value) >= 10 else f"{value:.1f} min"


def service_row(s: Mapping[str, Any]) -> dict[str, Any]:
    months = s["months"]
    ups = sorted(m["uptime"] for m in months)
    downs = sorted(m["down_minutes"] for m in months)
    target = s["recommended"]
    meeting = None if target is None else sum(1 for u in ups if u >= target)
    allowed = None if target is None else (1 - target) * MONTH_MINUTES
    median_down = downs[len(downs) // 2] if downs else None
    headroom = None if allowed is None or median_down is None else allowed - median_down
    return {
        "service": s["service"],
        "source": s.get("source"),
        "outages": s["outages"],
        "planned": s["planned"],
        "open_ended": s.get("open_ended", 0),
        "months": f"{meeting}/{len(months)}" if meeting is not None else f"0/{len(months)}",
        "worst": _pct(ups[0] if ups else None),
        "median": _pct(ups[len(ups) // 2] if ups else None),
        "recommended": None if target is None else f"{target * 100:g} %",
        "allowed": _minutes(allowed),
        "headroom": "—" if headroom is None else ("+" if headroom >= 0 else "−") + _minutes(abs(headroom)),
        "headroom_short": headroom is not None and headroom < 0,
    }


def _strips(services: Sequence[Mapping[str, Any]]) -> list[charts.Chart]:
    months = sorted({m["month"] for s in services for m in s["months"]})
    out = []
    for i in range(0, len(services), ROWS_PER_CHART):
        rows = []
        for s in services[i : i + ROWS_PER_CHART]:
            by_month = {m["month"]: m["uptime"] for m in s["months"]}
            rows.append((s["service"], [by_month.get(m) for m in months], s["recommended"]))
        out.append(charts.uptime_strip(months, rows))
    return out


def availability_view(block: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """None when the study had no outages; else `label`, `basis`, `notes` and `windows`, each
    window with its `label`, `rows` (see `service_row`) and `charts`."""
    if block is None:
        return None
    services = block["services"]
    windows = block.get("windows")
    if windows is None:  # a study stored before outage windows: one window over every service
        label = f"{block['first'][:10]} to {block['last'][:10]}"
        windows = [{"source": None, "label": label, "outages": sum(s["outages"] for s in services)}]
    out = []
    for w in windows:
        mine = [s for s in services if s.get("source") == w["source"]]
        out.append({
            "source": w["source"] or "outages",
            "label": w["label"],
            "outages": w.get("outages", 0),
            "open_ended": w.get("open_ended", 0),
            "rows": [service_row(s) for s in mine],
            "charts": _strips(mine),
        })  # fmt: skip
    return {
        "label": block.get("label") or (windows[0]["label"] if windows else ""),
        "basis": block.get("basis", "source span"),
        "notes": list(block.get("notes", [])),
        "windows": out,
    }
