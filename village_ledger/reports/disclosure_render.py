"""The quarterly disclosure (财务公开) laid out: the A4 sheet or the A3 board (HTML, PDF), the
workbook (Excel), the document (JSON) and the 收支明细 (CSV); registered on
`Disclosure.renderers` and reached through `render.render`.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from village_ledger.reports.charts import CHART_WIDTH, BarChart, Chart, draw, svg_height
from village_ledger.reports.disclosure import Disclosure, MoneySummary
from village_ledger.reports.layout import (
    TableView,
    cell_csv,
    environment,
    json_bytes,
    qr_data_uri,
    table_json,
    table_view,
    weasy,
)
from village_ledger.reports.masking import Public
from village_ledger.reports.statements import yuan_display, yuan_text
from village_ledger.reports.tables import Table
from village_ledger.reports.xlsx import (
    AMOUNT_FORMAT,
    FONT,
    sheet_title,
    workbook_bytes,
    write_table,
)
from village_ledger.verification import qr_content


def money_rows(money: MoneySummary) -> list[list[str]]:
    y = yuan_display
    return [
        ["合计", y(money.start), y(money.money_in), y(money.money_out), y(money.end)],
        ["其中：库存现金", y(money.cash_start), "", "", y(money.cash_end)],
        ["　　　银行存款", y(money.bank_start), "", "", y(money.bank_end)],
    ]


def seal_text(report: Disclosure) -> str:
    """What the QR code carries: the quarter's verification page on the township's public
    server, or, where it has none, the digest as text for `village-ledger verify`."""
    signature = report.signature
    digest = signature.seal_digest or ""
    return qr_content(signature.public_url, report.village, report.quarter, digest)


BOARD_ORDER = (
    "income",
    "reception",
    "cadre",
    "cadre_pay",
    "travel",
    "meetings",
    "process",
    "funds",
    "leasing",
    "checks",
    "debts",
    "families",
    "findings",
    "rectified",
    # kept whole (never split between columns), so it comes last: the blocks before it fill
    # the columns, and it starts the next column where the one it would end does not hold it
    "balance",
    "detail",
)
# the A4 sheet (and the dashboard) lists the tables in the order of the 财务公开
A4_ORDER = (
    "income",
    "detail",
    "reception",
    "cadre",
    "cadre_pay",
    "travel",
    "meetings",
    "process",
    "funds",
    "leasing",
    "balance",
    "checks",
    "debts",
    "families",
    "findings",
    "rectified",
)
# printed across the whole foot of the board: too many columns for a third of the sheet
WIDE = frozenset({"detail", "process"})
# tables that move to the A4 continuation pages, in this order, while the board overflows
MOVABLE = (
    "detail",
    "process",
    "findings",
    "rectified",
    "debts",
    "leasing",
    "checks",
    "cadre",
    "cadre_pay",
    "travel",
    "meetings",
    "balance",
)
# lines of 8pt type in one column of the board, below its heading
BOARD_LINES = 58
FLOW_COLUMNS = 3


# the board's charts: four across the sheet's 402 mm, 7 mm apart, each 360 units wide
BOARD_CHART_MM = (402 - 3 * 7) / 4
LINE_MM = 8 * 1.35 * 25.4 / 72  # a line of 8pt type
CHAR_MM = 8 * 25.4 / 72  # a CJK character of the 8pt summary


def band_lines(report: Disclosure) -> float:
    """How many lines of the board's columns the 图示 across its top takes: its heading, and
    the tallest chart with its title and summary."""
    if not report.charts:
        return 0.0
    tallest = max(
        svg_height(draw(c)) * BOARD_CHART_MM / CHART_WIDTH / LINE_MM
        + 1
        + math.ceil(len(c.summary) * CHAR_MM / BOARD_CHART_MM)
        for c in report.charts
    )
    return tallest + 2


@dataclass
class Layout:
    main: list[TableView]
    continued: list[TableView]
    band: float = 0.0  # lines across every column the charts take (the board's)

    def estimate(self) -> float:
        flow = sum(v.lines for v in self.main if v.key not in WIDE) + 14  # money, signature
        wide = sum(v.lines for v in self.main if v.key in WIDE)
        return flow / FLOW_COLUMNS + wide + self.band

    def move(self) -> bool:
        for key in MOVABLE:
            view = next((v for v in self.main if v.key == key), None)
            if view is not None:
                self.main.remove(view)
                self.continued.append(view)
                return True
        return False


def first_layout(report: Disclosure, paper: str) -> Layout:
    views = {
        key: table_view(table, blank_zero=key == "detail") for key, table in report.tables.items()
    }
    if paper == "a4":
        return Layout([views[k] for k in A4_ORDER if k in views], [])
    layout = Layout([views[k] for k in BOARD_ORDER if k in views], [], band_lines(report))
    while layout.estimate() > BOARD_LINES and layout.move():
        pass
    return layout


def _page_html(report: Disclosure, paper: str, layout: Layout) -> str:
    sealed = report.signature.seal_digest is not None
    ytd, cap = yuan_display(report.entertainment_ytd), yuan_display(report.entertainment_cap)
    return (
        environment()
        .get_template("disclosure.html.j2")
        .render(
            report=report,
            paper=paper,
            money=money_rows(report.money),
            tables=layout.main,
            continued=layout.continued,
            wide_keys=WIDE if paper == "a3" else frozenset(),
            capitals=report.capitals,
            qr=qr_data_uri(seal_text(report)) if sealed else None,
            entertainment=(ytd, cap),
            charts=[(chart, draw(chart)) for chart in report.charts],
        )
    )


def _laid_out(report: Disclosure, paper: str) -> str:
    """The page's HTML; the A3 board is fitted to one sheet first.

    The board alone is rendered, and while it runs onto a second A3 page the next movable table
    goes to the A4 continuation pages.
    """
    layout = first_layout(report, paper)
    if paper == "a3":
        while True:
            board = _page_html(report, paper, Layout(layout.main, [], layout.band))
            if len(weasy(board).render().pages) <= 1 or not layout.move():
                break
    return _page_html(report, paper, layout)


@Disclosure.renderers.register("html")
def disclosure_html(public: Public[Disclosure], paper: str = "a4") -> bytes:
    return _laid_out(public.report, paper).encode("utf-8")


@Disclosure.renderers.register("pdf")
def disclosure_pdf(public: Public[Disclosure], paper: str = "a4") -> bytes:
    return bytes(weasy(_laid_out(public.report, paper)).write_pdf())


@Disclosure.renderers.register("json")
def disclosure_json(public: Public[Disclosure], paper: str = "a4") -> bytes:
    report = public.report
    money = report.money
    document = {
        "village": report.village,
        "title": report.title,
        "period": report.period,
        "label": report.label,
        "start": report.quarter.first_day.isoformat(),
        "end": report.quarter.last_day.isoformat(),
        "published": report.published.isoformat(),
        "money": {
            "cash_start": yuan_text(money.cash_start),
            "bank_start": yuan_text(money.bank_start),
            "start": yuan_text(money.start),
            "in": yuan_text(money.money_in),
            "out": yuan_text(money.money_out),
            "cash_end": yuan_text(money.cash_end),
            "bank_end": yuan_text(money.bank_end),
            "end": yuan_text(money.end),
        },
        "entertainment": {
            "ytd": yuan_text(report.entertainment_ytd),
            "cap": yuan_text(report.entertainment_cap),
        },
        "tables": [table_json(t) for t in report.tables.values()],
        "charts": [chart_json(c) for c in report.charts],
        "capitals": report.capitals,
        "signature": {
            "reviewers": report.signature.reviewers,
            "published": report.published.isoformat(),
            "phone": report.signature.phone,
            "seal": report.signature.seal_digest,
            "sealed_on": report.signature.seal_day.isoformat()
            if report.signature.seal_day
            else None,
        },
    }
    return json_bytes(document)


# the 过程公开 columns the CSV adds to a transaction that has a chain, under these titles
CHAIN_COLUMNS = {
    "handler": "经手人（当日职务）",
    "reviewer": "审核人（当日职务）",
    "approver": "审批人（当日职务）",
    "resolution": "所依据的决议",
    "approved": "决议批准金额",
    "through": "至本笔累计支出",
    "spent": "截至季末累计支出",
}


def chart_json(chart: Chart) -> dict[str, Any]:
    """A chart's series as the JSON carries them: the numbers the picture shows, as text."""

    def amount(value: int | None) -> str | None:
        return None if value is None else yuan_text(value)

    document: dict[str, Any] = {"key": chart.key, "title": chart.title, "summary": chart.summary}
    if isinstance(chart, BarChart):
        document["series"] = [s.name for s in chart.series]
        document["groups"] = [
            {"label": g.label, "values": [amount(v) for v in g.values]} for g in chart.groups
        ]
    else:
        document["gauges"] = [
            {
                "label": g.label,
                g.spent_name: amount(g.spent),
                **({g.limit_name: amount(g.limit)} if g.limit is not None else {}),
                **({g.mark_name: amount(g.mark)} if g.mark is not None else {}),
            }
            for g in chart.gauges
        ]
    return document


