"""Excel workbooks: one sheet per table, numbers as numbers (#,##0.00), dates as dates.

Called only by the reports' renderers, with a report that has already been masked.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from village_ledger.columns import display_width
from village_ledger.reports.layout import cell_number
from village_ledger.reports.tables import Column, Table

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
FONT = "等线"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
# one style object each, shared by every cell: openpyxl hashes each assignment
PLAIN = Font(name=FONT)
BOLD = Font(name=FONT, bold=True)
INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_table(sheet: Worksheet, table: Table, heading: Iterable[str]) -> None:
    lines = list(heading)
    width = len(table.columns)
    for text in lines:
        sheet.append([text])
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    if width > 1:
        for row in range(1, len(lines) + 1):
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    header_row = len(lines) + 1
    sheet.append([c.title for c in table.columns])
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    widths = [display_width(c.title) for c in table.columns]
    for index, record in enumerate(table.records()):
        bold = table.role(index) in ("total", "heading")
        _append(sheet, table.columns, record, widths, bold=bold)
    for record in table.total_records():
        _append(sheet, table.columns, record, widths, bold=True)
    if table.note:
        sheet.append([table.note])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for position, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 8), 60)


def _append(
    sheet: Worksheet,
    columns: tuple[Column, ...],
    record: dict[str, Any],
    widths: list[int],
    *,
    bold: bool,
) -> None:
    sheet.append([cell_number(c, record[c.key]) for c in columns])
    row = sheet._current_row  # max_row would scan every cell, once per row appended
    for position, column in enumerate(columns):
        value = record[column.key]
        if column.kind == "amount":
            text = "" if value is None else f"{int(value) / 100:,.2f}"
        elif column.kind == "date":
            text = "2025-01-01"
        else:
            text = "" if value is None else str(value)
        widths[position] = max(widths[position], display_width(text))
        kind = column.kind if column.kind in ("amount", "date") else "text"
        sheet.cell(row=row, column=position + 1).style = _style(sheet, kind, bold)


def _style(sheet: Worksheet, kind: str, bold: bool) -> str:
    """A named style per kind of cell, registered once per workbook: setting a cell's font,
    border and format one by one costs openpyxl a hash of each, cell after cell."""
    name = f"vl-{kind}{'-bold' if bold else ''}"
    book = sheet.parent
    if name not in book.named_styles:
        style = NamedStyle(name=name, font=BOLD if bold else PLAIN, border=BOX)
        style.number_format = {"amount": AMOUNT_FORMAT, "date": DATE_FORMAT}.get(kind, "General")
        book.add_named_style(style)
    return name


def sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(INVALID_SHEET_CHARS)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def print_ready(sheet: Worksheet) -> None:
    """Printed from Excel, each sheet is A4 landscape, one page wide, with its header repeated."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    if sheet.freeze_panes:
        sheet.print_title_rows = f"1:{sheet[sheet.freeze_panes].row - 1}"


def workbook_bytes(book: Workbook) -> bytes:
    for sheet in book.worksheets:
        print_ready(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
