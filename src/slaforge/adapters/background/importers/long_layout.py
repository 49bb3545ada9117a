"""Long layout: a ticket's rows (status snapshots or activities) → the ticket and its events.

The rules, all vectorised over tickets sorted by id, then `order` columns, time and file order:
- A row stamped earlier than the row before it (or than the opening) happened then: the
  recorded order of changes is kept.
- A row without a status leaves the status as it was; a status differing from the one before
  is `status_changed`. Leaving a "new" status the first time is the first response
  (`agent_reply`), as is every activity mapped to `agent_reply`.
- Leaving a resolved or closed status for an open one, or a rise of the reopen counter, is
  `reopened`, preceded by `resolved` at the time the ticket had entered the resolved state.
- A priority differing from the one before is `priority_changed`.
- A ticket ending resolved is resolved at its last row's `resolved` time when that is not
  older than the last reopening, else when it last entered the resolved state; likewise for
  closed (`closed` time, else the last entry into a closed status). A ticket closed without a
  resolved time (none given, never in a resolved status) is thus resolved when it closed,
  unless the mapping's `population` leaves such tickets out (population.py).
"""

from __future__ import annotations

import polars as pl

from slaforge.adapters.background.importers.events import EVENT_COLUMNS, finish_events, ticket_frame
from slaforge.adapters.background.importers.population import CLOSED_ONLY, keep_population
from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.adapters.background.importers.values import UTC_US
from slaforge.domain.time.clocks.model import EventKind

G = "_g"
LAST_ROW = 1 << 40  # sorts a ticket's final resolution after all of its rows
UNSPECIFIED = "unspecified"  # the priority of a ticket that never names one


