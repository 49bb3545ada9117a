"""The same capability study written the way a careful pandas user would, as the benchmark's peer.

Same inputs (one DataFrame of events, one of tickets), same rules: business time on the same
calendar (expanded with pandas into UTC open intervals with a running total), clocks that pause
in waiting statuses, first response stopped by the first agent reply or resolution, resolution by
the last resolution when the ticket ends resolved; then per segment percentiles (the inverted
CDF), attainment curves, month-by-month attainment, the recommended round target with the same
thin-month rule, and a back-test of the recommendations. Idiomatic: groupby, shift, ffill, cut.
"""

from __future__ import annotations

import math
from typing import Any

import holidays
import numpy as np
import pandas as pd

US = 1_000_000


def business_clock(calendar: dict[str, Any], first_year: int, last_year: int) -> tuple[np.ndarray, ...]:
    """UTC open intervals (µs) and the open time before each, for a weekly calendar with holidays."""
    days = pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31", freq="D")
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    off = holidays.country_holidays(calendar["holidays"]["country"], years=range(first_year, last_year + 1))
    rows = []
    for wd, day_name in enumerate(names):
        for interval in calendar["hours"].get(day_name, []):
            a, b = interval.split("-")
            rows.append((wd, pd.Timedelta(a + ":00"), pd.Timedelta(b + ":00")))
    frame = pd.DataFrame({"day": days})
    frame = frame[~frame["day"].dt.date.isin(set(off))]
    hours = pd.DataFrame(rows, columns=["wd", "open", "close"])
    frame = frame.assign(wd=frame["day"].dt.weekday).merge(hours, on="wd")
    zone = calendar["timezone"]
    starts = (frame["day"] + frame["open"]).dt.tz_localize(zone).dt.tz_convert("UTC")
    ends = (frame["day"] + frame["close"]).dt.tz_localize(zone).dt.tz_convert("UTC")
    s = np.sort(starts.dt.as_unit("us").astype("int64").to_numpy())
    e = np.sort(ends.dt.as_unit("us").astype("int64").to_numpy())
    before = np.concatenate([[0], np.cumsum(e - s)[:-1]])
    return s, e, before


def open_until(t: pd.Series, clock: tuple[np.ndarray, ...]) -> np.ndarray:
    """Open µs from the start of the expansion up to each instant."""
    s, e, before = clock
    x = t.to_numpy()
    i = np.searchsorted(s, x, side="right") - 1
    j = np.maximum(i, 0)
    return np.where(i >= 0, before[j] + np.clip(x - s[j], 0, e[j] - s[j]), 0)


def clocks(
    events: pd.DataFrame, n: int, calendar: dict[str, Any], pauses: frozenset[str], now_us: int
) -> pd.DataFrame:
    ev = events[events["at"] <= now_us].sort_values(["ticket", "at"], kind="stable").reset_index(drop=True)
    g = ev.groupby("ticket", sort=False)
    created = ev["at"].where(ev["kind"] == "created").groupby(ev["ticket"]).transform("min")
    ev["at"] = np.maximum(ev["at"], created.fillna(g["at"].transform("first")).astype("int64"))
    status_row = ev["kind"].isin(["created", "status_changed"]) & ev["status"].notna()
    ev["paused"] = ev["status"].where(status_row).groupby(ev["ticket"]).ffill().isin(pauses)
    switch = pd.Series(np.nan, index=ev.index, dtype="object")
    switch[ev["kind"].isin(["resolved", "closed"])] = True
    switch[ev["kind"] == "reopened"] = False
    ev["resolved"] = switch.groupby(ev["ticket"]).ffill().fillna(False).astype(bool)
    before = ev.groupby("ticket", sort=False)["resolved"].shift(1, fill_value=False).astype(bool)
    became = ev["resolved"] & ~before
    last = ev.groupby("ticket", sort=False).tail(1).set_index("ticket")
    years = pd.to_datetime(ev["at"].agg(["min", "max"]), unit="us").dt.year
    clock = business_clock(calendar, int(years["min"]) - 1, int(max(years["max"], 2000)) + 1)
    out = pd.DataFrame(index=pd.RangeIndex(n, name="ticket"))
    stops = {
        "first_response": ev.loc[ev["kind"].isin(["agent_reply", "resolved", "closed"])]
        .groupby("ticket")["at"]
        .min(),
        "resolution": ev.loc[became].groupby("ticket")["at"].max().where(last["resolved"]).dropna(),
    }
    nxt = ev.groupby("ticket", sort=False)["at"].shift(-1)
    for metric, stop in stops.items():
        end = stop.reindex(ev["ticket"]).fillna(now_us).to_numpy().astype(np.int64)
        b = np.minimum(nxt.fillna(now_us).to_numpy().astype(np.int64), end)
        b = np.where(nxt.isna().to_numpy(), end, b)
        a = ev["at"].to_numpy()
        running = ~ev["paused"].to_numpy() & (a < b)
        if metric == "resolution":
            running &= ~ev["resolved"].to_numpy()
        open_us = np.where(running, open_until(pd.Series(b), clock) - open_until(pd.Series(a), clock), 0)
        elapsed = pd.Series(open_us, index=ev.index).groupby(ev["ticket"]).sum()
        out[f"{metric}_elapsed"] = elapsed.reindex(out.index) / US
        out[f"{metric}_stopped"] = stop.reindex(out.index).notna()
    return out


