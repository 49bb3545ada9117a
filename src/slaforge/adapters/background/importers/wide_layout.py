"""Wide layout: one row per ticket with its created, first response, resolved and closed times.

Such an export says when things first happened, not how the ticket moved in between, so
each ticket gets the events those times imply: created, the first agent reply, resolved and
closed. A time stamped before the creation happened at the creation (as in long layouts).
A ticket closed with no resolved time is resolved when it closed, unless the mapping's
`population` leaves such tickets out. A ticket repeated in a file (an incremental export lists
a ticket again each time it changes) is taken from its last row.
"""

from __future__ import annotations

import polars as pl

from slaforge.adapters.background.importers.events import EVENT_COLUMNS, finish_events, ticket_frame
from slaforge.adapters.background.importers.long_layout import UNSPECIFIED
from slaforge.adapters.background.importers.population import CLOSED_ONLY, keep_population
from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.domain.time.clocks.model import EventKind


def map_wide(normal: pl.DataFrame, mapping: TicketMapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    if normal.is_empty():
        return ticket_frame(pl.DataFrame(), mapping), pl.DataFrame(schema=EVENT_COLUMNS)
    st = mapping.statuses
    closed_status = st.closed[0] if st.closed else "closed"
    resolved_status = st.resolved[0] if st.resolved else "resolved"
    opened = pl.col("created")
    df = normal.unique("ticket", keep="last", maintain_order=True).with_columns(
        opened.alias("created_at"),
        pl.col("priority").fill_null(UNSPECIFIED),
        *(
            pl.when(pl.col(c).is_not_null()).then(pl.max_horizontal(c, opened)).alias(c)
            for c in ("first_response", "resolved", "closed")
        ),
    )
    df = df.with_columns(
        pl.coalesce("resolved", "closed").alias("resolved_at"),  # see Population: the default rule
        (pl.col("resolved").is_null() & pl.col("closed").is_not_null()).alias(CLOSED_ONLY),
        pl.col("closed").alias("closed_at"),
        pl.col("first_response").alias("first_response_at"),
        pl.coalesce(
            "status",
            pl.when(pl.col("closed").is_not_null()).then(pl.lit(closed_status)),
            pl.when(pl.col("resolved").is_not_null()).then(pl.lit(resolved_status)),
            pl.lit(st.created or "open"),
        ).alias("status"),
    )
    none = pl.lit(None, pl.String)
    parts = [
        df.select(
            "ticket",
            pl.col("created_at").alias("at"),
            pl.lit(EventKind.CREATED.value).alias("kind"),
            pl.lit(st.created, pl.String).alias("status"),
            "priority",
            pl.lit(0).alias("sub"),
            REC,
        )
    ]
    for sub, (col, kind) in enumerate(
        (
            ("first_response_at", EventKind.AGENT_REPLY),
            ("resolved_at", EventKind.RESOLVED),
            ("closed_at", EventKind.CLOSED),
        ),
        start=1,
    ):
        parts.append(
            df.filter(pl.col(col).is_not_null()).select(
                "ticket",
                pl.col(col).alias("at"),
                pl.lit(kind.value).alias("kind"),
                none.alias("status"),
                none.alias("priority"),
                pl.lit(sub).alias("sub"),
                REC,
            )
        )
    events = pl.concat([p.with_columns(pl.col("sub").cast(pl.Int32)) for p in parts]).sort(
        ["ticket", "at", "sub"], maintain_order=True
    )
    df, events = keep_population(df, events, mapping)
    return ticket_frame(df, mapping), finish_events(events)
