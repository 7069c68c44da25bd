"""The township overview laid out: HTML, Excel and JSON, registered on `Overview.renderers`."""

from __future__ import annotations

from openpyxl import Workbook

from village_ledger.reports.layout import environment, json_bytes, table_json, table_view
from village_ledger.reports.masking import Public
from village_ledger.reports.overview import Overview
from village_ledger.reports.xlsx import workbook_bytes, write_table


@Overview.renderers.register("json")
def overview_json(public: Public[Overview], paper: str = "a4") -> bytes:
    report = public.report
    document = {
        "date": report.day.isoformat(),
        "township": report.township,
        "villages": table_json(report.table),
    }
    return json_bytes(document)


@Overview.renderers.register("html")
def overview_html(public: Public[Overview], paper: str = "a4") -> bytes:
    html = (
        environment()
        .get_template("overview.html.j2")
        .render(report=public.report, view=table_view(public.report.table))
    )
    return html.encode("utf-8")


@Overview.renderers.register("xlsx")
def overview_xlsx(public: Public[Overview], paper: str = "a4") -> bytes:
    report = public.report
    book = Workbook()
    sheet = book.active
    sheet.title = "各村财务概览"
    write_table(sheet, report.table, [report.title, f"日期：{report.day}"])
    return workbook_bytes(book)
