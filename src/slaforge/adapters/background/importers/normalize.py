"""One batch of raw ticket rows → the normal form every layout reads, plus the rows' problems.

The normal form has fixed names and types whatever the source (`ticket`, `t`, `status`, …,
attributes as `@name`), so batches can be staged to disk and read back alike, and the layout
code never sees a source column name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.background.importers.spec import ColumnSpec, SourceOptions, TicketMapping
from slaforge.adapters.background.importers.values import (
    UTC_US,
    Ctx,
    Read,
    clean,
    flag,
    instant,
    merge,
    number,
    text,
    typed,
)
from slaforge.domain.errors import InvalidInput

PROBLEM_SCHEMA = {REC: pl.Int64, "ticket": pl.String, "column": pl.String, "reason": pl.String}
TIME_FIELDS = ("t", "created", "first_response", "resolved", "closed")
TEXT_FIELDS = ("status", "kind", "priority", "category", "customer", "service")
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}


def ctx_of(mapping: SourceOptions, timezone: str | None = None) -> Ctx:
    """The shared reading rules; `timezone` overrides the mapping's (the CLI's --timezone)."""
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"unknown time zone '{timezone}'", field="timezone", value=timezone) from exc
    return Ctx(
        markers=tuple(mapping.missing),
        timezone=timezone or mapping.timezone,
        formats=tuple(mapping.time_formats),
        description=mapping.time_description,
    )


def source_columns(mapping: TicketMapping) -> tuple[set[str], set[str]]:
    """(every source column the mapping reads, those of them that may be absent)."""
    specs = _specs(mapping)
    used = {c for s in specs for c in s.columns()}
    optional = {c for s in specs if s.optional for c in s.columns()}
    if mapping.activity is not None:
        used.add(mapping.activity.column)
    return used, optional


def _specs(mapping: TicketMapping) -> list[ColumnSpec]:
    c = mapping.columns
    named = [
        c.ticket,
        c.time,
        c.created,
        c.status,
        c.priority,
        c.category,
        c.customer,
        c.service,
        c.first_response,
        c.resolved,
        c.closed,
        c.reopen_count,
    ]
    return [s for s in [*named, *c.order, *mapping.attributes.values()] if s is not None]


def normal_schema(mapping: TicketMapping) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {REC: pl.Int64(), "ticket": pl.String()}
    schema.update(dict.fromkeys(TIME_FIELDS, UTC_US))
    schema.update({f: pl.String() for f in TEXT_FIELDS})
    schema["reopen_count"] = pl.Int64()
    schema.update({f"o{i}": pl.Int64() for i in range(len(mapping.columns.order))})
    kinds = {"str": pl.String(), "int": pl.Int64(), "float": pl.Float64(), "bool": pl.Boolean()}
    schema.update({f"@{name}": kinds[spec.type] for name, spec in mapping.attributes.items()})
    return schema


def normalize_tickets(
    frame: pl.DataFrame, mapping: TicketMapping, ctx: Ctx
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows in the normal form, their problems: `_rec`, `ticket`, `column`, `reason`)."""
    c, st = mapping.columns, mapping.statuses
    jobs: dict[str, Callable[[], Read]] = {"ticket": lambda: _ticket(frame, c.ticket, ctx)}
    times = {"t": c.time, "created": c.created, "first_response": c.first_response, "resolved": c.resolved,
             "closed": c.closed}  # fmt: skip
    for name, spec in times.items():
        if spec is not None and not (name == "first_response" and spec.after_created):
            # The time of a long row, the creation of a wide one: without it a row means nothing.
            needed = (name, mapping.layout) in (("t", "long"), ("created", "wide"))
            jobs[name] = partial(
                instant, frame, spec.model_copy(update={"required": True}) if needed else spec, ctx
            )
    if c.status is not None:
        ignore = c.status.model_copy(update={"missing": [*c.status.missing, *st.ignore]})
        jobs["status"] = partial(text, frame, ignore, ctx, "status")
    for name in ("priority", "category", "customer", "service"):
        if (spec := getattr(c, name)) is not None:
            jobs[name] = partial(text, frame, spec, ctx, name)
    if c.reopen_count is not None:
        jobs["reopen_count"] = partial(number, frame, c.reopen_count, ctx)
    for i, spec in enumerate(c.order):
        jobs[f"o{i}"] = partial(number, frame, spec, ctx)
    for name, spec in mapping.attributes.items():
        jobs[f"@{name}"] = partial(typed, frame, spec, ctx)
    # Each column is read by its own few Polars calls, which release the GIL: threads keep every
    # core busy (a lazy plan would too, but error reasons need the eager values).
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        reads = dict(zip(jobs, pool.map(lambda job: job(), jobs.values()), strict=True))
    if mapping.activity is not None:
        reads.update(_activity(frame, mapping, ctx))
    if c.first_response is not None and c.first_response.after_created and "created" in reads:
        reads["first_response"] = _after_created(frame, c.first_response, reads["created"].values, ctx)
    normal = pl.DataFrame({name: r.values for name, r in reads.items()}).with_columns(frame[REC])
    normal = _status_gates(normal, mapping)
    schema = normal_schema(mapping)
    normal = normal.with_columns(
        pl.lit(None, dtype).alias(n) for n, dtype in schema.items() if n not in normal.columns
    ).select([pl.col(n).cast(dtype) for n, dtype in schema.items()])
    return normal, problems_of(reads, frame[REC], normal["ticket"])


