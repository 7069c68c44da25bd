"""Tables over the accounts' balances and movements: 收支情况 (income and spending by account
for a period, the year to date and the same period a year earlier), 收支明细 (every transaction
of a period) and 资产负债情况 (the national balance sheet at the year's start and the period's end).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from village_ledger.model import LedgerModel, Period
from village_ledger.reports.statements import Books, balance_sheet_records, cents, display_name
from village_ledger.reports.tables import Column, Table, frame

# --- 收支情况 ---------------------------------------------------------------------------

INCOME_COLUMNS = (
    Column("kind", "类别", width=1.6),
    Column("code", "科目代码", width=1.3),
    Column("name", "科目名称", width=2.8),
    Column("quarter", "本季", "amount"),
    Column("ytd", "本年累计", "amount"),
    Column("last_year", "上年同期", "amount"),
)


def income_table(model: LedgerModel, period: Period) -> Table:
    """Income and spending by account over `period`, the year to its end, and the same days a
    year earlier (本季, 本年累计, 上年同期), as `model.figures` counts them without the year-end
    carrying entries. 上年同期 is left empty when the books began after that period started:
    there is no year-earlier figure to compare with, not a figure of zero."""
    figures = model.figures
    earlier = period.a_year_earlier()
    start = figures.books_start
    compared = start is not None and start <= earlier.first
    windows = {"quarter": period, "ytd": period.year_to_date(), "last_year": earlier}
    records, totals = income_records(model, windows)
    if not compared:
        for record in (*records, *totals):
            record["last_year"] = None
    note = "按收入、支出科目汇总；收益 = 收入合计 − 支出合计。"
    if not compared:
        note += f"账簿自 {start} 起，上年同期数空缺。"
    return Table(
        "income",
        "收支情况公开表",
        INCOME_COLUMNS,
        frame(records, INCOME_COLUMNS),
        totals,
        note=note,
    )


def income_records(
    model: LedgerModel, windows: dict[str, Period]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One record per income or expense account with postings of its own (类别, 科目代码,
    科目名称 and, under each key of `windows`, what it earned or spent in that period, in 分,
    positive) with any non-zero figure; and the totals 收入合计, 支出合计 and 收益. From
    `model.figures`, without the year-end carrying entries."""
    figures = model.figures
    records: list[dict[str, Any]] = []
    for order, (root, kind) in enumerate((("Income", "收入"), ("Expenses", "支出"))):
        sign = -1 if root == "Income" else 1  # income is a credit; villagers read it positive
        for account in figures.posted(root):
            sums = {
                key: sign * cents(figures.own_operating_movement(account, window).net)
                for key, window in windows.items()
            }
            if not any(sums.values()):
                continue
            code = model.chart.get(account).code
            name = display_name(account)
            records.append({"kind": kind, "code": code, "name": name, "order": order, **sums})
    records.sort(key=lambda r: (r["order"], r["code"], r["name"]))
    totals: list[dict[str, Any]] = []
    for kind in ("收入", "支出"):
        part = [r for r in records if r["kind"] == kind]
        totals.append({"kind": f"{kind}合计", **{k: sum(r[k] for r in part) for k in windows}})
    totals.append({"kind": "收益", **{k: totals[0][k] - totals[1][k] for k in windows}})
    return records, totals


# --- 收支明细 ---------------------------------------------------------------------------

DETAIL_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人", width=2.6),
    Column("narration", "摘要", width=4.2),
    Column("income", "收款", "amount"),
    Column("expense", "付款", "amount"),
    Column("transfer", "转账", "amount"),
    Column("handler", "经手人", width=1.25),
    Column("approver", "审批人", width=1.25),
)


def detail_table(books: Books, period: Period) -> Table:
    txns = books.txns_between(period.first, period.last)
    money = txns["money"]
    rows = pd.DataFrame(
        {
            "date": txns["date"],
            "voucher": txns["voucher"],
            "payee": txns["payee"],
            "narration": txns["narration"],
            "income": money.where(money > 0, 0),
            "expense": (-money).where(money < 0, 0),
            # entries that move no money (accruals, depreciation, cash to bank) still belong here
            "transfer": txns["debits"].where(money == 0, 0),
            "handler": txns["handler"],
            "approver": txns["approver"],
        }
    ).reset_index(drop=True)
    totals = [
        {
            "narration": "合计",
            "income": int(rows["income"].sum()),
            "expense": int(rows["expense"].sum()),
            "transfer": int(rows["transfer"].sum()),
        }
    ]
    return Table(
        "detail",
        "收支明细公开表",
        DETAIL_COLUMNS,
        rows,
        totals,
        note="收款、付款为库存现金和银行存款的实际收付（收回借支、退回余款也是收款，不是收入）；"
        "不涉及资金收付的业务（计提、折旧、存取现、借支报销冲账等）金额列在“转账”栏。",
    )


# --- 资产负债 ---------------------------------------------------------------------------

SHEET_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("opening", "年初数", "amount"),
    Column("closing", "期末数", "amount"),
)


def balance_sheet_table(books: Books, period: Period) -> Table:
    """The 资产负债表's rows at the end of the year before `period` ends (年初数) and at its end,
    as `village-ledger books --book 资产负债表` prints them, less the lines that are zero at
    both dates."""
    year_start = period.year_to_date().opening_day
    records = balance_sheet_records(books, year_start, period.last)
    # a villager reads the lines that hold money; the national statement's empty lines are
    # counted in the note instead of printed as rows of 0.00
    shown = [
        r for r in records if r["role"] in ("heading", "total") or r["opening"] or r["closing"]
    ]
    rows = pd.DataFrame.from_records(shown)
    note = (
        f"年初数为 {year_start.year} 年末余额，期末数为 {period.last} 余额；"
        "未分配收益含尚未结转的本年收益。"
    )
    if all(r["opening"] is None for r in records):
        note += f"账簿在 {year_start} 之后才开始，年初数空缺。"
    folded = len(records) - len(shown)
    if folded:
        note += f"另有 {folded} 个项目年初数、期末数均为零，未列出。"
    return Table("balance", "资产负债情况", SHEET_COLUMNS, rows, [], note)