def _percentiles(t: pd.DataFrame, by: list[str], col: str, qs: tuple[int, ...]) -> pd.DataFrame:
    """Inverted-CDF percentiles of completed clocks: the value at rank ceil(q·n / 100)."""
    done = t.loc[t[f"{col}_stopped"], [*by, f"{col}_elapsed"]].sort_values([*by, f"{col}_elapsed"])
    rank = done.groupby(by, dropna=False).cumcount() + 1
    size = done.groupby(by, dropna=False)[f"{col}_elapsed"].transform("size")
    picked = {q: done.loc[rank == np.maximum((size * q + 99) // 100, 1)] for q in qs}
    return pd.concat({q: c.set_index(by)[f"{col}_elapsed"] for q, c in picked.items()}, axis=1)


def _met_table(
    t: pd.DataFrame, keys: list[str], col: str, targets: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per group and target: tickets that met it, and tickets measured against it (stopped, or
    still running past it), from one cut of the elapsed times into target bins."""
    wanted = targets
    targets, back = np.unique(wanted, return_inverse=True)  # cut needs increasing, distinct edges
    nb = targets.size + 1
    bins = pd.cut(t[f"{col}_elapsed"], np.concatenate([[-np.inf], targets, [np.inf]]), labels=False)
    frame = t[keys].assign(bin=bins)

    def upto(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        counts = rows.groupby([*keys, "bin"], dropna=False).size().unstack("bin", fill_value=0)
        counts = counts.reindex(columns=range(nb), fill_value=0)
        return counts.cumsum(axis=1).iloc[:, : targets.size], counts.sum(axis=1)

    stopped = t[f"{col}_stopped"]
    met, n_done = upto(frame[stopped])
    run_within, n_run = upto(frame[~stopped])
    index = met.index.union(run_within.index)
    met, run_within = met.reindex(index, fill_value=0), run_within.reindex(index, fill_value=0)
    n_done, n_run = n_done.reindex(index, fill_value=0), n_run.reindex(index, fill_value=0)
    measured = run_within.rsub(n_run, axis=0).add(n_done, axis=0)
    return met.iloc[:, back], measured.iloc[:, back]


def study(
    events: pd.DataFrame,
    tickets: pd.DataFrame,
    *,
    calendar: dict[str, Any],
    pauses: frozenset[str],
    now_us: int,
    ladder: list[tuple[str, float]],
    grid: np.ndarray,
    level: float,
    month_share: float,
    min_tickets: int = 30,
    min_month_tickets: int = 10,
) -> dict[str, Any]:
    n = len(tickets)
    t = tickets.join(clocks(events, n, calendar, pauses, now_us))
    local = pd.to_datetime(t["created_us"], unit="us", utc=True).dt.tz_convert(calendar["timezone"])
    t["month"] = local.dt.year * 100 + local.dt.month
    steps = np.array([s for _, s in ladder])
    out: dict[str, Any] = {"clocks": t}
    for by in (["priority", "category"], ["priority"]):
        for col in ("first_response", "resolution"):
            ok = t[t[f"{col}_elapsed"].notna()]
            pct = _percentiles(ok, by, col, (50, 75, 90, 95, 99))
            met, measured = _met_table(ok, by, col, np.concatenate([grid, steps]))
            curve = met / measured.where(measured > 0)
            vol = ok.groupby([*by, "month"]).size()
            full = ok.join(vol.rename("vol"), on=[*by, "month"])
            full = full[full["vol"] >= min_month_tickets]
            m_met, m_measured = _met_table(full, [*by, "month"], col, steps)
            share = m_met / m_measured.where(m_measured > 0)
            months = full.groupby(by)["month"].nunique()
            meeting = (share >= level).groupby(level=by).sum()
            needed = np.ceil(month_share * months)
            sizes = full.groupby(by).size()
            eligible = (sizes >= min_tickets) & (months >= 3)
            ok_steps = (
                meeting.ge(needed.reindex(meeting.index), axis=0)
                & eligible.reindex(meeting.index).to_numpy()[:, None]
            )
            first = ok_steps.to_numpy().argmax(axis=1)
            rec = pd.Series(
                np.where(ok_steps.to_numpy().any(axis=1), steps[first], np.nan), index=ok_steps.index
            )
            rng = np.random.default_rng(0)
            ci = {}
            for key, grp in ok.loc[ok[f"{col}_stopped"]].groupby(by)[f"{col}_elapsed"]:
                done = np.sort(grp.to_numpy())
                k = max(math.ceil(level * done.size), 1)
                u = rng.beta(k, done.size - k + 1, size=2000)
                ci[key] = np.percentile(
                    done[np.clip(np.ceil(u * done.size).astype(int), 1, done.size) - 1], [2.5, 97.5]
                )
            out[(tuple(by), col)] = {"percentiles": pct, "curve": curve, "recommended": rec, "ci": ci}
    for col in ("first_response", "resolution"):
        rec = out[(("priority",), col)]["recommended"]
        target = t["priority"].map(rec.droplevel(0) if isinstance(rec.index, pd.MultiIndex) else rec)
        e, s = t[f"{col}_elapsed"], t[f"{col}_stopped"]
        scoped = target.notna() & e.notna()
        frame = pd.DataFrame({"month": t["month"], "met": s & (e <= target), "measured": s | (e > target)})[
            scoped
        ]
        monthly = frame.groupby("month")[["met", "measured"]].sum()
        monthly["attainment"] = monthly["met"] / monthly["measured"]
        monthly["achieved"] = monthly["attainment"] >= level
        out[("backtest", col)] = monthly
    return out
