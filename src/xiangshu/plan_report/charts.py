"""Server-rendered SVG charts, readable without JavaScript.

An indicator chart shows the baseline, the target, the plan's expected path
(straight or geometric as the target's form says), the observed values (real
ones filled, synthetic ones hollow and labelled), the forecast cone (80% and
95%) with its median, and the status. Text is kept to numbers when the chart
is meant for conversion to PNG (``ascii_only``), because the report machine
may lack Chinese fonts; the document around it carries the words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from xiangshu.domain.plan.formulas import FormulaError, expected_value
from xiangshu.domain.plan.indicators import IndicatorSpec

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 28, 36
COLOURS = {
    "path": "#5f6368",
    "target": "#b3261e",
    "real": "#0b57d0",
    "synthetic": "#a15c00",
    "cone80": "#c6dafc",
    "cone95": "#e8f0fe",
    "median": "#0b57d0",
}
STATUS_COLOURS = {
    "achieved_early": "#1e7d32",
    "achieved": "#1e7d32",
    "ahead": "#1e7d32",
    "on_track": "#0b57d0",
    "lagging": "#a15c00",
    "regressing": "#b3261e",
    "not_achieved": "#b3261e",
    "no_data": "#5f6368",
    "not_assessable": "#5f6368",
}


@dataclass(frozen=True, slots=True)
class ChartPoint:
    time: float
    value: float
    synthetic: bool = False
    hedged: bool = False  # a lower bound, a proxy or an estimate


@dataclass
class ChartData:
    spec: IndicatorSpec
    points: Sequence[ChartPoint]
    cone: Sequence[dict[str, Any]] = field(default_factory=list)  # the stored forecast cone
    status: str = ""
    status_label: str = ""


def fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low or abs(high) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.01:
        if value >= low - step * 0.01:
            ticks.append(round(value, 10))
        value += step
    return ticks


def _path_points(spec: IndicatorSpec) -> list[tuple[float, float]]:
    found = []
    steps = 20
    for i in range(steps + 1):
        t = spec.baseline_year + (spec.target_year - spec.baseline_year) * i / steps
        try:
            found.append((t, expected_value(spec, t)))
        except FormulaError:
            return []
    return found


def indicator_chart(data: ChartData, *, ascii_only: bool = False, title: str = "") -> str:
    spec = data.spec
    path = _path_points(spec)
    values = [p.value for p in data.points] + [v for _, v in path]
    values += [v for v in (spec.baseline, spec.target) if v is not None]
    for step in data.cone:
        values.append(step["median"])
        values += [b for i in step.get("intervals", []) for b in (i["lower"], i["upper"])]
    times = [p.time for p in data.points] + [float(spec.baseline_year), float(spec.target_year)]
    if not values:
        values = [0.0, 1.0]
    t0, t1 = min(times), max(times)
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    if low < 0 <= min(values):
        low = 0.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + (t - t0) / ((t1 - t0) or 1) * plot_w

    def y(v: float) -> float:
        return TOP + (high - v) / ((high - low) or 1) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" class="chart" '
        'font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif" font-size="11">',
        f"<title>{escape(title or spec.name)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    for tick in _ticks(low, high):
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#eef0f2"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#5f6368">'
            f"{fmt(tick)}</text>"
        )
    for year in range(math.ceil(t0), math.floor(t1) + 1):
        out.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="#5f6368">{year}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#b8bec5"/>'
    )
    out += _cone(data.cone, x, y)
    if path:
        line = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in path)
        out.append(
            f'<polyline points="{line}" fill="none" stroke="{COLOURS["path"]}" '
            'stroke-dasharray="6 4" stroke-width="1.5" class="expected-path"/>'
        )
    if spec.target is not None:
        ty = y(spec.target)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{COLOURS["target"]}" stroke-dasharray="2 3" class="target"/>'
            f'<circle cx="{x(spec.target_year):.1f}" cy="{ty:.1f}" r="5" '
            f'fill="{COLOURS["target"]}"/>'
            f'<text x="{x(spec.target_year) - 8:.1f}" y="{ty - 8:.1f}" text-anchor="end" '
            f'fill="{COLOURS["target"]}">{"" if ascii_only else "目标 "}{fmt(spec.target)}</text>'
        )
    if spec.baseline is not None:
        out.append(
            f'<rect x="{x(spec.baseline_year) - 4:.1f}" y="{y(spec.baseline) - 4:.1f}" '
            f'width="8" height="8" fill="{COLOURS["path"]}" class="baseline"/>'
        )
    out += _observations(data.points, x, y)
    if data.status and not ascii_only:
        colour = STATUS_COLOURS.get(data.status, "#5f6368")
        out.append(
            f'<text x="{WIDTH - RIGHT}" y="16" text-anchor="end" font-weight="bold" '
            f'fill="{colour}">{escape(data.status_label or data.status)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _cone(cone: Sequence[dict[str, Any]], x: Any, y: Any) -> list[str]:
    if not cone:
        return []
    out = []
    for level, colour in ((0.95, COLOURS["cone95"]), (0.8, COLOURS["cone80"])):
        steps = [
            (s["time"], i["lower"], i["upper"])
            for s in cone
            for i in s.get("intervals", [])
            if abs(i["level"] - level) < 1e-6
        ]
        if not steps:
            continue
        upper = " ".join(f"{x(t):.1f},{y(u):.1f}" for t, _, u in steps)
        lower = " ".join(f"{x(t):.1f},{y(lo):.1f}" for t, lo, _ in reversed(steps))
        out.append(f'<polygon points="{upper} {lower}" fill="{colour}" class="cone"/>')
    median = " ".join(f"{x(s['time']):.1f},{y(s['median']):.1f}" for s in cone)
    out.append(
        f'<polyline points="{median}" fill="none" stroke="{COLOURS["median"]}" '
        'stroke-dasharray="2 2" class="forecast"/>'
    )
    return out


def _observations(points: Sequence[ChartPoint], x: Any, y: Any) -> list[str]:
    out = []
    ordered = sorted(points, key=lambda p: p.time)
    if len(ordered) > 1:
        line = " ".join(f"{x(p.time):.1f},{y(p.value):.1f}" for p in ordered)
        out.append(f'<polyline points="{line}" fill="none" stroke="#9aa0a6" stroke-width="1"/>')
    for p in points:
        colour = COLOURS["synthetic"] if p.synthetic else COLOURS["real"]
        fill = "#fff" if p.synthetic else colour
        kind = "synthetic" if p.synthetic else "observed"
        if p.hedged:
            cx, cy = x(p.time), y(p.value)
            out.append(
                f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 5:.1f},{cy + 4:.1f} '
                f'{cx + 5:.1f},{cy + 4:.1f}" fill="{fill}" stroke="{colour}" '
                f'stroke-width="1.5" class="{kind} hedged"/>'
            )
        else:
            out.append(
                f'<circle cx="{x(p.time):.1f}" cy="{y(p.value):.1f}" r="4" fill="{fill}" '
                f'stroke="{colour}" stroke-width="1.5" class="{kind}"/>'
            )
    return out


def sparkline(points: Sequence[ChartPoint], spec: IndicatorSpec, width: int = 120) -> str:
    """A small line of the observed values with the baseline and the target."""
    height = 28
    series = [(float(spec.baseline_year), spec.baseline)] if spec.baseline is not None else []
    series += [(p.time, p.value) for p in sorted(points, key=lambda p: p.time)]
    values = [v for _, v in series if v is not None]
    if spec.target is not None:
        values.append(spec.target)
    if len(series) < 2 or not values:
        return ""
    t0, t1 = float(spec.baseline_year), max(float(spec.target_year), series[-1][0])
    low, high = min(values), max(values)

    def x(t: float) -> float:
        return 2 + (t - t0) / ((t1 - t0) or 1) * (width - 4)

    def y(v: float) -> float:
        return 2 + (high - v) / ((high - low) or 1) * (height - 4)

    line = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in series if v is not None)
    target = ""
    if spec.target is not None:
        target = (
            f'<circle cx="{x(spec.target_year):.1f}" cy="{y(spec.target):.1f}" r="2.5" '
            f'fill="{COLOURS["target"]}"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="sparkline" aria-hidden="true">'
        f'<polyline points="{line}" fill="none" stroke="{COLOURS["real"]}" stroke-width="1.5"/>'
        f"{target}</svg>"
    )