@Disclosure.renderers.register("csv")
def disclosure_csv(public: Public[Disclosure], paper: str = "a4") -> bytes:
    """The 收支明细 as CSV: one line per transaction, amounts as plain decimals; a transaction
    of the 过程公开 also carries its chain (signers with their roles, the resolution)."""
    table = public.report.tables["detail"]
    process = public.report.tables.get("process")
    chained = chains_by_voucher(process) if process is not None else {}
    extra = [c for c in process.columns if c.key in CHAIN_COLUMNS] if process is not None else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.title for c in table.columns] + [CHAIN_COLUMNS[c.key] for c in extra])
    for record in table.records():
        chain = chained.get(str(record.get("voucher") or ""), {})
        writer.writerow(
            [cell_csv(c, record[c.key]) for c in table.columns]
            + [cell_csv(c, chain.get(c.key)) for c in extra]
        )
    for record in table.total_records():
        writer.writerow([cell_csv(c, record[c.key]) for c in table.columns] + [""] * len(extra))
    return out.getvalue().encode("utf-8")


def chains_by_voucher(process: Table) -> dict[str, dict[str, Any]]:
    """The 过程公开 rows by voucher number (a number the books use twice joins neither)."""
    found: dict[str, dict[str, Any]] = {}
    twice: set[str] = set()
    for record in process.records():
        voucher = str(record.get("voucher") or "")
        if voucher in found:
            twice.add(voucher)
        found[voucher] = record
    return {k: v for k, v in found.items() if k and k not in twice}


