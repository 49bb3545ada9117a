"""The import benchmark's peer: the same parse-and-map computation written in plain pandas.

It reads the generated ServiceNow-format history with the rules of the built-in `servicenow`
mapping (missing `?`, day-first times in UTC, rows in sys_mod_count order, the first move out
of New as the first response, reopenings, resolution and closing times, dedupe keys) the way a
careful pandas user would: vectorised, with groupby transforms. The benchmark checks that both
produce the same tickets and events before it compares their speed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

TEXT = ["number", "incident_state", "priority", "category", "contact_type"]
TIMES = ["opened_at", "sys_updated_at", "resolved_at", "closed_at"]
NUMBERS = ["sys_mod_count", "reopen_count", "reassignment_count"]
PRIORITIES = {"1 - Critical": "critical", "2 - High": "high", "3 - Moderate": "moderate", "4 - Low": "low",
              "5 - Planning": "planning"}  # fmt: skip
DONE, CLOSED, NEW = ("Resolved", "Closed"), ("Closed",), "New"


def _read(path: Path) -> pd.DataFrame:
    cols = [*TEXT, *TIMES, *NUMBERS, "made_sla"]
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=cols)
    else:
        df = pd.read_parquet(path, columns=cols)
    df["rec"] = np.arange(len(df))
    for c in [*TEXT, *NUMBERS, "made_sla"]:
        s = df[c].astype(str).str.strip()
        df[c] = s.mask(s.isin(["?", ""]))
    for c in TIMES:
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            df[c] = df[c].dt.tz_localize("UTC")
        else:
            s = df[c].str.strip().mask(df[c].isin(["?", ""]))
            first = pd.to_datetime(s, format="%d/%m/%Y %H:%M", errors="coerce")
            second = pd.to_datetime(s.where(first.isna()), format="%d/%m/%Y %H:%M:%S", errors="coerce")
            df[c] = first.fillna(second).dt.tz_localize("UTC")
    df["priority"] = df["priority"].map(PRIORITIES)
    for c in NUMBERS:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    df["made_sla"] = df["made_sla"].str.lower().map({"true": True, "false": False})
    df["incident_state"] = df["incident_state"].mask(df["incident_state"] == "-100")
    return df


def parse_map(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tickets, events), as slaforge's long layout gives them for this mapping."""
    df = _read(path).sort_values(["number", "sys_mod_count", "sys_updated_at", "rec"], kind="stable")
    df = df.reset_index(drop=True)
    g = df.groupby("number", sort=False)
    df["opened"] = g["opened_at"].transform("first")
    df["at"] = df[["sys_updated_at", "opened"]].max(axis=1)
    df["at"] = df.groupby("number", sort=False)["at"].cummax()
    df["s"] = g["incident_state"].ffill().fillna(NEW)
    df["p0"] = g["priority"].transform("first")
    df["p"] = g["priority"].ffill().fillna(df["p0"])
    g = df.groupby("number", sort=False)
    df["seq"] = g.cumcount()
    df["prev_s"] = g["s"].shift(1).fillna(NEW)
    df["prev_p"] = g["p"].shift(1)
    rc = df["reopen_count"].fillna(0)
    df["by_count"] = rc > rc.groupby(df["number"]).cummax().groupby(df["number"]).shift(1).fillna(0)
    changed = df["s"] != df["prev_s"]
    is_done, prev_done = df["s"].isin(DONE), df["prev_s"].isin(DONE)
    df["reopen"] = df["by_count"] | (changed & prev_done & ~is_done)
    first_row = df["seq"] == 0
    entry = df["at"].where(~prev_done | first_row)
    df["done_since"] = entry.groupby(df["number"]).ffill().where(is_done)
    df["prev_done_since"] = df.groupby("number", sort=False)["done_since"].shift(1)
    left_new = changed & (df["prev_s"] == NEW) & (df["s"] != NEW)
    first_left = left_new & (left_new.groupby(df["number"]).cumsum() == 1)
    df["closed_entry"] = df["at"].where(changed & df["s"].isin(CLOSED))
    df["changed"] = changed
    return _tickets_and_events(df, first_left)


def _event(rows: pd.DataFrame, kind: str, at: pd.Series, sub: int, status: object = None,
           priority: object = None) -> pd.DataFrame:  # fmt: skip
    out = pd.DataFrame({"ticket": rows["number"].to_numpy(), "at": at.array, "kind": kind})
    out["status"], out["priority"], out["seq"], out["sub"] = status, priority, rows["seq"].to_numpy(), sub
    return out


