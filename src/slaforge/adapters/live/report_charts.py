"""Chart geometry for live reports and the dashboards' trends, drawn the capability report's way
(adapters/background/report/charts.py: geometry here, inline SVG from its macro, colours as
attributes so the PDF draws what the browser shows)."""

from __future__ import annotations

from collections.abc import Sequence

from slaforge.adapters.background.report.charts import Box, Chart, Rect, Tick, clip, color, count_ticks

MET, BELOW = color(0), color(1)


def share_bars(
    labels: Sequence[str],
    shares: Sequence[float | None],
    *,
    level: float | None,
    description: str,
    detail: Sequence[str] = (),
    top: float = 1.0,
    width: int = 330,
    height: int = 150,
) -> Chart:
    """A bar per period for a share (attainment, uptime): in the warning colour under `level`,
    which is drawn as a dashed rule. Where every share sits high (uptime), the axis starts lower
    so the differences show; the rule and tick labels say where."""
    box = Box(width, height, 44, 10, 8, 30)
    known = [s for s in shares if s is not None]
    floor = 0.0
    lowest = min([*known, *([level] if level is not None else [])], default=0.0)
    if top == 1.0 and lowest >= 0.9:  # e.g. 99.5 % uptime: a 0–100 % axis would hide every difference
        floor = max(0.0, round(lowest - (1 - lowest) * 0.5 - 0.0005, 3))

    def y(share: float) -> float:
        return box.y0 - box.plot_height * max(share - floor, 0.0) / (top - floor)

    slot = box.plot_width / max(len(labels), 1)
    rects = []
    for i, (label, share) in enumerate(zip(labels, shares, strict=True)):
        if share is None:
            continue
        fill = MET if level is None or share >= level - 1e-12 else BELOW
        extra = f" · {detail[i]}" if i < len(detail) and detail[i] else ""
        bar_top = min(y(share), box.y0 - 1.5)  # a zero still shows, as a sliver
        rects.append(Rect(box.left + i * slot + slot * 0.15, bar_top, slot * 0.7, box.y0 - bar_top, fill,
                          f"{label}: {share:.2%}{extra}"))  # fmt: skip
    rules = [] if level is None else [Tick(y(level), f"{level:.2%}".replace(".00%", "%"))]
    ticks = [floor, (floor + top) / 2, top]
    y_ticks = [Tick(y(s), f"{s:.1%}" if floor else f"{s:.0%}") for s in ticks]
    x_ticks = _label_ticks(box, labels, slot)
    return Chart(box, description, x_ticks, y_ticks, rects=rects, rules=rules)


def count_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    *,
    description: str,
    unit: str,
    width: int = 680,
    height: int = 190,
) -> Chart:
    """Counts per label as stacked bars, one colour per series (name, counts, colour)."""
    box = Box(width, height, 52, 12, 12, 34)
    slot = box.plot_width / max(len(labels), 1)
    totals = [sum(v[i] for _, v, _ in series) for i in range(len(labels))]
    top, y_ticks = count_ticks(box, max(totals, default=0))
    rects = []
    for i, label in enumerate(labels):
        y = box.y0
        for name, values, fill in series:
            h = box.plot_height * values[i] / top
            if h > 0:
                y -= h
                title = (
                    f"{label} · {name}: {values[i]:,} {unit}" if name else f"{label}: {values[i]:,} {unit}"
                )
                rects.append(Rect(box.left + i * slot + slot * 0.15, y, slot * 0.7, h, fill, title))
    legend = [(name, fill) for name, _, fill in series if name]
    return Chart(box, description, _label_ticks(box, labels, slot), y_ticks, rects=rects, legend=legend,
                 y_title=unit)  # fmt: skip


def _label_ticks(box: Box, labels: Sequence[str], slot: float) -> list[Tick]:
    every = max(1, -(-len(labels) * 60 // int(box.plot_width or 1)))  # ~60 units per label
    return [
        Tick(box.left + (i + 0.5) * slot, clip(label, slot * every))
        for i, label in enumerate(labels)
        if i % every == 0
    ]
