"""Row mapping, on hand-built rows: values, times, and the events long and wide layouts give."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from slaforge.adapters.background.importers.pipeline import map_in_memory
from slaforge.adapters.background.importers.registry import parse_mapping
from slaforge.adapters.background.importers.spec import TicketMapping

LONG = """
name: t
source: t
layout: long
timezone: Europe/Paris
missing: ["?", "n/a"]
time_formats: ["%d/%m/%Y %H:%M", iso]
time_description: time such as 29/02/2016 09:00
columns:
  ticket: id
  time: at
  order: [{column: seq}]
  status: state
  priority: {column: prio, values: {P1: critical, P2: high, P3: moderate}, unknown: reject}
  category: {column: cat, template: "Area {value}"}
  resolved: resolved_at
  reopen_count: reopens
statuses:
  created: Open
  new: [Open]
  resolved: [Resolved]
  closed: [Closed]
  pause: [Waiting]
  ignore: ["-"]
activity:
  column: act
  unknown: reject
  values:
    Reply: {kind: agent_reply}
    Customer wrote: {kind: customer_reply, status: Open}
    Note: {kind: internal_note}
attributes:
  vip: {column: vip, type: bool}
  hops: {column: hops, type: int}
"""

WIDE = """
name: w
source: w
layout: wide
columns:
  ticket: id
  created: created
  status: status
  priority: prio
  first_response: {column: reply_minutes, after_created: minutes}
  resolved: solved
  closed: {column: updated, when_status: [closed]}
