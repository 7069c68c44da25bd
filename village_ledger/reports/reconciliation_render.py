"""The 银行存款余额调节表 laid out: HTML, PDF, Excel and JSON, registered on
`BankReconciliation.renderers`."""

from __future__ import annotations

from openpyxl import Workbook

from village_ledger.reports.layout import (
    environment,
    html_to_pdf,
    json_bytes,
    table_json,
    table_view,
)
from village_ledger.reports.masking import Public
from village_ledger.reports.reconciliation import BankReconciliation, account_name
from village_ledger.reports.xlsx import sheet_title, workbook_bytes, write_table


def state(report: BankReconciliation) -> str:
    if report.agrees:
        return "调节后余额相符"
    return f"调节后余额不符，相差 {report.difference / 100:,.2f} 元，应查明原因"


def heading(report: BankReconciliation) -> list[str]:
    return [
        f"{report.title} 银行存款余额调节表",
        f"开户银行及账户：{account_name(report.account)}　截止日期：{report.day}　金额单位：元",
        state(report),
    ]


@BankReconciliation.renderers.register("json")
def reconciliation_json(public: Public[BankReconciliation], paper: str = "a4") -> bytes:
    report = public.report
    return json_bytes(
        {
            "village": report.village,
            "title": report.title,
            "account": report.account,
            "date": report.day.isoformat(),
            "statement": report.source,
            "agrees": report.agrees,
            "difference": f"{report.difference / 100:.2f}",
            "tables": [table_json(t) for t in report.tables.values()],
        }
    )


@BankReconciliation.renderers.register("html")
def reconciliation_html(public: Public[BankReconciliation], paper: str = "a4") -> bytes:
    return _html(public.report)


def _html(report: BankReconciliation) -> bytes:
    template = environment().get_template("reconciliation.html.j2")
    views = [table_view(t) for t in report.tables.values()]
    return template.render(
        report=report, views=views, account=account_name(report.account), state=state(report)
    ).encode("utf-8")


@BankReconciliation.renderers.register("pdf")
def reconciliation_pdf(public: Public[BankReconciliation], paper: str = "a4") -> bytes:
    return html_to_pdf(_html(public.report))


@BankReconciliation.renderers.register("xlsx")
def reconciliation_xlsx(public: Public[BankReconciliation], paper: str = "a4") -> bytes:
    report = public.report
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in report.tables.values():
        sheet = book.create_sheet(sheet_title(table.title, taken))
        write_table(sheet, table, [*heading(report), table.title])
    return workbook_bytes(book)
