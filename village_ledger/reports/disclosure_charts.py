"""The 财务公开's 图示: the pictures of the sheet, as numbers ready to draw.

Every number here is one the sheet prints elsewhere or one `model.figures` holds for a rule:
the category charts are the rows of the 收支情况公开表 itself; the trend is the same
`income_records` totals the table's 本季 and 上年同期 columns come from, per quarter; the caps are
the entertainment year VL401 judges and the resolutions' spending VL105 judges. Nothing is summed
again here, so a chart and a table can never show two numbers for one thing.
`village_ledger.reports.charts` draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from village_ledger.model import LedgerModel, Period, Quarter
from village_ledger.model.cadre_pay import CADRE
from village_ledger.model.receptions import EntertainmentYear
from village_ledger.reports.account_tables import income_records
from village_ledger.reports.charts import BarChart, Chart, Gauge, GaugeChart, Group, Series
from village_ledger.reports.statements import cents, yuan_display
from village_ledger.reports.tables import Table

QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")
BY_CATEGORY = (Series("本季", "#3f7fbf"), Series("本年累计", "#9cc3e6"))
TREND = (Series("收入", "#3f7fbf"), Series("支出", "#e0a030"), Series("收益", "#2e8b57"))


def disclosure_charts(
    model: LedgerModel, period: Period, income: Table, entertainment: EntertainmentYear
) -> tuple[Chart, ...]:
    """The sheet's charts for `period` (a quarter): where the money came from and went, the
    trend by quarter, and 招待费 and 干部报酬 against what limits them."""
    return (
        category_chart(income, "收入"),
        category_chart(income, "支出"),
        trend_chart(model, Quarter.of(period.last)),
        caps_chart(model, period, entertainment),
    )


# --- by category: the 收支情况 table's own rows ------------------------------------------------


def category_chart(income: Table, kind: str) -> BarChart:
    """The income (or spending) accounts of the 收支情况 table, this quarter and this year, the
    largest of the year first, labelled as the table names them."""
    rows = [r for r in income.records() if r["kind"] == kind]
    rows.sort(key=lambda r: (-int(r["ytd"] or 0), -int(r["quarter"] or 0)))
    groups = tuple(Group(str(r["name"]), (int(r["quarter"]), int(r["ytd"]))) for r in rows)
    totals = {t["kind"]: t for t in income.total_records()}[f"{kind}合计"]
    title = "收入从哪里来" if kind == "收入" else "钱花到哪里去"
    summary = "；".join(
        (
            _largest(rows, "quarter", f"本季{kind}", int(totals["quarter"])),
            _largest(rows, "ytd", f"本年累计{kind}", int(totals["ytd"])),
        )
    )
    return BarChart(
        "income_by_category" if kind == "收入" else "spending_by_category",
        f"{title}（按科目，本季与本年累计）",
        BY_CATEGORY,
        groups,
        summary + "。",
        empty=f"本年没有{kind}（无）",
        nested=True,
    )


def _largest(rows: list[dict[str, Any]], key: str, what: str, total: int) -> str:
    if not total:
        return f"{what}：无"
    top = max(rows, key=lambda r: int(r[key] or 0))
    return (
        f"{what} {yuan_display(total)} 元，最多的是：{top['name']} {yuan_display(int(top[key]))} 元"
    )


# --- the trend by quarter -------------------------------------------------------------------


def trend_quarters(quarter: Quarter) -> list[Quarter]:
    """Every quarter of the year before `quarter`'s and of its own year up to it."""
    first = Quarter(quarter.year - 1, 1)
    return Period(first.first_day, quarter.last_day, "").quarters()


