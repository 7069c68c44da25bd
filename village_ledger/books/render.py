"""The standard books laid out: HTML, PDF (A4, one account to a page as printed books), Excel
(one sheet per account) and JSON. The books are internal: nothing is masked, and nothing here
computes a figure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

from village_ledger.books.standard import Book
from village_ledger.reports.layout import environment, json_bytes, table_json, table_view
from village_ledger.reports.xlsx import sheet_title, workbook_bytes, write_table

# books whose tables are too wide for a portrait page
LANDSCAPE = frozenset({"科目余额表", "合同台账", "资产台账"})


def book_html(book: Book) -> str:
    template = environment().get_template("books.html.j2")
    views = [table_view(table) for table in book.tables]
    return template.render(book=book, views=views, landscape=book.name in LANDSCAPE)


def book_pdf(book: Book) -> bytes:
    import weasyprint  # loads Pango; only paged output needs it

    return bytes(weasyprint.HTML(string=book_html(book)).write_pdf())


def book_xlsx(book: Book) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    heading = [f"{book.title} {book.name}", f"期间：{book.period.first} 至 {book.period.last}"]
    for table in book.tables:
        sheet = workbook.create_sheet(sheet_title(table.title or book.name, taken))
        write_table(sheet, table, [*heading, table.title])
    if not book.tables:
        workbook.create_sheet(book.name).append([f"{book.title} {book.name}：本期无内容"])
    return workbook_bytes(workbook)


def book_json(book: Book) -> bytes:
    document: dict[str, Any] = {
        "book": book.name,
        "title": book.title,
        "village": book.village,
        "period": {
            "label": book.period.label,
            "first": book.period.first.isoformat(),
            "last": book.period.last.isoformat(),
        },
        "tables": [table_json(table) for table in book.tables],
    }
    return json_bytes(document)


RENDERERS: dict[str, Callable[[Book], bytes]] = {
    "html": lambda book: book_html(book).encode("utf-8"),
    "pdf": book_pdf,
    "xlsx": book_xlsx,
    "json": book_json,
}


def render_book(book: Book, fmt: str) -> bytes:
    """The books are the accounting centre's own records, not a public report: they are laid
    out as kept, without the masking `reports.render` applies to what villagers see."""
    return RENDERERS[fmt](book)


FORMATS = tuple(RENDERERS)
