"""The 整改台账 laid out: HTML, PDF, Excel and JSON, registered on `Rectification.renderers`."""

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
from village_ledger.reports.rectification import Rectification
from village_ledger.reports.xlsx import sheet_title, workbook_bytes, write_table


def heading(report: Rectification) -> list[str]:
    return [report.title, f"期间：{report.since} 至 {report.day}"]


@Rectification.renderers.register("json")
def rectification_json(public: Public[Rectification], paper: str = "a4") -> bytes:
    report = public.report
    return json_bytes(
        {
            "village": report.village,
            "title": report.title,
            "since": report.since.isoformat(),
            "date": report.day.isoformat(),
            "tables": [table_json(t) for t in report.tables],
        }
    )


@Rectification.renderers.register("html")
def rectification_html(public: Public[Rectification], paper: str = "a4") -> bytes:
    return _html(public.report)


def _html(report: Rectification) -> bytes:
    template = environment().get_template("rectification.html.j2")
    views = [table_view(t) for t in report.tables]
    return template.render(report=report, views=views).encode("utf-8")


@Rectification.renderers.register("pdf")
def rectification_pdf(public: Public[Rectification], paper: str = "a4") -> bytes:
    return html_to_pdf(_html(public.report))


@Rectification.renderers.register("xlsx")
def rectification_xlsx(public: Public[Rectification], paper: str = "a4") -> bytes:
    report = public.report
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in report.tables:
        sheet = book.create_sheet(sheet_title(table.title, taken))
        write_table(sheet, table, [*heading(report), table.title])
    return workbook_bytes(book)