@Disclosure.renderers.register("xlsx")
def disclosure_xlsx(public: Public[Disclosure], paper: str = "a4") -> bytes:
    """A summary sheet (money, 大写, signature), then one sheet per table."""
    report = public.report
    book = Workbook()
    summary = book.active
    summary.title = "资金概况"
    heading = f"{report.title} {report.label}财务公开"
    period = f"公开期间：{report.quarter.first_day} 至 {report.quarter.last_day}"
    money = report.money
    rows: list[list[Any]] = [
        [heading],
        [period],
        ["项目", "期初余额", "本季收款", "本季付款", "期末余额"],
        ["合计", money.start, money.money_in, money.money_out, money.end],
        ["其中：库存现金", money.cash_start, None, None, money.cash_end],
        ["　　　银行存款", money.bank_start, None, None, money.bank_end],
    ]
    for row in rows:
        summary.append([Decimal(v) / 100 if isinstance(v, int) else v for v in row])
    summary["A1"].font = Font(name=FONT, bold=True, size=14)
    for row in summary.iter_rows(min_row=4, max_row=6, min_col=2, max_col=5):
        for cell in row:
            cell.number_format = AMOUNT_FORMAT
    summary.append([])
    for label, text in report.capitals.items():
        summary.append([f"{label}（大写）", text])
    summary.append([])
    signature = report.signature
    summary.append(["村务监督委员会审核人", "、".join(signature.reviewers)])
    summary.append(["公开日期", signature.published])
    summary.append(["监督电话", signature.phone])
    summary.append(["封存摘要", signature.seal_digest or "本季度尚未封存"])
    summary.append(
        [
            "本年招待费",
            f"{yuan_display(report.entertainment_ytd)} / 限额 {yuan_display(report.entertainment_cap)}",
        ]
    )
    summary.column_dimensions["A"].width = 24
    for letter in "BCDE":
        summary.column_dimensions[letter].width = 18
    taken = {summary.title}
    for table in report.tables.values():
        sheet = book.create_sheet(sheet_title(table.title, taken))
        write_table(sheet, table, [f"{report.title} {report.label} {table.title}", period])
    return workbook_bytes(book)
