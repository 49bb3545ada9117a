"""Chart geometry for the capability report, drawn the project's one way: computed here in Python,
emitted as inline SVG by the macros in templates/report_charts.html (no JavaScript, nothing
third-party). Colours are SVG attributes, not CSS classes, so WeasyPrint's PDF draws them too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Colour-blind-safe (Okabe–Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Box:
    """The plot area inside a chart of `width` × `height` (SVG user units)."""

    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def y0(self) -> float:
        return self.height - self.bottom


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    color: str
    points: str  # "x,y x,y …" for <polyline>; runs broken at missing values become separate lines
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str
    opacity: float = 1.0


@dataclass(frozen=True, slots=True)
class Chart:
    box: Box
    description: str
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    rules: list[Tick] = field(default_factory=list)  # horizontal reference lines (y, label)
    legend: list[tuple[str, str]] = field(default_factory=list)  # label, colour
    outlines: list[Rect] = field(default_factory=list)  # highlighted regions (suggested hours)
    x_title: str = ""
    y_title: str = ""
    rule_labels_left: bool = False  # where curves end at the right, their labels go left


def short_duration(seconds: float, day_seconds: float) -> str:
    """Axis labels in business time: '30m', '4h', '2d' (d = one business day)."""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < day_seconds:
        return f"{seconds / 3600:.3g}h"
    return f"{seconds / day_seconds:.3g}d"


def month_label(month: int, *, with_year: bool = True) -> str:
    text = MONTHS[month % 100 - 1]
    return f"{text} {month // 100 % 100:02d}" if with_year else text


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _log_x(box: Box, lo: float, hi: float) -> tuple[float, float]:
    scale = box.plot_width / (math.log(hi) - math.log(lo))
    return scale, box.left - math.log(lo) * scale


def _share_ticks(box: Box) -> list[Tick]:
    return [Tick(box.y0 - box.plot_height * s / 100, f"{s}%") for s in range(0, 101, 20)]


def attainment_chart(
    targets: Sequence[float],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    level: float,
    marks: Sequence[tuple[str, float]],
    width: int = 680,
    height: int = 250,
) -> Chart:
    """Attainment curves: for each target (log x axis) the share of tickets that met it."""
    box = Box(width, height, 44, 12, 12, 34)
    lo, hi = float(targets[0]), float(targets[-1])
    sx, ox = _log_x(box, lo, hi)
    lines = []
    for i, (label, shares) in enumerate(series):
        runs: list[list[str]] = [[]]
        for t, s in zip(targets, shares, strict=True):
            if s is None:
                runs.append([])
                continue
            runs[-1].append(f"{math.log(t) * sx + ox:.1f},{box.y0 - s * box.plot_height:.1f}")
        lines += [Line(label, color(i), " ".join(r)) for r in runs if len(r) > 1]
    x_ticks = [Tick(math.log(s) * sx + ox, label) for label, s in marks if lo <= s <= hi]
    rule = Tick(box.y0 - level * box.plot_height, f"{level:.0%}")
    legend = [(label, color(i)) for i, (label, _) in enumerate(series)]
    return Chart(
        box,
        "Share of tickets that met each target (business time, log scale)",
        x_ticks=x_ticks,
        y_ticks=_share_ticks(box),
        lines=lines,
        rules=[rule],
        legend=legend,
        x_title="target (business time)",
        rule_labels_left=True,  # the curves run out near 100 % at the right, over the label
    )


def count_ticks(box: Box, top: float) -> tuple[float, list[Tick]]:
    """A round axis maximum at or above `top` and its ticks (0 and four steps)."""
    top = max(top, 1.0)
    magnitude = 10 ** math.floor(math.log10(top))
    step = next(m * magnitude for m in (0.25, 0.5, 1, 2, 2.5, 5, 10) if m * magnitude * 4 >= top)
    step = max(step, 1.0)
    return step * 4, [Tick(box.y0 - box.plot_height * k / 4, f"{step * k:,.0f}") for k in range(5)]


def histogram_chart(
    edges: Sequence[float | None],
    counts: Sequence[int],
    *,
    day_seconds: float,
    marks: Sequence[tuple[str, float]] = (),
    width: int = 680,
    height: int = 200,
) -> Chart:
    """How long tickets took: one bar per bin of business time. The first bin holds clocks under a
    minute, the last the open-ended tail; the bins between are even on a log scale, so round
    durations (`marks`) are placed by logarithm."""
    box = Box(width, height, 52, 12, 12, 34)
    n = len(counts)
    slot = box.plot_width / n
    total = max(sum(counts), 1)
    top, y_ticks = count_ticks(box, max(counts, default=0))
    rects = []
    for i, c in enumerate(counts):
        a, b = edges[i] or 0.0, edges[i + 1]
        if i == 0:
            name = f"under {short_duration(b or 0.0, day_seconds)}"
        elif b is None:
            name = f"{short_duration(a, day_seconds)} or more"
        else:
            name = f"{short_duration(a, day_seconds)}–{short_duration(b, day_seconds)}"
        h = box.plot_height * c / top
        title = f"{name}: {c:,} tickets ({c / total:.1%})"
        rects.append(Rect(box.left + i * slot + 1, box.y0 - h, slot - 2, h, color(0), title))
    lo, hi = edges[1], edges[-2]
    x_ticks = [Tick(box.left + slot / 2, "<1m")]
    if lo and hi and hi > lo:
        span = (math.log(hi) - math.log(lo)) / (n - 2)
        x_ticks += [
            Tick(box.left + slot * (1 + (math.log(v) - math.log(lo)) / span), label)
            for label, v in marks
            if lo < v <= hi  # the lower edge itself would collide with the '<1m' label
        ]
    return Chart(box, "Completed clocks by business time taken", x_ticks, y_ticks, rects=rects,
                 x_title="business time taken (log scale)", y_title="tickets")  # fmt: skip


def stacked_bars(
    months: Sequence[int], series: Sequence[tuple[str, Sequence[int]]], *, width: int = 680, height: int = 200
) -> Chart:
    """Volume per month, one stacked bar per month, one colour per series."""
    box = Box(width, height, 52, 12, 12, 34)
    slot = box.plot_width / max(len(months), 1)
    totals = [sum(v[i] for _, v in series) for i in range(len(months))]
    top, y_ticks = count_ticks(box, max(totals, default=0))
    rects = []
    for i, month in enumerate(months):
        y = box.y0
        for j, (label, values) in enumerate(series):
            h = box.plot_height * values[i] / top
            if h > 0:
                y -= h
                title = f"{month_label(month)} · {label}: {values[i]:,} tickets"
                rects.append(Rect(box.left + i * slot + slot * 0.15, y, slot * 0.7, h, color(j), title))
    x_ticks = _month_ticks(box, months, slot)
    legend = [(label, color(j)) for j, (label, _) in enumerate(series)]
    return Chart(
        box, "Tickets opened per month", x_ticks, y_ticks, rects=rects, legend=legend, y_title="tickets"
    )


def attainment_bars(
    months: Sequence[int],
    shares: Sequence[float | None],
    volumes: Sequence[int],
    *,
    level: float,
    width: int = 330,
    height: int = 150,
) -> Chart:
    """Attainment per month at one target: a bar per month, in a warning colour below the level."""
    box = Box(width, height, 38, 10, 8, 30)
    slot = box.plot_width / max(len(months), 1)
    rects = []
    for i, (month, share, volume) in enumerate(zip(months, shares, volumes, strict=True)):
        if share is None:
            continue
        h = box.plot_height * share
        fill = color(0) if share >= level else color(1)
        title = f"{month_label(month)}: {share:.1%} of {volume:,} tickets"
        rects.append(Rect(box.left + i * slot + slot * 0.15, box.y0 - h, slot * 0.7, h, fill, title))
    rule = Tick(box.y0 - level * box.plot_height, f"{level:.0%}")
    y_ticks = [Tick(box.y0 - box.plot_height * s, f"{s:.0%}") for s in (0, 0.5, 1)]
    return Chart(box, "Attainment per month at the recommended target", _month_ticks(box, months, slot),
                 y_ticks, rects=rects, rules=[rule])  # fmt: skip


def _month_ticks(box: Box, months: Sequence[int], slot: float) -> list[Tick]:
    every = max(1, math.ceil(len(months) * 48 / box.plot_width))  # ~48 units per label
    return [
        Tick(box.left + (i + 0.5) * slot, month_label(m, with_year=(i == 0 or m % 100 == 1)))
        for i, m in enumerate(months)
        if i % every == 0
    ]


def heatmap(
    counts: Sequence[Sequence[int]], *, days: Sequence[str], start_hour: int, end_hour: int, width: int = 680
) -> Chart:
    """Activity by weekday (rows, Monday first) and hour (columns), darker where busier; the
    suggested business hours are outlined."""
    cell_h = 20
    box = Box(width, 7 * cell_h + 40, 40, 22, 8, 18)
    cell_w = box.plot_width / 24
    peak = max((c for row in counts for c in row), default=0) or 1
    rects = []
    for d, row in enumerate(counts):
        for h, c in enumerate(row):
            title = f"{DAY_LABELS[d]} {h:02d}:00–{h + 1:02d}:00: {c:,} events"
            x, y = box.left + h * cell_w, box.top + d * cell_h
            rects.append(Rect(x + 0.5, y + 0.5, cell_w - 1, cell_h - 1, color(0), title, round(c / peak, 3)))
    outlines = []
    rows = sorted(("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(d) for d in days)
    runs: list[list[int]] = []
    for r in rows:  # consecutive days share one outline
        if runs and runs[-1][-1] == r - 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    for run in runs if end_hour > start_hour else []:
        outlines.append(Rect(
            box.left + start_hour * cell_w, box.top + run[0] * cell_h,
            (end_hour - start_hour) * cell_w, len(run) * cell_h, color(1), "suggested hours",
        ))  # fmt: skip
    x_ticks = [Tick(box.left + h * cell_w, f"{h:02d}") for h in range(0, 25, 3)]
    y_ticks = [Tick(box.top + d * cell_h + cell_h / 2, DAY_LABELS[d]) for d in range(7)]
    return Chart(box, "Tickets opened and agent replies by weekday and hour", x_ticks, y_ticks,
                 rects=rects, outlines=outlines)  # fmt: skip


UPTIME_COLORS = {"full": "#c9d3dc", "met": PALETTE[0], "below": PALETTE[1]}


def uptime_strip(
    months: Sequence[int],
    services: Sequence[tuple[str, Sequence[float | None], float | None]],
    *,
    width: int = 680,
    label_width: int = 190,
) -> Chart:
    """Monthly uptime as small multiples in one figure: a row per service, a cell per month,
    coloured by whether the month reached the service's recommended target (grey: no downtime at
    all). Each cell's title holds the exact figure. `services` is (name, uptime per month or None
    where the month is outside its window, recommended target)."""
    cell_h = 12
    box = Box(width, len(services) * cell_h + 34, label_width, 4, 8, 30)
    slot = box.plot_width / max(len(months), 1)
    rects = []
    for row, (name, uptimes, target) in enumerate(services):
        y = box.top + row * cell_h
        for i, (month, up) in enumerate(zip(months, uptimes, strict=True)):
            if up is None:
                continue
            kind = "full" if up >= 1 else "met" if target is not None and up >= target else "below"
            title = f"{name} · {month_label(month)}: {up * 100:.3f} % uptime"
            rects.append(Rect(box.left + i * slot + 0.5, y + 1, max(slot - 1, 0.5), cell_h - 2,
                              UPTIME_COLORS[kind], title))  # fmt: skip
    names = [Tick(box.top + r * cell_h + cell_h / 2, clip(name, label_width)) for r, (name, _, _) in
             enumerate(services)]  # fmt: skip
    legend = [("no downtime", UPTIME_COLORS["full"]),
              ("reached the recommended target", UPTIME_COLORS["met"]),
              ("below it", UPTIME_COLORS["below"])]  # fmt: skip
    return Chart(box, "Uptime per service and month (planned maintenance excluded)",
                 _month_ticks(box, months, slot), names, rects=rects, legend=legend)  # fmt: skip


def clip(text: str, width: float) -> str:
    """A label cut to fit `width` units at the charts' 10-unit font (about 5.5 units a character)."""
    room = max(int(width / 5.5) - 1, 4)
    return text if len(text) <= room else text[: room - 1] + "…"