statuses: {created: new, new: [new], resolved: [solved], closed: [closed]}
"""


def mapping(text: str) -> TicketMapping:
    m = parse_mapping(text)
    assert isinstance(m, TicketMapping)
    return m


def frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    names = list(dict.fromkeys(k for r in rows for k in r))
    df = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    return df.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_rec"))


def row(ticket: str, seq: int, at: str, state: str = "", **more: str) -> dict[str, str]:
    return {"id": ticket, "seq": str(seq), "at": at, "state": state, "prio": "P2", "act": "", "cat": "7",
            "resolved_at": "", "reopens": "0", "vip": "no", "hops": "1", **more}  # fmt: skip


def utc(d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2024, 3, d, hh, mm, tzinfo=UTC)


def events(rows: list[dict[str, str]]) -> list[tuple[str, datetime, str | None]]:
    _t, ev, problems = map_in_memory(frame(rows), mapping(LONG))
    assert problems == []
    return [(k, at, s or p) for k, at, s, p in ev.select("kind", "at", "status", "priority").iter_rows()]


# --------------------------------------------------------------------------- values and times
@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("at", "31/02/2024 10:00", "'31/02/2024 10:00' is not a time such as 29/02/2016 09:00"),
        ("at", "?", "a date-time is required here"),
        ("at", "31/03/2024 02:30", "does not exist in Europe/Paris (the clocks went forward over it)"),
        ("prio", "urgent", "'urgent' is not one of P1, P2, P3"),
        ("seq", "x", "'x' is not a whole number"),
        ("vip", "maybe", "'maybe' is not true or false"),
        ("hops", "1.5", "'1.5' is not a whole number"),
        ("act", "Escalate", "'Escalate' is not a known activity (Reply, Customer wrote, Note)"),
        ("id", "n/a", "the ticket id is missing"),
    ],
)
def test_a_bad_value_is_reported_with_its_row_column_and_reason(column: str, value: str, reason: str) -> None:
    bad = {**row("T1", 1, "04/03/2024 10:00"), column: value}
    _t, _e, problems = map_in_memory(frame([row("T1", 0, "04/03/2024 09:00"), bad]), mapping(LONG))
    (problem,) = [p for p in problems if p.row == 3]
    assert (problem.column, reason in problem.reason) == (column, True), problem


def test_naive_times_are_wall_clock_time_in_the_mapping_zone_and_offsets_are_honoured() -> None:
    rows = [row("T1", 0, "04/03/2024 09:00"), row("T1", 1, "2024-03-04T10:30:00+00:00", "Working")]
    assert [at for _k, at, _s in events(rows)][:2] == [utc(4, 8), utc(4, 10, 30)]


def test_an_ambiguous_autumn_time_is_read_as_the_first_of_the_two() -> None:
    rows = [row("T1", 0, "27/10/2024 02:30")]
    assert events(rows)[0][1] == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


def test_missing_markers_templates_and_typed_attributes_are_applied() -> None:
    tickets, _e, _p = map_in_memory(frame([row("T1", 0, "04/03/2024 09:00", cat="?", vip="Yes", hops="3")]),
                                    mapping(LONG))  # fmt: skip
    t = tickets.row(0, named=True)
    assert (t["category"], t["@vip"], t["@hops"], t["priority"]) == (None, True, 3, "high")
    tickets, _e, _p = map_in_memory(frame([row("T1", 0, "04/03/2024 09:00")]), mapping(LONG))
    assert tickets["category"].to_list() == ["Area 7"]


# --------------------------------------------------------------------------- long layout
def test_leaving_the_new_status_first_is_the_first_response_and_a_wait_is_a_status_change() -> None:
    rows = [
        row("T1", 0, "04/03/2024 09:00", "Open"),
        row("T1", 1, "04/03/2024 09:30", "Working"),
        row("T1", 2, "04/03/2024 10:00", "Waiting"),
        row("T1", 3, "04/03/2024 11:00", "Open"),
        row("T1", 4, "04/03/2024 11:30", "Working"),
    ]
    assert events(rows) == [
        ("created", utc(4, 8), "Open"),
        ("agent_reply", utc(4, 8, 30), None),
        ("status_changed", utc(4, 8, 30), "Working"),
        ("status_changed", utc(4, 9), "Waiting"),
        ("status_changed", utc(4, 10), "Open"),
        ("status_changed", utc(4, 10, 30), "Working"),
    ]


def test_rows_follow_the_order_column_and_a_late_stamp_happens_after_the_row_before() -> None:
    rows = [row("T1", 2, "04/03/2024 09:10", "Resolved"), row("T1", 0, "04/03/2024 09:00"),
            row("T1", 1, "04/03/2024 09:20", "Working")]  # fmt: skip
    assert [(k, at) for k, at, _s in events(rows)][-2:] == [("status_changed", utc(4, 8, 20)),
                                                             ("resolved", utc(4, 8, 20))]  # fmt: skip


def test_leaving_resolved_reopens_and_the_earlier_resolution_is_kept() -> None:
    rows = [
        row("T1", 0, "04/03/2024 09:00"),
        row("T1", 1, "04/03/2024 10:00", "Resolved"),
        row("T1", 2, "05/03/2024 09:00", "Working"),
        row("T1", 3, "05/03/2024 12:00", "Resolved", resolved_at="05/03/2024 12:05"),
    ]
    life = [(k, at) for k, at, _s in events(rows) if k in ("resolved", "reopened")]
    assert life == [("resolved", utc(4, 9)), ("reopened", utc(5, 8)), ("resolved", utc(5, 11, 5))]


def test_a_rising_reopen_counter_reopens_even_without_a_status_change() -> None:
    rows = [
        row("T1", 0, "04/03/2024 09:00", "Working"),
        row("T1", 1, "04/03/2024 10:00", "Working", reopens="1"),
    ]
    assert ("reopened", utc(4, 9), None) in events(rows)


def test_a_resolved_time_older_than_the_last_reopening_gives_way_to_the_state_change() -> None:
    rows = [
        row("T1", 0, "04/03/2024 09:00", resolved_at="04/03/2024 09:30"),
        row("T1", 1, "04/03/2024 09:30", "Resolved", resolved_at="04/03/2024 09:30"),
        row("T1", 2, "04/03/2024 11:00", "Working", resolved_at="04/03/2024 09:30"),
        row("T1", 3, "04/03/2024 12:00", "Closed", resolved_at="04/03/2024 09:30"),
    ]
    tickets, _e, _p = map_in_memory(frame(rows), mapping(LONG))
    t = tickets.row(0, named=True)
    assert (t["status"], t["resolved_at"], t["closed_at"]) == ("Closed", utc(4, 11), utc(4, 11))


def test_a_priority_change_is_an_event_and_the_ticket_keeps_the_last_priority() -> None:
    rows = [row("T1", 0, "04/03/2024 09:00"), row("T1", 1, "04/03/2024 09:40", "Working", prio="P1")]
    tickets, ev, _p = map_in_memory(frame(rows), mapping(LONG))
    assert tickets["priority"].to_list() == ["critical"]
    assert ("priority_changed", utc(4, 8, 40), "critical") in [
        (k, at, p) for k, at, p in ev.select("kind", "at", "priority").iter_rows()
    ]


def test_activities_give_replies_notes_and_statuses() -> None:
    rows = [
        row("T1", 0, "04/03/2024 09:00"),
        row("T1", 1, "04/03/2024 09:05", act="Note"),
        row("T1", 2, "04/03/2024 09:10", act="Reply"),
        row("T1", 3, "04/03/2024 09:20", "Waiting"),
        row("T1", 4, "04/03/2024 09:30", act="Customer wrote"),
    ]
    assert events(rows)[1:] == [
        ("internal_note", utc(4, 8, 5), None),
        ("agent_reply", utc(4, 8, 10), None),
        ("agent_reply", utc(4, 8, 20), None),  # the first move out of Open counts too
        ("status_changed", utc(4, 8, 20), "Waiting"),
        ("status_changed", utc(4, 8, 30), "Open"),
        ("customer_reply", utc(4, 8, 30), None),
    ]


def test_an_ignored_status_value_leaves_the_status_as_it_was() -> None:
    rows = [row("T1", 0, "04/03/2024 09:00", "Working"), row("T1", 1, "04/03/2024 09:10", "-")]
    assert [s for k, _at, s in events(rows) if k == "status_changed"] == ["Working"]


def test_a_ticket_with_a_bad_row_is_left_out_whole_pointing_at_the_bad_row() -> None:
    rows = [row("T1", 0, "04/03/2024 09:00"), row("T1", 1, "soon"), row("T2", 0, "04/03/2024 09:00")]
    tickets, _e, problems = map_in_memory(frame(rows), mapping(LONG))
    assert tickets["external_id"].to_list() == ["T2"]
    assert [(p.row, p.column) for p in problems] == [(2, "id"), (3, "at")]
    assert problems[0].reason == "ticket T1 left out: row 3 is invalid"


def test_dedupe_keys_are_stable_and_unique_even_for_a_change_repeated_at_the_same_instant() -> None:
    rows = [row("T1", i, "04/03/2024 09:00", s) for i, s in enumerate(["Open", "Working", "Waiting", "Working",
                                                                      "Waiting"])]  # fmt: skip
    keys = map_in_memory(frame(rows), mapping(LONG))[1]["dedupe_key"].to_list()
    again = map_in_memory(frame(list(reversed(rows))), mapping(LONG))[1]["dedupe_key"].to_list()
    assert keys == again
    assert len(set(keys)) == len(keys)
    assert max(len(k) for k in keys) <= 64


# --------------------------------------------------------------------------- wide layout
def wide(**more: str) -> dict[str, str]:
    return {"id": "Z1", "created": "2024-03-04T08:00:00Z", "status": "solved", "prio": "high",
            "reply_minutes": "45", "solved": "2024-03-04T12:00:00Z", "updated": "2024-03-05T08:00:00Z", **more}  # fmt: skip


def test_a_wide_row_gives_created_first_reply_resolved_and_closed_events() -> None:
    tickets, ev, problems = map_in_memory(frame([wide(status="closed")]), mapping(WIDE))
    assert problems == []
    assert [(k, at) for k, at in ev.select("kind", "at").iter_rows()] == [
        ("created", utc(4, 8)), ("agent_reply", utc(4, 8, 45)), ("resolved", utc(4, 12)), ("closed", utc(5, 8)),
    ]  # fmt: skip
    t = tickets.row(0, named=True)
    assert (t["first_response_at"], t["resolved_at"], t["closed_at"]) == (
        utc(4, 8, 45),
        utc(4, 12),
        utc(5, 8),
    )


@pytest.mark.parametrize(
    ("given", "status", "closed_at"),
    [
        ({"status": "solved"}, "solved", None),  # updated_at is the closing time only when closed
        ({"status": "closed"}, "closed", utc(5, 8)),
        ({"status": ""}, "solved", None),  # no status: a solve time says solved
        ({"status": "", "solved": "", "reply_minutes": ""}, "new", None),
    ],
)
def test_the_status_and_closing_of_a_wide_row_follow_its_status_and_times(
    given: dict[str, str], status: str, closed_at: datetime | None
) -> None:
    tickets, _e, _p = map_in_memory(frame([wide(**given)]), mapping(WIDE))
    t = tickets.row(0, named=True)
    assert (t["status"], t["closed_at"]) == (status, closed_at)


def test_a_ticket_repeated_in_a_wide_file_is_taken_from_its_last_row() -> None:
    rows = [wide(status="open", solved=""), wide(status="solved")]
    tickets, _e, _p = map_in_memory(frame(rows), mapping(WIDE))
    assert tickets["status"].to_list() == ["solved"]


def test_a_time_before_the_creation_happened_at_the_creation() -> None:
    tickets, _e, _p = map_in_memory(frame([wide(solved="2024-03-01T00:00:00Z")]), mapping(WIDE))
    assert tickets["resolved_at"].to_list() == [utc(4, 8)]
