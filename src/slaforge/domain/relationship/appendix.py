"""The provider's appendix "Underpinning commitments" as Markdown: for one agreement version, each
objective with the OLAs and UCs it rests on (who, which kind, their target for that promise in
their own business time, their hours) and the feasibility warnings standing.

Provider-only and never part of the agreement's document: it carries no content hash of its own
and says so at the top, so a printed copy is never mistaken for the customer's terms. Every name
a person typed is escaped, so a supplier called `A | B` cannot break a table or add markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.agreement.summary import business_duration_text
from slaforge.domain.agreement.terms import METRIC_LABELS
from slaforge.domain.relationship.feasibility import KINDS, Warning
from slaforge.domain.time.calendar.business import BusinessCalendar

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&])")


@dataclass(frozen=True, slots=True)
class Backing:
    """One contract an objective rests on, as the appendix shows it."""

    name: str
    kind: str  # ola | uc
    counterparty: str
    calendar: Mapping[str, Any]
    targets: Mapping[str, Mapping[str, float]]


@dataclass(frozen=True, slots=True)
class Entry:
    index: int
    objective: Mapping[str, Any]
    backing: Sequence[Backing]
    warnings: Sequence[Warning]


@dataclass(frozen=True, slots=True)
class AppendixHeader:
    title: str
    customer: str
    provider: str
    number: int
    state: str
    content_hash: str | None
    inherited_from: int | None
    checked_at: datetime


def text(value: object) -> str:
    """A person's words as literal Markdown: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def hours_text(calendar: Mapping[str, Any]) -> str:
    """'Mon–Fri 08:00-18:00 (Europe/Berlin)': runs of days with the same intervals together."""
    hours = calendar.get("hours") or {}
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    for n, day in enumerate(DAYS):
        intervals = tuple(hours.get(day) or ())
        if runs and runs[-1][2] == intervals and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n, intervals)
        else:
            runs.append((n, n, intervals))
    parts = []
    for first, last, intervals in runs:
        if not intervals:
            continue
        days = DAYS[first].title() if first == last else f"{DAYS[first].title()}–{DAYS[last].title()}"
        parts.append(f"{days} {', '.join(intervals)}")
    said = "; ".join(parts) or "never open"
    extra = []
    holidays = calendar.get("holidays") or {}
    if holidays.get("country"):
        extra.append(f"closed on {holidays['country']} holidays")
    if holidays.get("dates"):
        extra.append(f"{len(holidays['dates'])} own holiday(s)")
    if calendar.get("overrides"):
        extra.append(f"{len(calendar['overrides'])} date override(s)")
    tail = f"; {', '.join(extra)}" if extra else ""
    return f"{said} ({calendar.get('timezone', 'UTC')}){tail}"


def objective_text(objective: Mapping[str, Any], day_seconds: float | None) -> str:
    """'Resolution of P1 within 8 business hours (90 % a month)'."""
    metric = str(objective.get("metric", ""))
    label = METRIC_LABELS.get(metric, metric)
    if metric == "availability" or "target_seconds" not in objective:
        service, share = objective.get("service", "the service"), objective.get("target_percent", "?")
        return f"{label} of {service} ({share} %)"
    who = ", ".join(str(p) for p in objective.get("priorities") or []) or "every ticket"
    within = business_duration_text(float(objective["target_seconds"]), day_seconds)
    share = objective.get("attainment")
    of = f" ({float(share) * 100:g} % a {objective.get('window', 'month')})" if share is not None else ""
    return f"{label} of {who} within {within}{of}"


def _their_target(backing: Backing, objective: Mapping[str, Any]) -> str:
    metric = str(objective.get("metric", ""))
    by_priority = backing.targets.get(metric, {})
    day = BusinessCalendar.from_dict(backing.calendar).typical_day_seconds()
    said = []
    for priority in [str(p) for p in objective.get("priorities") or ["*"]]:
        seconds = by_priority.get(priority, by_priority.get("*"))
        who = "any priority" if priority == "*" else priority
        said.append(f"{who}: " + ("no target" if seconds is None else business_duration_text(seconds, day)))
    return "; ".join(said)


def _entry(entry: Entry, day_seconds: float | None) -> list[str]:
    out = [f"## Objective {entry.index}: {text(objective_text(entry.objective, day_seconds))}"]
    if not entry.backing:
        out.append("Rests on no recorded contract.")
        return out
    rows = [
        "| Contract | Kind | Team or supplier | Their target (their business time) | Their hours |",
        "|---|---|---|---|---|",
    ]
    for b in entry.backing:
        kind = f"{b.kind.upper()} ({KINDS.get(b.kind, b.kind)})"
        rows.append(
            f"| {text(b.name)} | {kind} | {text(b.counterparty) or '—'} "
            f"| {text(_their_target(b, entry.objective))} | {text(hours_text(b.calendar))} |"
        )
    out.append("\n".join(rows))
    if entry.warnings:
        said = (f"- **Warning ({w.kind.replace('_', ' ')}):** {text(w.text)}" for w in entry.warnings)
        out.append("\n".join(said))
    else:
        out.append("No warning: every contract behind this promise answers in time.")
    return out


def appendix_markdown(
    header: AppendixHeader, entries: Sequence[Entry], day_seconds: float | None = None
) -> str:
    """The whole appendix: a heading that says what it is (and is not), then one section per
    objective, then the count of warnings standing."""
    stamp = (
        f"the version's content hash is `{header.content_hash}`"
        if header.content_hash
        else "the version is a draft, with no content hash yet"
    )
    inherited = f" Its links are read from version {header.inherited_from}." if header.inherited_from else ""
    warnings = sum(len(e.warnings) for e in entries)
    parts = [
        f"# Underpinning commitments — {text(header.title)}",
        f"> PROVIDER ONLY — internal to {text(header.provider)}. Not part of the agreement with "
        f"{text(header.customer)}, not shown to them, and not covered by its content hash.",
        f"Version {header.number} ({header.state}); {stamp}.{inherited} Checked "
        f"{header.checked_at:%Y-%m-%d %H:%M} UTC over the four weeks that follow, start times every "
        "15 minutes.",
    ]
    for entry in entries:
        parts.extend(_entry(entry, day_seconds))
    parts.append("## Warnings standing")
    parts.append(
        f"{warnings} warning{'s' if warnings != 1 else ''} in all."
        if warnings
        else "None: every linked promise holds."
    )
    return "\n\n".join(parts) + "\n"
