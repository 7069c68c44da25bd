"""Tables over the accounts' balances and movements: 收支情况 (income and spending by account
for a period, the year to date and the same period a year earlier), 收支明细 (every transaction
of a period) and 资产负债情况 (the national balance sheet at the year's start and the period's end).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from village_ledger.model import Period
from village_ledger.reports.statements import Books, balance_sheet_records
from village_ledger.reports.tables import Column, Table

# --- 收支情况 ---------------------------------------------------------------------------

INCOME_COLUMNS = (
    Column("kind", "类别", width=1.0),
    Column("code", "科目代码", width=1.3),
    Column("name", "科目名称", width=3.2),
    Column("quarter", "本季", "amount"),
    Column("ytd", "本年累计", "amount"),
    Column("last_year", "上年同期", "amount"),
)


def income_table(books: Books, period: Period) -> Table:
    """Income and spending by account over `period`, the year to its end, and the same days a
    year earlier (本季, 本年累计, 上年同期)."""
    earlier = period.a_year_earlier()
    ytd = period.year_to_date()
    windows = {
        "quarter": (period.first, period.last),
        "ytd": (ytd.first, ytd.last),
        "last_year": (earlier.first, earlier.last),
    }
    accounts = books.accounts
    pl_accounts = accounts.index[accounts["root"].isin(("Income", "Expenses"))]
    pl = books.postings[books.postings["account"].isin(pl_accounts)]
    sums = pd.DataFrame(
        {
            key: pl[(pl["day"] >= a.toordinal()) & (pl["day"] <= b.toordinal())]
            .groupby("account")["cents"]
            .sum()
            for key, (a, b) in windows.items()
        }
    ).fillna(0)
    sums = sums[(sums != 0).any(axis=1)].astype("int64")
    info = accounts.loc[sums.index]
    # income is a credit in Beancount; villagers read it as a positive figure
    # int64 even when no account moved: an empty map is typed as text once pyarrow is installed,
    # and would turn the (empty) rows into text whose sum is ""
    sign = info["root"].map({"Income": -1, "Expenses": 1}).astype("int64")
    rows = sums.mul(sign, axis=0)
    rows["kind"] = info["root"].map({"Income": "收入", "Expenses": "支出"})
    rows["code"] = info["code"]
    rows["name"] = info["name"]
    rows["order"] = info["root"].map({"Income": 0, "Expenses": 1})
    rows = rows.sort_values(["order", "code", "name"]).reset_index(drop=True)
    totals: list[dict[str, Any]] = []
    for kind in ("收入", "支出"):
        part = rows[rows["kind"] == kind]
        totals.append({"kind": f"{kind}合计", **{k: int(part[k].sum()) for k in windows}})
    totals.append(
        {"kind": "收益", **{k: totals[0][k] - totals[1][k] for k in windows}},
    )
    return Table(
        "income",
        "收支情况公开表",
        INCOME_COLUMNS,
        rows,
        totals,
        note="按收入、支出科目汇总；收益 = 收入合计 − 支出合计。",
    )


# --- 收支明细 ---------------------------------------------------------------------------

DETAIL_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人", width=2.6),
    Column("narration", "摘要", width=4.2),
    Column("income", "收入", "amount"),
    Column("expense", "支出", "amount"),
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
        note="收入、支出为库存现金和银行存款的实际收付；不涉及资金收付的业务（计提、折旧、存取现等）"
        "金额列在“转账”栏。",
    )


# --- 资产负债 ---------------------------------------------------------------------------

SHEET_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("opening", "年初数", "amount"),
    Column("closing", "期末数", "amount"),
)


def balance_sheet_table(books: Books, period: Period) -> Table:
    """The 资产负债表's rows at the end of the year before `period` ends (年初数) and at its end,
    as `village-ledger books --book 资产负债表` prints them."""
    year_start = period.year_to_date().opening_day
    records = balance_sheet_records(books, year_start, period.last)
    rows = pd.DataFrame.from_records(records)
    note = (
        f"年初数为 {year_start.year} 年末余额，期末数为 {period.last} 余额；"
        "未分配收益含尚未结转的本年收益。"
    )
    return Table("balance", "资产负债情况", SHEET_COLUMNS, rows, [], note)
