"""Charts as inline SVG, drawn on the server, for the printed reports and the dashboard alike.

A 财务公开 sheet is read offline, printed through WeasyPrint and opened on a phone; a village's
dashboard may be read on a township intranet with no outside network. So a chart is markup in the
page: no script, no font or image from anywhere else. Amounts are integer 分, labelled as printed
(`1,234.56`). The drawing functions only lay out numbers they are given; every number comes from
the report model (and through it from `model.figures`), never from here.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class Progress:
    label: str
    spent: int  # 分
    planned: int  # 分


def progress_chart(title: str, rows: Sequence[Progress]) -> Markup:
    """One bar per item: the planned amount in grey, what was spent over it, red when over."""
    left, right, row_h, top = 220, 170, 30, 10
    plot_w = 420
    width = left + plot_w + right
    height = top + row_h * max(len(rows), 1) + 10
    most = max([max(r.spent, r.planned) for r in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vl-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        y = top + index * row_h
        planned_w = plot_w * max(row.planned, 0) / most
        spent_w = plot_w * max(row.spent, 0) / most
        tone = TONES["over"] if row.spent > row.planned else TONES["ok"]
        parts.append(_text(left - 8, y + 16, row.label, "end"))
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{planned_w:.1f}" height="18" '
            f'fill="{TONES["plan"]}"/>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 8}" width="{spent_w:.1f}" height="10" fill="{tone}">'
            f"<title>{escape(row.label)}：已支出 {yuan_display(row.spent)} 元，"
            f"批准 {yuan_display(row.planned)} 元</title></rect>"
        )
        share = f"{row.spent * 100 // row.planned}%" if row.planned > 0 else "—"
        text = f"{yuan_display(row.spent)} / {yuan_display(row.planned)}（{share}）"
        parts.append(_text(left + plot_w + 6, y + 16, text, "start"))
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