def trend_chart(model: LedgerModel, quarter: Quarter) -> BarChart:
    """收入, 支出 and 收益 of every quarter of last year and this year up to `quarter`, as the
    收支情况 table totals them; a quarter before the books began has no figure (not 0.00)."""
    quarters = trend_quarters(quarter)
    windows = {str(q): Period.quarter(q) for q in quarters}
    _, totals = income_records(model, windows)
    by_kind = {t["kind"]: t for t in totals}
    start = model.figures.books_start
    groups = []
    for q in quarters:
        values = tuple(int(by_kind[k][str(q)]) for k in ("收入合计", "支出合计", "收益"))
        if _before_books(q, start, values):
            groups.append(Group(quarter_name(q), (None, None, None)))
        else:
            groups.append(Group(quarter_name(q), values))
    now, earlier = groups[-1].values, groups[-5].values
    summary = (
        f"本季收入 {yuan_display(now[0] or 0)} 元、支出 {yuan_display(now[1] or 0)} 元、"
        f"收益 {yuan_display(now[2] or 0)} 元"
    )
    if earlier[2] is None:
        summary += "；上年同期账簿尚未开始，无可比数。"
    else:
        summary += f"；上年同期收益 {yuan_display(earlier[2])} 元。"
    return BarChart(
        "trend",
        f"各季度收支（{quarter.year - 1} 年至 {quarter.year} 年{QUARTER_NAMES[quarter.number - 1]}）",
        TREND,
        tuple(groups),
        summary,
    )


def quarter_name(quarter: Quarter) -> str:
    return f"{quarter.year}年{QUARTER_NAMES[quarter.number - 1]}"


def _before_books(quarter: Quarter, start: Any, values: Iterable[int]) -> bool:
    """A quarter the books do not cover: it ended before their first day, or they began within
    it and it holds no income or spending (only the opening balances)."""
    if start is None or quarter.last_day < start:
        return True
    return quarter.first_day < start and not any(values)


# --- 招待费 and 干部报酬 against what limits them ---------------------------------------------


def caps_chart(model: LedgerModel, period: Period, year: EntertainmentYear) -> GaugeChart:
    """This year's 招待费 against the cap (and warning line) in force, as VL401 and VL405 count
    it; and the spending under each resolution that approved cadre pay paid this year, against
    its amount, as VL105 counts it; cadre pay paid under no resolution, alone."""
    entertainment = Gauge(
        f"{period.last.year} 年招待费",
        cents(year.total),
        cents(year.cap),
        spent_name="本年累计",
        limit_name="年度限额",
        mark=cents(year.mark),
    )
    gauges = [entertainment, *pay_gauges(model, period)]
    parts = [_gauge_sentence(entertainment)]
    parts += [_gauge_sentence(g) for g in gauges[1:]]
    return GaugeChart(
        "caps",
        "招待费、干部报酬与批准限额",
        tuple(gauges),
        "；".join(parts) + "。",
    )


def pay_gauges(model: LedgerModel, period: Period) -> list[Gauge]:
    """A gauge per resolution cited by a cadre-pay payment of the year to `period`'s end (its
    spending to that day against its amount), and one for cadre pay charged this year without
    any such resolution cited."""
    year = period.year_to_date()
    resolutions = model.figures.resolutions
    cited: dict[str, None] = {}
    for use in resolutions.uses:
        if year.contains(use.day) and any(i.category == CADRE for i, _ in use.payment.targets):
            cited[use.meeting] = None
    gauges = []
    for meeting_id in cited:
        meeting = model.meetings.get(meeting_id)
        spent = cents(resolutions.spent(meeting_id, period.last))
        if meeting is None:
            label = f"干部报酬（决议 {meeting_id}，账中没有这项决议）"
            gauges.append(Gauge(label, spent, None, spent_name="按决议已支出"))
            continue
        label = f"干部报酬（{meeting.subject}，{meeting.body} {meeting.day}）"
        gauges.append(
            Gauge(
                label,
                spent,
                cents(meeting.amount),
                spent_name="按决议已支出",
                limit_name="批准金额",
            )
        )
    if not gauges:
        charged = sum((p.amount for p in model.figures.cadre_pay(year)), Decimal(0))
        if charged:
            label = f"{period.last.year} 年干部报酬（未引用批准报酬标准的会议决议）"
            gauges.append(Gauge(label, cents(charged), None, spent_name="本年累计"))
    return gauges


def _gauge_sentence(gauge: Gauge) -> str:
    text = f"{gauge.label}{gauge.spent_name} {yuan_display(gauge.spent)} 元"
    if gauge.limit is None:
        return text
    text += f"，{gauge.limit_name} {yuan_display(gauge.limit)} 元"
    if gauge.spent > gauge.limit:
        return text + f"，超出 {yuan_display(gauge.spent - gauge.limit)} 元"
    return text + f"，尚余 {yuan_display(gauge.limit - gauge.spent)} 元"