def _tickets_and_events(df: pd.DataFrame, first_left: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = []
    r = df[df["reopen"] & df["prev_done_since"].notna()]
    parts.append(_event(r, "resolved", r["prev_done_since"], 1))
    r = df[df["reopen"]]
    parts.append(_event(r, "reopened", r["at"], 2))
    r = df[df["prev_p"].notna() & (df["p"] != df["prev_p"])]
    parts.append(_event(r, "priority_changed", r["at"], 3, priority=r["p"].to_numpy()))
    r = df[first_left]
    parts.append(_event(r, "agent_reply", r["at"], 4))
    r = df[df["changed"]]
    parts.append(_event(r, "status_changed", r["at"], 5, status=r["s"].to_numpy()))
    g = df.groupby("number", sort=False)
    t = g.agg(opened=("opened", "first"), status=("s", "last"), priority=("p", "last"), p0=("p0", "first"),
              category=("category", "last"), closed_entry=("closed_entry", "last"))  # fmt: skip
    last_row = df.drop_duplicates("number", keep="last").set_index(
        "number"
    )  # "last" would skip missing values
    t["res_given"], t["closed_given"] = last_row["resolved_at"], last_row["closed_at"]
    t["done_since"], t["made_sla"] = last_row["done_since"], last_row["made_sla"]
    t["reopened_at"] = df["at"].where(df["reopen"]).groupby(df["number"]).last().reindex(t.index)
    t["reopened_at"] = t["reopened_at"].fillna(t["opened"])
    done = t["status"].isin(DONE)
    ok = t["res_given"].notna() & (t["res_given"] >= t["reopened_at"])
    t["resolved_at"] = t["res_given"].where(ok, t["done_since"]).where(done)
    closed_at = t[["closed_given", "opened"]].max(axis=1).where(t["closed_given"].notna(), t["closed_entry"])
    t["closed_at"] = closed_at.where(t["status"].isin(CLOSED))
    t = t.reset_index()
    parts.insert(0, pd.DataFrame({"ticket": t["number"], "at": t["opened"], "kind": "created", "status": NEW,
                                  "priority": t["p0"], "seq": -1, "sub": 0}))  # fmt: skip
    for sub, col, kind in ((6, "resolved_at", "resolved"), (7, "closed_at", "closed")):
        r = t[t[col].notna()]
        parts.append(pd.DataFrame({"ticket": r["number"], "at": r[col], "kind": kind, "status": None,
                                   "priority": None, "seq": 1 << 40, "sub": sub}))  # fmt: skip
    events = pd.concat(parts, ignore_index=True).sort_values(["ticket", "at", "seq", "sub"], kind="stable")
    replies = events[events["kind"] == "agent_reply"].groupby("ticket")["at"].min()
    t["first_response_at"] = t["number"].map(replies)
    return t, _keys(events.reset_index(drop=True))


def _keys(events: pd.DataFrame) -> pd.DataFrame:
    n = (
        events.groupby(["ticket", "kind", "at", "status", "priority"], dropna=False, sort=False).cumcount()
        + 1
    )
    short = {}
    for c in ("status", "priority"):
        uniq = events[c].dropna().unique()
        short[c] = events[c].map({v: hashlib.sha256(v.encode()).hexdigest()[:8] for v in uniq}).fillna("")
    epoch = (events["at"] - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(microseconds=1)
    events["dedupe_key"] = (events["kind"] + "|" + epoch.astype(str) + "|" + short["status"] + "|"
                            + short["priority"] + "|" + n.astype(str))  # fmt: skip
    return events


def write_sqlite(database: Path, tickets: pd.DataFrame, events: pd.DataFrame) -> None:
    """Store the mapped history in slaforge's schema (a migrated SQLite file) with to_sql."""

    def naive(s: pd.Series) -> pd.Series:
        return s.dt.tz_convert("UTC").dt.tz_localize(None)

    rows = pd.DataFrame({
        "source": "pandas", "external_id": tickets["number"], "priority": tickets["priority"],
        "category": tickets["category"], "status": tickets["status"], "created_at": naive(tickets["opened"]),
        "first_response_at": naive(tickets["first_response_at"]),
        "resolved_at": naive(tickets["resolved_at"]),
        "closed_at": naive(tickets["closed_at"]),
    })  # fmt: skip
    with sqlite3.connect(database) as conn:
        rows.to_sql("tickets", conn, if_exists="append", index=False, chunksize=5_000)
        ids = pd.read_sql("SELECT external_id, id FROM tickets WHERE source = 'pandas'", conn)
        ev = events.merge(ids, left_on="ticket", right_on="external_id")
        out = pd.DataFrame({"ticket_id": ev["id"], "at": naive(ev["at"]), "kind": ev["kind"],
                            "status": ev["status"],
                            "priority": ev["priority"], "dedupe_key": ev["dedupe_key"]})  # fmt: skip
        out.to_sql("ticket_events", conn, if_exists="append", index=False, chunksize=5_000)
