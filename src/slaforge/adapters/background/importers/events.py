"""The shapes both layouts produce: a tickets frame and an events frame with dedupe keys.

A dedupe key is derived from the event's content (kind, instant, new status, new priority)
and how many identical events came before it in the same ticket, so importing the same
history again, whole or in other chunks, yields the same keys and stores nothing twice.
"""

from __future__ import annotations

import hashlib

import polars as pl

from slaforge.adapters.background.importers.normalize import normal_schema
from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.adapters.background.importers.values import UTC_US

EVENT_COLUMNS: dict[str, pl.DataType] = {
    "ticket": pl.String(),
    "at": UTC_US,
    "kind": pl.String(),
    "status": pl.String(),
    "priority": pl.String(),
    "dedupe_key": pl.String(),
    REC: pl.Int64(),
}
TICKET_COLUMNS: dict[str, pl.DataType] = {
    "external_id": pl.String(),
    "priority": pl.String(),
    "category": pl.String(),
    "status": pl.String(),
    "created_at": UTC_US,
    "first_response_at": UTC_US,
    "resolved_at": UTC_US,
    "closed_at": UTC_US,
    "customer": pl.String(),
    "service": pl.String(),
    REC: pl.Int64(),
}


def _short_hashes(values: pl.Series) -> dict[str, str]:
    # Few distinct statuses and priorities exist, so hashing each once costs nothing; the key
    # stays short whatever the status text, and stable across Polars versions (unlike .hash()).
    return {v: hashlib.sha256(v.encode()).hexdigest()[:8] for v in values.drop_nulls().unique().to_list()}


def finish_events(events: pl.DataFrame) -> pl.DataFrame:
    """Events (sorted by ticket, then time) with dedupe keys; helper columns dropped."""
    if events.is_empty():
        return pl.DataFrame(schema=EVENT_COLUMNS)
    hashed = {c: _short_hashes(events[c]) for c in ("status", "priority")}
    key = pl.concat_str(
        [
            pl.col("kind"),
            pl.col("at").dt.epoch("us").cast(pl.String),
            *(pl.col(c).replace_strict(hashed[c], default="", return_dtype=pl.String) for c in hashed),
            pl.Series("_n", _occurrences(events)).cast(pl.String),
        ],
        separator="|",
    )
    return events.with_columns(key.alias("dedupe_key")).select(
        [pl.col(n).cast(t) for n, t in EVENT_COLUMNS.items()]
    )


def _occurrences(events: pl.DataFrame) -> pl.Series:
    """1 for an event, 2 for the second event of a ticket with the very same content, and so on.

    `events` are sorted by ticket, then time, so identical events sit in runs of one ticket and
    one instant; only those runs (a reply and a status change at once, say) need counting, by a
    stable sort of small integer codes (the given order breaks ties) and a walk along the runs.
    """
    events = events.with_columns(
        (pl.col("ticket") != pl.col("ticket").shift(1)).fill_null(True).cum_sum().alias("_t"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_j"),
    )
    same_instant = (
        (pl.col("_t") == pl.col("_t").shift(1)) & (pl.col("at") == pl.col("at").shift(1))
    ).fill_null(False)
    shared = events.select(same_instant | same_instant.shift(-1).fill_null(False)).to_series()
    ones = pl.Series("_n", [1], dtype=pl.Int64).extend_constant(1, events.height - 1)
    if not shared.any():
        return ones
    keys = ["_t", "at", "kind", "status", "priority"]
    code = {c: pl.col(c).cast(pl.Categorical).to_physical().fill_null(1 << 31).cast(pl.Int64)
            for c in ("kind", "status", "priority")}  # fmt: skip
    runs = (
        events.filter(shared)
        .select("_j", *(code[c].alias(c) if c in code else pl.col(c) for c in keys))
        .sort([*keys, "_j"])
    )
    same = pl.all_horizontal(pl.col(c) == pl.col(c).shift(1) for c in keys).fill_null(False)
    position = pl.int_range(pl.len(), dtype=pl.Int64)
    runs = runs.with_columns((position - pl.when(~same).then(position).forward_fill() + 1).alias("_n"))
    return ones.scatter(runs["_j"], runs["_n"])


def ticket_schema(mapping: TicketMapping) -> dict[str, pl.DataType]:
    attrs = {n: t for n, t in normal_schema(mapping).items() if n.startswith("@")}
    return {**TICKET_COLUMNS, **attrs}


def ticket_frame(t: pl.DataFrame, mapping: TicketMapping) -> pl.DataFrame:
    schema = ticket_schema(mapping)
    if t.is_empty():
        return pl.DataFrame(schema=schema)
    t = t.rename({"ticket": "external_id"}) if "ticket" in t.columns else t
    return t.select([pl.col(n).cast(dtype) for n, dtype in schema.items()])