def _ticket(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx) -> Read:
    ticket = text(frame, spec, ctx, "ticket id")
    missing = flag(ticket.values.is_null(), "the ticket id is missing")
    return Read(ticket.values, merge(ticket.problems, missing), ticket.column)


def _activity(frame: pl.DataFrame, mapping: TicketMapping, ctx: Ctx) -> dict[str, Read]:
    act = mapping.activity
    assert act is not None
    s = clean(frame[act.column], ctx)
    kinds = {k: v.kind for k, v in act.values.items() if v.kind}
    statuses = {k: v.status for k, v in act.values.items() if v.status}
    nothing = pl.Series(values=None, dtype=pl.String).extend_constant(None, len(s))
    kind = s.replace_strict(kinds, default=None, return_dtype=pl.String) if kinds else nothing
    status = s.replace_strict(statuses, default=None, return_dtype=pl.String) if statuses else nothing
    problems = None
    if act.unknown == "reject":
        unknown = s.is_not_null() & ~s.is_in(list(act.values))
        problems = flag(unknown, "'", s, f"' is not a known activity ({', '.join(act.values)})")
    out = {"kind": Read(kind, problems, act.column)}
    status_read = Read(status, None, act.column)
    if mapping.columns.status is None:
        out["status"] = status_read
    else:  # an activity that implies a status wins over the status column of its row
        out["status_from_activity"] = status_read
    return out


def _after_created(frame: pl.DataFrame, spec: ColumnSpec, created: pl.Series, ctx: Ctx) -> Read:
    amount = number(frame, spec, ctx, "float")
    us = (amount.values * UNITS[spec.after_created or "seconds"] * 1_000_000).cast(pl.Int64)
    values = pl.select(pl.lit(created) + pl.duration(microseconds=pl.lit(us))).to_series()
    return Read(values, amount.problems, spec.column)


def _status_gates(normal: pl.DataFrame, mapping: TicketMapping) -> pl.DataFrame:
    if "status_from_activity" in normal.columns:
        normal = normal.with_columns(pl.coalesce("status_from_activity", "status").alias("status"))
        normal = normal.drop("status_from_activity")
    for name in ("resolved", "closed"):
        spec = getattr(mapping.columns, name)
        if spec is not None and spec.when_status is not None and name in normal.columns:
            normal = normal.with_columns(
                pl.when(pl.col("status").is_in(spec.when_status)).then(pl.col(name)).alias(name)
            )
    return normal


def problems_of(reads: dict[str, Read], recs: pl.Series, tickets: pl.Series) -> pl.DataFrame:
    parts = [
        pl.DataFrame({REC: recs, "ticket": tickets, "reason": r.problems})
        .filter(pl.col("reason").is_not_null())
        .with_columns(pl.lit(r.column, pl.String).alias("column"))
        for r in reads.values()
        if r.problems is not None and r.problems.null_count() < len(r.problems)
    ]
    if not parts:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return pl.concat(parts).select(list(PROBLEM_SCHEMA)).sort(REC, "column", maintain_order=True)
