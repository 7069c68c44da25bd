"""The two statements of 《农村集体经济组织会计制度》: 资产负债表 and 收益及收益分配表.

- 资产负债表: the national line items, 年初数 (the end of the year before) and 期末数 (the end of
  the period), from the same builder as the 财务公开's balance sheet
  (`reports.statements.balance_sheet_records`).
- 收益及收益分配表: 本年数 (1 January to the end of the period) and 上年数 (the whole year
  before). The year's income and spending are read without the year-end closing entries
  (`Figures.operating_movement`), so a closed year shows what it earned and spent, not the
  carrying forward; 提取公积公益金 and 向成员分配 are what the closing entries posted to 311 and
  211; 年初未分配收益 is the 未分配收益 of the balance sheet at the start of the year.

After `close`, 年末未分配收益 equals the balance of 322 收益分配 (tested); before it, it equals
the balance sheet's 未分配收益 at the year's end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from village_ledger.books.standard import Book
from village_ledger.model import LedgerModel
from village_ledger.model.period import Period
from village_ledger.reports.statements import Books, balance_sheet_records, cents
from village_ledger.reports.tables import Column, Table

ZERO = Decimal(0)

SHEET_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("opening", "年初数", "amount"),
    Column("closing", "期末数", "amount"),
)


def balance_sheet_book(model: LedgerModel, period: Period) -> Book:
    book = Book("资产负债表", model.title or model.village, model.village, period)
    opening_day = date(period.last.year - 1, 12, 31)
    records = balance_sheet_records(Books.of(model), opening_day, period.last)
    book.tables.append(
        Table(
            "balance-sheet",
            f"资产负债表（{period.last}）",
            SHEET_COLUMNS,
            pd.DataFrame.from_records(records),
            note=f"年初数为 {opening_day} 余额，期末数为 {period.last} 余额。",
        )
    )
    return book


# ---- 收益及收益分配表 ----

IncomeFn = Callable[[dict[str, Decimal]], Decimal]


@dataclass(frozen=True)
class IncomeLine:
    label: str
    value: IncomeFn
    role: str = "line"


def _code(code: str, sign: int = 1) -> IncomeFn:
    return lambda f: sign * f.get(code, ZERO)


def _operating(f: dict[str, Decimal]) -> Decimal:
    return f["501"] + f["502"] - f["511"] - f["512"] - f["513"]


def _year_result(f: dict[str, Decimal]) -> Decimal:
    return _operating(f) + f["503"] + f["504"] - f["514"] - f["515"] - f["521"]


def _distributable(f: dict[str, Decimal]) -> Decimal:
    return _year_result(f) + f["opening"] + f["transfer"]


INCOME_LINES = (
    IncomeLine("一、经营收入", _code("501")),
    IncomeLine("加：投资收益", _code("502")),
    IncomeLine("减：经营支出", _code("511")),
    IncomeLine("　　税金及附加", _code("512")),
    IncomeLine("　　管理费用", _code("513")),
    IncomeLine("二、经营收益", _operating, "total"),
    IncomeLine("加：补助收入", _code("503")),
    IncomeLine("　　其他收入", _code("504")),
    IncomeLine("减：公益支出", _code("514")),
    IncomeLine("　　其他支出", _code("515")),
    IncomeLine("　　所得税费用", _code("521")),
    IncomeLine("三、本年收益", _year_result, "total"),
    IncomeLine("加：年初未分配收益", _code("opening")),
    IncomeLine("　　其他转入", _code("transfer")),
    IncomeLine("四、可分配收益", _distributable, "total"),
    IncomeLine("减：提取公积公益金", _code("reserve")),
    IncomeLine("　　向成员分配", _code("members")),
    IncomeLine("　　其他", _code("other")),
    IncomeLine(
        "五、年末未分配收益",
        lambda f: _distributable(f) - f["reserve"] - f["members"] - f["other"],
        "total",
    ),
)
INCOME_CODES = ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521")


def income_figures(model: LedgerModel, period: Period) -> dict[str, Decimal]:
    """The figures the 收益及收益分配表 prints for `period`, income and spending positive."""
    figures = model.figures
    found: dict[str, Decimal] = dict.fromkeys(INCOME_CODES, ZERO)
    for account in figures.accounts:
        if account.count(":") != 1 or not account.startswith(("Income:", "Expenses:")):
            continue
        code = model.chart.get(account).first_level
        moved = figures.operating_movement(account, period).net
        found[code] = found.get(code, ZERO) + (-moved if account.startswith("Income:") else moved)
    found["opening"] = undistributed(model, period.opening_day)
    found["transfer"] = ZERO
    found["reserve"] = figures.closing_movement("Equity:311-公积公益金", period).credit
    found["members"] = figures.closing_movement("Liabilities:211-应付款", period).credit
    found["other"] = ZERO
    return found


def undistributed(model: LedgerModel, day: date) -> Decimal:
    """未分配收益 at the end of `day`: the credit balance of 本年收益, 收益分配 and every income
    and spending account not yet carried to them (as the balance sheet counts it)."""
    figures = model.figures
    roots = [a for a in figures.accounts if a.count(":") == 1]
    kept = ("Income:", "Expenses:", "Equity:321-", "Equity:322-")
    return -sum((figures.balance(a, day) for a in roots if a.startswith(kept)), ZERO)


INCOME_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("current", "本年数", "amount"),
    Column("previous", "上年数", "amount"),
)


def income_statement_book(model: LedgerModel, period: Period) -> Book:
    year = Period(date(period.last.year, 1, 1), period.last, f"{period.last.year}年")
    previous = Period.year(period.last.year - 1)
    book = Book("收益及收益分配表", model.title or model.village, model.village, year)
    current_figures = income_figures(model, year)
    begun = _begun(model, previous.last)
    previous_figures = income_figures(model, previous) if begun else None
    records: list[dict[str, Any]] = [
        {
            "item": line.label,
            "current": cents(line.value(current_figures)),
            "previous": cents(line.value(previous_figures)) if previous_figures else None,
            "role": line.role,
        }
        for line in INCOME_LINES
    ]
    note = f"本年数为 {year.first} 至 {year.last}；上年数为 {previous.first.year} 年全年"
    note += "。" if begun else "（账簿自本年起，上年数空缺）。"
    book.tables.append(
        Table(
            "income-statement",
            f"收益及收益分配表（{year.label}）",
            INCOME_COLUMNS,
            pd.DataFrame.from_records(records),
            note=note,
        )
    )
    return book


def _begun(model: LedgerModel, day: date) -> bool:
    """Whether the books hold a voucher on or before `day` (the opening balances of a new
    village's books, dated the day before they start, are not a year of books)."""
    return any(e.date <= day for e in model.vouchers[:1])