def map_long(normal: pl.DataFrame, mapping: TicketMapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(tickets, events) for complete tickets: every row of a ticket must be in `normal`."""
    if normal.is_empty():
        return ticket_frame(pl.DataFrame(), mapping), pl.DataFrame(schema=EVENT_COLUMNS)
    rows = _rows(normal, mapping)
    return _tickets_and_final_events(rows, mapping)


# Rows are sorted by ticket, so "within a ticket" needs no window: shift and fill, then cut at
# each ticket's first row (FIRST). Window functions (`over`) would group again each time.
FIRST = pl.col("_first")
COUNTER_BITS = 20  # reopen counters are small; they share an int64 with the ticket number


def _prev(x: pl.Expr) -> pl.Expr:
    return pl.when(FIRST).then(None).otherwise(x.shift(1))


def _fill_down(x: pl.Expr, start: pl.Expr) -> pl.Expr:
    """Forward fill within each ticket; `start` (never null) stands in for a null first row."""
    return pl.when(FIRST).then(x.fill_null(start)).otherwise(x).forward_fill()


def _first_known(df: pl.DataFrame, column: str) -> pl.Expr:
    """The first non-null value of the ticket (a window only when some value is missing)."""
    if df[column].null_count() == 0:
        return _fill_down(pl.lit(None, df.schema[column]), pl.col(column))
    return pl.col(column).drop_nulls().first().over(G)


def _rows(normal: pl.DataFrame, mapping: TicketMapping) -> pl.DataFrame:
    st = mapping.statuses
    done = [*st.resolved, *st.closed]
    order = [f"o{i}" for i in range(len(mapping.columns.order))]
    df = normal.sort(["ticket", *order, "t", REC])
    df = df.with_columns((pl.col("ticket") != pl.col("ticket").shift(1)).fill_null(True).alias("_first"))
    df = df.with_columns(FIRST.cum_sum().alias(G), pl.int_range(pl.len(), dtype=pl.Int64).alias("_i"))
    initial = pl.lit(st.created) if st.created is not None else _first_known(df, "status").fill_null("open")
    first_prio = _first_known(df, "priority").fill_null(UNSPECIFIED)
    rc = pl.col("reopen_count").fill_null(0).clip(0, (1 << COUNTER_BITS) - 1)
    # A running maximum within tickets: the ticket number in the high bits keeps tickets apart.
    rc_max = (pl.col(G).cast(pl.Int64) * (1 << COUNTER_BITS) + rc).cum_max() - pl.col(G).cast(pl.Int64) * (
        1 << COUNTER_BITS
    )
    df = df.with_columns(
        _fill_down(pl.lit(None, UTC_US), pl.coalesce("created", "t")).alias("opened"),
        _fill_down(pl.col("status"), initial).alias("s"),
        _fill_down(pl.col("priority"), first_prio).alias("p"),
        initial.alias("s0"),
        first_prio.alias("p0"),
        (pl.col("_i") - _fill_down(pl.lit(None, pl.Int64), pl.col("_i"))).alias("seq"),
        (rc > _prev(rc_max).fill_null(0)).alias("by_count"),
    )
    df = _running_time(df)
    df = df.with_columns(
        _prev(pl.col("s")).fill_null(pl.col("s0")).alias("prev_s"),
        _prev(pl.col("p")).alias("prev_p"),
    )
    changed = pl.col("s") != pl.col("prev_s")
    is_done, prev_done = pl.col("s").is_in(done), pl.col("prev_s").is_in(done)
    left_new = (changed & pl.col("prev_s").is_in(st.new) & ~pl.col("s").is_in(st.new)).cast(pl.Int32)
    lefts_before = _fill_down(pl.lit(None, pl.Int32), left_new.cum_sum() - left_new)
    df = df.with_columns(
        changed.alias("changed"),
        (pl.col("by_count") | (changed & prev_done & ~is_done)).alias("reopen"),
        pl.when(is_done)
        .then(_fill_down(pl.when(~prev_done).then(pl.col("at")), pl.col("at")))
        .alias("done_since"),
        pl.when(changed & pl.col("s").is_in(st.closed)).then(pl.col("at")).alias("closed_entry"),
        ((left_new == 1) & (left_new.cum_sum() - lefts_before == 1)).alias("first_left"),
    )
    return df.with_columns(_prev(pl.col("done_since")).alias("prev_done_since"))


def _running_time(df: pl.DataFrame) -> pl.DataFrame:
    """`at`: the row's time, but never before the opening nor before the row above it.

    Exports are nearly always in order, so the running maximum (a window per ticket) is only
    taken for the few tickets that need it.
    """
    df = df.with_columns(pl.max_horizontal("t", "opened").alias("at"))
    late = df.filter(~FIRST & (pl.col("at") < pl.col("at").shift(1)))[G].unique()
    if late.is_empty():
        return df
    fixed = df.filter(pl.col(G).is_in(late.implode())).select("_i", pl.col("at").cum_max().over(G))
    return df.with_columns(df["at"].scatter(fixed["_i"], fixed["at"]))


def _row_events(df: pl.DataFrame, mapping: TicketMapping) -> list[pl.DataFrame]:
    leaving_new = pl.col("first_left") if mapping.first_response_on_leaving_new else pl.lit(False)
    reply = leaving_new | (pl.col("kind") == EventKind.AGENT_REPLY.value).fill_null(False)
    other = pl.col("kind").is_in([EventKind.CUSTOMER_REPLY.value, EventKind.INTERNAL_NOTE.value])
    none = pl.lit(None, pl.String)
    specs = [  # (which rows, kind, when, status, priority), in the order they happen within a row
        (
            pl.col("reopen") & pl.col("prev_done_since").is_not_null(),
            pl.lit(EventKind.RESOLVED.value),
            pl.col("prev_done_since"),
            none,
            none,
        ),
        (pl.col("reopen"), pl.lit(EventKind.REOPENED.value), pl.col("at"), none, none),
        (
            pl.col("prev_p").is_not_null() & (pl.col("p") != pl.col("prev_p")),
            pl.lit(EventKind.PRIORITY_CHANGED.value),
            pl.col("at"),
            none,
            pl.col("p"),
        ),
        (reply, pl.lit(EventKind.AGENT_REPLY.value), pl.col("at"), none, none),
        (pl.col("changed"), pl.lit(EventKind.STATUS_CHANGED.value), pl.col("at"), pl.col("s"), none),
        (other.fill_null(False), pl.col("kind"), pl.col("at"), none, none),
    ]
    out = []
    for sub, (mask, kind, at, status, prio) in enumerate(specs, start=1):
        out.append(
            df.filter(mask).select(
                pl.col("ticket"),
                pl.col(G),
                at.alias("at"),
                kind.alias("kind"),
                status.alias("status"),
                prio.alias("priority"),
                pl.col("seq"),
                pl.lit(sub).alias("sub"),
                pl.col(REC),
            )
        )
    return out


def _tickets_and_final_events(df: pl.DataFrame, mapping: TicketMapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    st = mapping.statuses
    done = [*st.resolved, *st.closed]
    row_events = _row_events(df, mapping)
    attrs = [c for c in df.columns if c.startswith("@")]
    last = pl.col("at").filter(pl.col("reopen")).last()
    t = df.group_by(G, maintain_order=True).agg(
        pl.col("ticket").first(),
        pl.col("opened").first(),
        pl.col(REC).first().alias("_rec_first"),
        pl.col(REC).last(),
        pl.col("s0").first(),
        pl.col("p0").first(),
        pl.col("s").last().alias("status"),
        pl.col("p").last().alias("priority"),
        *(pl.col(c).drop_nulls().last() for c in ("category", "customer", "service")),
        *(pl.col(c).last() for c in attrs),
        pl.col("resolved").last().alias("res_given"),
        pl.col("closed").last().alias("closed_given"),
        pl.col("done_since").last(),
        pl.col("closed_entry").drop_nulls().last(),
        last.alias("reopened_at"),
        pl.col("s").is_in(st.resolved).any().alias("_ever_resolved"),
    )
    reopened_at = pl.col("reopened_at").fill_null(pl.col("opened"))
    given_ok = pl.col("res_given").is_not_null() & (pl.col("res_given") >= reopened_at)
    t = t.with_columns(
        pl.when(pl.col("status").is_in(done))
        .then(pl.when(given_ok).then(pl.col("res_given")).otherwise(pl.col("done_since")))
        .alias("resolved_at"),
        pl.when(pl.col("status").is_in(st.closed))
        .then(
            pl.when(pl.col("closed_given").is_not_null())
            .then(pl.max_horizontal("closed_given", "opened"))
            .otherwise(pl.col("closed_entry"))
        )
        .alias("closed_at"),
        (pl.col("status").is_in(st.closed) & ~given_ok & ~pl.col("_ever_resolved")).alias(CLOSED_ONLY),
    )
    none = pl.lit(None, pl.String)
    created = t.select(
        "ticket",
        G,
        pl.col("opened").alias("at"),
        pl.lit(EventKind.CREATED.value).alias("kind"),
        pl.col("s0").alias("status"),
        pl.col("p0").alias("priority"),
        pl.lit(-1).alias("seq"),
        pl.lit(0).alias("sub"),
        pl.col("_rec_first").alias(REC),
    )
    finals = [
        t.filter(pl.col(col).is_not_null()).select(
            "ticket",
            G,
            pl.col(col).alias("at"),
            pl.lit(kind.value).alias("kind"),
            none.alias("status"),
            none.alias("priority"),
            pl.lit(LAST_ROW).alias("seq"),
            pl.lit(sub).alias("sub"),
            REC,
        )
        for sub, (col, kind) in enumerate(
            (("resolved_at", EventKind.RESOLVED), ("closed_at", EventKind.CLOSED))
        )
    ]
    parts = [created, *row_events, *finals]
    events = pl.concat(
        [p.with_columns(pl.col("seq").cast(pl.Int64), pl.col("sub").cast(pl.Int32)) for p in parts]
    )
    events = events.sort([G, "at", "seq", "sub"])
    reply_at = (
        events.filter(pl.col("kind") == EventKind.AGENT_REPLY.value)
        .group_by(G)
        .agg(pl.col("at").min().alias("first_response_at"))
    )
    t = t.join(reply_at, on=G, how="left", maintain_order="left").rename({"opened": "created_at"})
    t, events = keep_population(t, events, mapping)
    return ticket_frame(t, mapping), finish_events(events)
