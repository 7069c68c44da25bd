"""The handover audit laid out: HTML, PDF, Excel and JSON, registered on `Handover.renderers`."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from village_ledger.reports.handover.report import Handover
from village_ledger.reports.layout import (
    environment,
    html_to_pdf,
    json_bytes,
    table_json,
    table_view,
)
from village_ledger.reports.masking import Public
from village_ledger.reports.xlsx import sheet_title, workbook_bytes, write_table

ORDER = (
    (
        "一、移交清单",
        ("inventory", "checks", "checklist", "contract_arrears", "assets", "asset_gaps"),
    ),
    ("二、任期收支", ("term", "net_assets", "limits")),
    ("三、任期审计发现", ("families", "findings", "advances", "resolutions", "funds", "unsealed")),
    ("四、债权债务明细", ("debts",)),
)
SIGNERS = (("移交人", "outgoing"), ("接交人", "incoming"), ("监交人", "supervisor"))


@Handover.renderers.register("html")
def handover_html(public: Public[Handover], paper: str = "a4") -> bytes:
    return _html(public.report).encode("utf-8")


def _html(report: Handover) -> str:
    parts = [
        (heading, [table_view(report.tables[key]) for key in keys if key in report.tables])
        for heading, keys in ORDER
    ]
    signers = [(label, getattr(report.parties, attr)) for label, attr in SIGNERS]
    return (
        environment()
        .get_template("handover.html.j2")
        .render(report=report, parts=parts, signers=signers)
    )


@Handover.renderers.register("pdf")
def handover_pdf(public: Public[Handover], paper: str = "a4") -> bytes:
    return html_to_pdf(_html(public.report).encode("utf-8"))


@Handover.renderers.register("json")
def handover_json(public: Public[Handover], paper: str = "a4") -> bytes:
    report = public.report
    parties = report.parties
    document = {
        "village": report.village,
        "title": report.title,
        "report": "handover",
        "date": parties.day.isoformat(),
        "cutoff": report.cutoff.isoformat(),
        "roles": list(parties.roles),
        "parties": {attr: getattr(parties, attr) for _, attr in SIGNERS},
        "term": {
            "start": parties.term_start.isoformat(),
            "left": parties.left.isoformat(),
            "taken": parties.taken.isoformat(),
            "first": report.term.first_day.isoformat(),
            "last": report.term.last_day.isoformat(),
        },
        "books": {"start": report.books_start.isoformat(), "end": report.books_end.isoformat()},
        "sources": report.sources,
        "differences": report.differences,
        "tables": [table_json(t) for t in report.tables.values()],
        "capitals": report.capitals,
    }
    return json_bytes(document)


@Handover.renderers.register("xlsx")
def handover_xlsx(public: Public[Handover], paper: str = "a4") -> bytes:
    report = public.report
    book = Workbook()
    summary = book.active
    summary.title = "交接概况"
    for row in _summary_rows(report):
        summary.append(row)
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 90
    taken = {summary.title}
    heading = f"{report.title} {report.label}"
    period = f"交接日期：{report.day}　报告期间：{report.term.first_day} 至 {report.term.last_day}"
    for table in report.tables.values():
        sheet = book.create_sheet(sheet_title(table.title, taken))
        write_table(sheet, table, [f"{heading} {table.title}", period])
    return workbook_bytes(book)


def _summary_rows(report: Handover) -> list[list[Any]]:
    parties = report.parties
    rows: list[list[Any]] = [
        [f"{report.title} {report.label}"],
        ["交接日期", parties.day],
        ["移交职务", report.roles],
        *([label, getattr(parties, attr)] for label, attr in SIGNERS),
        ["报告期间", f"{report.term.first_day} 至 {report.term.last_day}"],
        ["清单差异", f"{report.differences} 项" if report.differences else "无"],
        [],
    ]
    rows += [[f"{label}（大写）", text] for label, text in report.capitals.items()]
    rows += [[], ["数据来源"], *(["", line] for line in report.sources)]
    return rows
