"""Renderers: the public (masked) report laid out as HTML, PDF, Excel, JSON or CSV.

`render(report, fmt)` is the only way out of the report model: it masks first (`publish`),
then hands the `Public` copy to the renderer of the format. Every renderer takes a `Public`
and refuses anything else. The numbers are never recomputed here, only formatted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import segno

from village_ledger.reports.disclosure import Disclosure, MoneySummary
from village_ledger.reports.masking import Public, publish, require_public
from village_ledger.reports.statements import yuan_display, yuan_text
from village_ledger.reports.tables import Column, Table

DISCLOSURE_FORMATS = ("html", "pdf", "xlsx", "json", "csv")
PAPERS = ("a4", "a3")


def render(report: Any, fmt: str, paper: str = "a4") -> bytes:
    """Mask the report, then lay it out; the one path from a report model to a public output."""
    public = publish(report)
    if isinstance(report, Disclosure):
        renderer = DISCLOSURE_RENDERERS[fmt]
    else:
        from village_ledger.reports import handover, overview

        module = handover if isinstance(report, handover.Handover) else overview
        renderer = module.RENDERERS[fmt]
    return renderer(public, paper)


# --- cells ------------------------------------------------------------------------------


def cell_text(column: Column, value: Any, blank_zero: bool = False) -> str:
    if value is None:
        return ""
    if column.kind == "amount":
        return "" if blank_zero and value == 0 else yuan_display(int(value))
    if column.kind == "int":
        return str(int(value))
    if column.kind == "date" and isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_json(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "amount":
        return yuan_text(int(value))
    if column.kind == "int":
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_number(column: Column, value: Any) -> Any:
    """The value an Excel cell holds: amounts as exact decimals of 元."""
    if value is None:
        return None
    if column.kind == "amount":
        return Decimal(int(value)) / 100
    if column.kind == "int":
        return int(value)
    return value if isinstance(value, date) else str(value)


# --- the view both HTML and PDF lay out ------------------------------------------------


@dataclass
class TableView:
    key: str
    title: str
    headers: list[tuple[str, str]]  # (title, css class)
    widths: list[float]  # percent of the table's width, per column
    rows: list[list[tuple[str, str]]]  # (text, css class) per cell
    row_classes: list[str]
    totals: list[list[tuple[str, str]]]
    note: str
    empty: str

    @property
    def lines(self) -> int:
        return len(self.rows) + len(self.totals) + 3 + (1 if self.note else 0)


def table_view(table: Table, blank_zero: bool = False) -> TableView:
    def css(column: Column) -> str:
        kind = f"num {column.kind}" if column.is_number else column.kind
        return f"{kind} c-{column.key}"

    rows = []
    classes = []
    for index, record in enumerate(table.records()):
        role = table.role(index)
        classes.append(role)
        zero_blank = blank_zero or role == "heading"
        rows.append(
            [(cell_text(c, record[c.key], zero_blank), css(c)) for c in table.columns],
        )
    totals = [
        [(cell_text(c, record[c.key]), css(c)) for c in table.columns]
        for record in table.total_records()
    ]
    return TableView(
        key=table.key,
        title=table.title,
        headers=[(c.title, css(c)) for c in table.columns],
        widths=[
            round(100 * c.weight / sum(x.weight for x in table.columns), 2) for c in table.columns
        ],
        rows=rows,
        row_classes=classes,
        totals=totals,
        note=table.note,
        empty=table.empty,
    )


def money_rows(money: MoneySummary) -> list[list[str]]:
    y = yuan_display
    return [
        ["合计", y(money.start), y(money.money_in), y(money.money_out), y(money.end)],
        ["其中：库存现金", y(money.cash_start), "", "", y(money.cash_end)],
        ["　　　银行存款", y(money.bank_start), "", "", y(money.bank_end)],
    ]


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def seal_text(report: Disclosure) -> str:
    return f"{report.village} {report.period} {report.signature.seal_digest}"


BOARD_ORDER = (
    "income",
    "reception",
    "cadre",
    "travel",
    "meetings",
    "funds",
    "balance",
    "debts",
    "families",
    "findings",
    "detail",
)
A4_ORDER = ("income", "detail", *(k for k in BOARD_ORDER if k not in ("income", "detail")))
# printed across the whole foot of the board: too many columns for a third of the sheet
WIDE = frozenset({"detail"})
# tables that move to the A4 continuation pages, in this order, while the board overflows
MOVABLE = ("detail", "findings", "debts", "cadre", "travel", "meetings", "balance")
# lines of 8pt type in one column of the board, below its heading
BOARD_LINES = 58
FLOW_COLUMNS = 3


@dataclass
class Layout:
    main: list[TableView]
    continued: list[TableView]

    def estimate(self) -> float:
        flow = sum(v.lines for v in self.main if v.key not in WIDE) + 14  # money, signature
        return flow / FLOW_COLUMNS + sum(v.lines for v in self.main if v.key in WIDE)

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
    layout = Layout([views[k] for k in BOARD_ORDER if k in views], [])
    while layout.estimate() > BOARD_LINES and layout.move():
        pass
    return layout


@cache
def environment() -> jinja2.Environment:
    folder = resources.files("village_ledger.templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
            board = _page_html(report, paper, Layout(layout.main, []))
            if len(_weasy(board).render().pages) <= 1 or not layout.move():
                break
    return _page_html(report, paper, layout)


def _weasy(html: str) -> Any:
    import weasyprint  # imported here: it loads Pango, which only paged output needs

    return weasyprint.HTML(string=html)


def disclosure_html(public: Public[Disclosure], paper: str = "a4") -> bytes:
    require_public(public, disclosure_html)
    return _laid_out(public.report, paper).encode("utf-8")


def disclosure_pdf(public: Public[Disclosure], paper: str = "a4") -> bytes:
    require_public(public, disclosure_pdf)
    return _weasy(_laid_out(public.report, paper)).write_pdf()


def html_to_pdf(html: bytes) -> bytes:
    """A PDF of any report page (used by the handover audit too)."""
    return _weasy(html.decode("utf-8")).write_pdf()


# --- JSON, CSV, Excel -------------------------------------------------------------------


def json_bytes(document: dict[str, Any]) -> bytes:
    """A report's JSON document as written: UTF-8, Chinese unescaped, indented, one last newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def table_json(table: Table) -> dict[str, Any]:
    def row(record: dict[str, Any]) -> dict[str, Any]:
        return {c.key: cell_json(c, record[c.key]) for c in table.columns}

    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in table.columns],
        "rows": [row(r) for r in table.records()],
        "totals": [row(r) for r in table.total_records()],
        "note": table.note,
    }


def disclosure_json(public: Public[Disclosure], paper: str = "a4") -> bytes:
    require_public(public, disclosure_json)
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


def disclosure_csv(public: Public[Disclosure], paper: str = "a4") -> bytes:
    """The 收支明细 as CSV: one line per transaction, amounts as plain decimals."""
    require_public(public, disclosure_csv)
    table = public.report.tables["detail"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.title for c in table.columns])
    for record in [*table.records(), *table.total_records()]:
        writer.writerow([_csv_cell(c, record[c.key]) for c in table.columns])
    return out.getvalue().encode("utf-8")


def _csv_cell(column: Column, value: Any) -> str:
    plain = cell_json(column, value)
    return "" if plain is None else str(plain)


def disclosure_xlsx(public: Public[Disclosure], paper: str = "a4") -> bytes:
    require_public(public, disclosure_xlsx)
    from village_ledger.reports import xlsx

    return xlsx.disclosure_workbook(public.report)


DISCLOSURE_RENDERERS: dict[str, Callable[[Public[Disclosure], str], bytes]] = {
    "html": disclosure_html,
    "pdf": disclosure_pdf,
    "xlsx": disclosure_xlsx,
    "json": disclosure_json,
    "csv": disclosure_csv,
}
