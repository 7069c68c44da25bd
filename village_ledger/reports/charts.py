"""Charts as inline SVG, drawn on the server, for the printed reports and the dashboard alike.

A 财务公开 sheet is read offline, printed through WeasyPrint and opened on a phone; a village's
dashboard may be read on a township intranet with no outside network. So a chart is markup in the
page: no script, no font or image from anywhere else. Amounts are integer 分, labelled as printed
(`1,234.56`). The drawing functions only lay out numbers they are given; every number comes from
the report model (and through it from `model.figures`), never from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from village_ledger.reports.statements import yuan_display

TONES = {"ok": "#3f7fbf", "warn": "#e0a030", "over": "#c8372d", "plan": "#d9dde3"}
FONT = 'font-family="sans-serif" font-size="12"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # 分
    tone: str = "ok"


@dataclass(frozen=True)
class Line:
    label: str
    value: int  # 分
    colour: str
    dashed: bool = False


def _text(x: float, y: float, text: str, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT}{extra}>{escape(text)}</text>'
    )


def column_chart(title: str, bars: Sequence[Bar], lines: Sequence[Line] = ()) -> Markup:
    """Columns for amounts, with horizontal lines for the limits they are measured against."""
    left, top, plot_h, step = 90, 30, 180, 76
    width = left + step * max(len(bars), 1) + 150
    height = top + plot_h + 40
    top_value = max([b.value for b in bars] + [ln.value for ln in lines] + [1]) * 1.1
    base = top + plot_h

    def y(value: int) -> float:
        return base - plot_h * max(value, 0) / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vl-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{base}" x2="{width - 150}" y2="{base}" stroke="#888"/>',
        _text(left - 6, base + 4, "0", "end"),
    ]
    for index, bar in enumerate(bars):
        x = left + index * step + 14
        top_y = y(bar.value)
        colour = TONES.get(bar.tone, TONES["ok"])
        parts.append(
            f'<rect x="{x}" y="{top_y:.1f}" width="{step - 28}" height="{base - top_y:.1f}" '
            f'fill="{colour}"><title>{escape(bar.label)}：{yuan_display(bar.value)} 元</title></rect>'
        )
        parts.append(_text(x + (step - 28) / 2, top_y - 4, yuan_display(bar.value)))
        parts.append(_text(x + (step - 28) / 2, base + 16, bar.label))
    for line in lines:
        line_y = y(line.value)
        dash = ' stroke-dasharray="5,4"' if line.dashed else ""
        parts.append(
            f'<line x1="{left}" y1="{line_y:.1f}" x2="{width - 150}" y2="{line_y:.1f}" '
            f'stroke="{line.colour}" stroke-width="2"{dash}/>'
        )
        label = f"{line.label} {yuan_display(line.value)}"
        parts.append(_text(width - 146, line_y + 4, label, "start", f' fill="{line.colour}"'))
    parts.append("</svg>")
    return Markup("".join(parts))


# --- a contract's schedule as a timeline --------------------------------------------------

# a period's state (`model.schedule.Line.state`) -> its colour and what the legend calls it
PERIOD_TONES = {
    "已收": "#2e8b57",
    "部分收到": "#7fb2e5",
    "待收": "#e0a030",
    "欠收": "#c8372d",
    "未到期": "#d9dde3",
}


@dataclass(frozen=True)
class Span:
    """One period of a contract on its timeline."""

    label: str
    first: date
    last: date
    due: date
    state: str  # a key of PERIOD_TONES
    tip: str  # what hovering (or a screen reader) tells of it


def timeline_chart(title: str, spans: Sequence[Span], today: date) -> Markup:
    """The periods of a contract side by side on a time axis, coloured by state, each due day
    marked below its period and the day the figures are drawn up at marked across. Drawn in a
    360-unit-wide box that the page scales to its width, so it reads on a 390 px phone."""
    width, pad, bar_y, bar_h = 360, 4, 20, 24
    height = bar_y + bar_h + 30
    if not spans:
        return Markup("")
    start = min(s.first for s in spans)
    end = max(max(s.last for s in spans), start)
    days = (end - start).days + 1
    scale = (width - 2 * pad) / days

    def x(day: date) -> float:
        return pad + (day - start).days * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vl-timeline" role="img" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for span in spans:
        left = x(span.first)
        span_w = max((span.last - span.first).days + 1, 1) * scale - 1
        colour = PERIOD_TONES.get(span.state, PERIOD_TONES["未到期"])
        parts.append(
            f'<rect class="vl-period" data-period="{escape(span.label)}" '
            f'data-state="{escape(span.state)}" x="{left:.1f}" y="{bar_y}" '
            f'width="{max(span_w, 1):.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(span.tip)}</title></rect>"
        )
        if span_w >= 7 * len(span.label) + 4:
            ink = ' fill="#fff"' if span.state in ("已收", "欠收") else ""
            parts.append(_text(left + span_w / 2, bar_y + bar_h / 2 + 4, span.label, extra=ink))
        due = x(span.due) + scale / 2
        parts.append(
            f'<path d="M{due:.1f},{bar_y + bar_h + 2} l-3,5 h6 z" fill="#555">'
            f"<title>{escape(span.label)} 到期日 {span.due}</title></path>"
        )
    parts.append(_text(pad, height - 4, str(start), "start"))
    parts.append(_text(width - pad, height - 4, str(end), "end"))
    if start <= today <= end:
        mark = x(today) + scale / 2
        parts.append(
            f'<line class="vl-today" x1="{mark:.1f}" y1="4" x2="{mark:.1f}" '
            f'y2="{bar_y + bar_h + 2}" stroke="#222" stroke-width="1.5" stroke-dasharray="3,2"/>'
        )
        anchor = "start" if mark < width / 2 else "end"
        shift = 3 if anchor == "start" else -3
        parts.append(_text(mark + shift, 13, f"截至 {today}", anchor))
    parts.append("</svg>")
    return Markup("".join(parts))


# --- the 财务公开's 图示: bars and gauges that carry their numbers ------------------------------
#
# Drawn in a 360-unit-wide box the page scales to its width (`width: 100%` in the page's CSS),
# so a chart reads on a 360 px phone and prints at the size the sheet gives it. Every bar has its
# amount written beside it, so a villager who does not read charts reads the numbers; the numbers
# are `<text class="vl-value">`, inside a `<g class="vl-group" data-label=…>` per group, so a test
# can read them back.

CHART_WIDTH = 360
CHART_FONT = (
    'font-family="Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, '
    'PingFang SC, sans-serif"'
)
SERIES_TONES = ("#3f7fbf", "#9cc3e6", "#c8372d")
LABEL_WIDTH = 112  # the label column of a bar chart
LINE_HEIGHT = 12
BAR_HEIGHT = 8


@dataclass(frozen=True)
class Series:
    """One of the values each group of a bar chart shows (本季, 本年累计; 收入, 支出, 收益)."""

    name: str
    tone: str


@dataclass(frozen=True)
class Group:
    """One row of a bar chart: its label and one value per series, in 分. None is no figure
    (a quarter before the books began), drawn as such, never as 0.00."""

    label: str
    values: tuple[int | None, ...]


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    series: tuple[Series, ...]
    groups: tuple[Group, ...]
    summary: str  # one sentence in Chinese under the chart: what it shows, in numbers
    empty: str = "无"  # what the chart says when it has no group
    missing: str = "账簿尚未开始"  # what a group without any figure says
    # two series where the first is part of the second (本季 within 本年累计): one bar drawn
    # inside the other, both amounts after it, one row per group
    nested: bool = False


@dataclass(frozen=True)
class Gauge:
    """An amount against its limit (招待费 against the year's cap, pay against the resolution
    that approved it); `limit` None where there is none to measure against."""

    label: str
    spent: int  # 分
    limit: int | None  # 分
    spent_name: str = "已支出"
    limit_name: str = "限额"
    mark: int | None = None  # a warning line (预警线), 分
    mark_name: str = "预警线"


@dataclass(frozen=True)
class GaugeChart:
    key: str
    title: str
    gauges: tuple[Gauge, ...]
    summary: str
    empty: str = "无"


Chart = BarChart | GaugeChart


def text_width(text: str, size: float = 10) -> float:
    """How wide `text` is drawn at font `size`, a little generously: a CJK character is one em,
    a digit or Latin letter 0.56 em, the separators of `1,234.56` 0.3 em."""
    widths = {",": 0.3, ".": 0.3, " ": 0.3, "/": 0.4, "-": 0.4}
    return size * sum(1.0 if ord(ch) >= 0x2E80 else widths.get(ch, 0.56) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters (a CJK character is one), broken after a
    "—" or "（" where one falls in the second half of a line, else at the width."""
    lines = []
    while len(text) > width:
        cut = max(text.rfind("—", width // 2, width), text.rfind("（", width // 2, width))
        cut = cut + 1 if cut > 0 and text[cut] == "—" else (cut if cut > 0 else width)
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text] if text else lines or [""]


def _svg_open(chart_class: str, title: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vl-chart {chart_class}" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height:.0f}" preserveAspectRatio="xMinYMin meet" '
        f'{CHART_FONT} font-size="11"><title>{escape(title)}</title>'
    )


def _label(x: float, y: float, text: str, size: int = 11, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">{escape(text)}</text>'


def _value(x: float, y: float, series: str, text: str, anchor: str = "start") -> str:
    return (
        f'<text class="vl-value" data-series="{escape(series)}" x="{x:.1f}" y="{y:.1f}" '
        f'font-size="10" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _empty(chart_class: str, title: str, text: str) -> Markup:
    return Markup(_svg_open(f"{chart_class} vl-empty", title, 24) + _label(0, 16, text) + "</svg>")


def bar_chart(chart: BarChart) -> Markup:
    """Horizontal bars, one row per group and one bar per series in it, each with its amount at
    its end; negative amounts run left of the zero line. A legend of the series on top."""
    if not chart.groups:
        return _empty("vl-bars", chart.title, chart.empty)
    known = [v for g in chart.groups for v in g.values if v is not None]
    low, high = min([0, *known]), max([0, *known])
    span = (high - low) or 1
    left = LABEL_WIDTH + 4
    # the amounts are written right of the bars: leave room for the longest
    right = max(CHART_WIDTH - max(map(text_width, _value_texts(chart)), default=0) - 6, left + 40)
    zero = left + (right - left) * -low / span

    def x(value: int) -> float:
        return zero + (right - left) * value / span

    parts = []
    legend_x = 0.0
    for series in chart.series:
        parts.append(
            f'<rect x="{legend_x:.1f}" y="3" width="10" height="10" fill="{series.tone}"/>'
        )
        parts.append(_label(legend_x + 13, 12, series.name))
        legend_x += 13 + 11 * len(series.name) + 14
    y = 20.0
    step = BAR_HEIGHT + 1  # the amounts' digits (no descenders) fit in a step of 9 at size 10
    for group in chart.groups:
        lines = wrap(group.label, (LABEL_WIDTH - 4) // 11)
        shown = any(v is not None for v in group.values) and not chart.nested
        bars = len(chart.series) if shown else 1
        height = max(bars * step, len(lines) * LINE_HEIGHT) + 3
        parts.append(f'<g class="vl-group" data-label="{escape(group.label)}">')
        for index, line in enumerate(lines):
            parts.append(_label(0, y + 9 + index * LINE_HEIGHT, line))
        if all(v is None for v in group.values):
            parts.append(_label(left, y + 9, chart.missing, 10))
        elif chart.nested:
            parts += _nested_bars(chart, group, y, x, zero)
        else:
            for index, (series, value) in enumerate(zip(chart.series, group.values, strict=True)):
                top = y + index * step
                if value is None:
                    parts.append(_label(zero + 3, top + 8, "—", 10))
                    continue
                parts.append(_bar(group, series, value, top, BAR_HEIGHT, x, zero))
                at = x(value) + 3 if value >= 0 else zero + 3
                parts.append(_value(at, top + 8, series.name, yuan_display(value)))
        parts.append("</g>")
        y += height
    parts.append(
        f'<line x1="{zero:.1f}" y1="20" x2="{zero:.1f}" y2="{y - 4:.1f}" stroke="#777" '
        'stroke-width="0.6"/>'
    )
    return Markup(_svg_open("vl-bars", chart.title, y) + "".join(parts) + "</svg>")


def _value_texts(chart: BarChart) -> list[str]:
    """The amounts as they are written after the bars."""
    if not chart.nested:
        return [yuan_display(v) for g in chart.groups for v in g.values if v is not None]
    return [
        " / ".join("—" if v is None else yuan_display(v) for v in g.values) for g in chart.groups
    ]


def _bar(
    group: Group,
    series: Series,
    value: int,
    top: float,
    height: float,
    x: Callable[[int], float],
    zero: float,
) -> str:
    start, end = sorted((zero, x(value)))
    return (
        f'<rect x="{start:.1f}" y="{top:.1f}" width="{max(end - start, 0.6):.1f}" '
        f'height="{height}" fill="{series.tone}"><title>{escape(group.label)} '
        f"{escape(series.name)}：{yuan_display(value)} 元</title></rect>"
    )


def _nested_bars(
    chart: BarChart, group: Group, y: float, x: Callable[[int], float], zero: float
) -> list[str]:
    """The whole (second series) as a light bar, the part (first) as a dark one inside it, and
    `part / whole` after the longer of the two."""
    (inner, outer), (part, whole) = chart.series, group.values
    parts = []
    if whole is not None:
        parts.append(_bar(group, outer, whole, y, BAR_HEIGHT, x, zero))
    if part is not None:
        parts.append(_bar(group, inner, part, y + 2, BAR_HEIGHT - 4, x, zero))
    ends = [x(v) for v in (part, whole) if v is not None]
    at = max([*ends, zero]) + 3

    def amount(series: Series, value: int | None) -> str:
        if value is None:
            return "—"
        return (
            f'<tspan class="vl-value" data-series="{escape(series.name)}">'
            f"{yuan_display(value)}</tspan>"
        )

    parts.append(
        f'<text x="{at:.1f}" y="{y + 8:.1f}" font-size="10">'
        f"{amount(inner, part)} / {amount(outer, whole)}</text>"
    )
    return parts


def share_text(spent: int, limit: int | None) -> str:
    """`42.0%` of the limit, or empty where there is no limit to measure against."""
    return f"{spent * 100 / limit:.1f}%" if limit else ""


def gauge_chart(chart: GaugeChart) -> Markup:
    """One bar per gauge across the box: the limit as a grey track, what was spent over it (red
    once over), the warning line as a tick; the label above, the amounts and share below."""
    if not chart.gauges:
        return _empty("vl-gauges", chart.title, chart.empty)
    width = CHART_WIDTH - 2
    parts = []
    y = 2.0
    for gauge in chart.gauges:
        lines = wrap(gauge.label, width // 11)
        parts.append(f'<g class="vl-group" data-label="{escape(gauge.label)}">')
        for index, line in enumerate(lines):
            parts.append(_label(0, y + 10 + index * LINE_HEIGHT, line))
        top = y + len(lines) * LINE_HEIGHT + 2
        most = max(gauge.spent, gauge.limit or 0, 1)
        over = gauge.limit is not None and gauge.spent > gauge.limit
        if gauge.limit is not None:
            parts.append(
                f'<rect x="1" y="{top:.1f}" width="{width * gauge.limit / most:.1f}" '
                f'height="{BAR_HEIGHT + 2}" fill="{TONES["plan"]}"/>'
            )
        tone = TONES["over"] if over else TONES["ok"]
        parts.append(
            f'<rect x="1" y="{top + 2:.1f}" width="{max(width * max(gauge.spent, 0) / most, 0.6):.1f}" '
            f'height="{BAR_HEIGHT - 2}" fill="{tone}"><title>{escape(gauge.label)}</title></rect>'
        )
        if gauge.mark is not None and gauge.limit is not None:
            tick = 1 + width * gauge.mark / most
            parts.append(
                f'<line x1="{tick:.1f}" y1="{top - 2:.1f}" x2="{tick:.1f}" '
                f'y2="{top + BAR_HEIGHT + 4:.1f}" stroke="{TONES["warn"]}" stroke-width="1.5">'
                f"<title>{escape(gauge.mark_name)} {yuan_display(gauge.mark)} 元</title></line>"
            )
        parts.append(_gauge_numbers(gauge, top + BAR_HEIGHT + 14))
        parts.append("</g>")
        y = top + BAR_HEIGHT + 22
    return Markup(_svg_open("vl-gauges", chart.title, y) + "".join(parts) + "</svg>")


def _gauge_numbers(gauge: Gauge, y: float) -> str:
    """`已支出 1,260.00 元 / 年度限额 3,000.00 元（42.0%）` as one line of text whose amounts
    are `vl-value` spans."""

    def value(series: str, amount: int) -> str:
        return (
            f'<tspan class="vl-value" data-series="{escape(series)}">{yuan_display(amount)}</tspan>'
        )

    text = f"{escape(gauge.spent_name)} {value(gauge.spent_name, gauge.spent)} 元"
    if gauge.limit is not None:
        text += f" / {escape(gauge.limit_name)} {value(gauge.limit_name, gauge.limit)} 元"
        text += f"（{share_text(gauge.spent, gauge.limit)}）"
    return f'<text x="1" y="{y:.1f}" font-size="10">{text}</text>'


def svg_height(svg: str) -> float:
    """The height of a chart drawn here, in the units of its 360-wide viewBox."""
    found = re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg)
    return float(found.group(1)) if found else 0.0


def draw(chart: Chart) -> Markup:
    """Any chart of a report, as inline SVG."""
    return bar_chart(chart) if isinstance(chart, BarChart) else gauge_chart(chart)
