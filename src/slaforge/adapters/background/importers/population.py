"""The mapping's population rule applied to mapped tickets: which of them are in the history.

Both layouts mark each ticket with `closed_only` (closed, with no resolved time in the file and
never in a resolved status) and give it `resolved_at`; a ticket the rule leaves out is dropped
with its events before anything is stored, and counted, not rejected: its rows are valid."""

from __future__ import annotations

import polars as pl

from slaforge.adapters.background.importers.spec import TicketMapping

CLOSED_ONLY = "closed_only"


def keep_population(
    tickets: pl.DataFrame, events: pl.DataFrame, mapping: TicketMapping
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(tickets, events) of the tickets the mapping's population keeps."""
    rule = mapping.population
    out = pl.lit(False)
    if rule.closed_without_resolved == "exclude":
        out = out | pl.col(CLOSED_ONLY).fill_null(False)
    if rule.unresolved == "exclude":
        out = out | (pl.col("resolved_at").is_null() & pl.col("closed_at").is_null())
    if rule.closed_without_resolved == "resolved_at_close" and rule.unresolved == "keep":
        return tickets, events
    left_out = tickets.filter(out)["ticket"]
    if left_out.is_empty():
        return tickets, events
    return tickets.filter(~out), events.filter(~pl.col("ticket").is_in(left_out.implode()))
