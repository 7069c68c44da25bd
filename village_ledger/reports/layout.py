"""Layout shared by every report's renderers: cells as text, JSON or Excel numbers, the table
view HTML and PDF both lay out, the templates, JSON documents and PDF output.

The numbers are never recomputed here, only formatted; the per-report renderers
(`disclosure_render`, `handover.render`, `overview_render`) call these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import segno

from village_ledger.reports.statements import yuan_display, yuan_text
from village_ledger.reports.tables import Column, Table

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


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


@cache
def environment() -> jinja2.Environment:
    folder = resources.files("village_ledger.templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def weasy(html: str) -> Any:
    import weasyprint  # imported here: it loads Pango, which only paged output needs

    return weasyprint.HTML(string=html)


def html_to_pdf(html: bytes) -> bytes:
    """A PDF of any report page."""
    return bytes(weasy(html.decode("utf-8")).write_pdf())


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


def cell_csv(column: Column, value: Any) -> str:
    plain = cell_json(column, value)
    return "" if plain is None else str(plain)
