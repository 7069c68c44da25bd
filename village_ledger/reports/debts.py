"""债权债务明细: receivables and payables by counterparty (sub-account), each with the day its
oldest still-open part arose, settling first in first out, and its age."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date

from village_ledger.model import Period
from village_ledger.reports.statements import Books, display_name, leaf_name
from village_ledger.reports.tables import Column, Table, frame

# --- 债权债务 ---------------------------------------------------------------------------

DEBT_COLUMNS = (
    Column("kind", "类别"),
    Column("account", "科目"),
    Column("party", "对方单位/个人"),
    Column("amount", "余额", "amount"),
    Column("since", "发生日期", "date"),
    Column("age", "账龄（天）", "int"),
)
RECEIVABLE_CODES = ("112", "113")
PAYABLE_CODES = ("113", "201", "211", "212", "213", "214", "221")


def debts_table(books: Books, period: Period) -> Table:
    """Open receivables and payables at the end of `period`, aged to that day."""
    codes = set(RECEIVABLE_CODES + PAYABLE_CODES)
    accounts = books.accounts[books.accounts["first_level"].isin(codes)]
    upto = books.window(None, period.last)
    upto = upto[upto["account"].isin(accounts.index)]
    records = []
    end = period.last.toordinal()
    for account, group in upto.groupby("account", sort=True):
        balance = int(group["cents"].sum())
        first_level = accounts.loc[account, "first_level"]
        if balance == 0:
            continue
        receivable = balance > 0 and first_level in RECEIVABLE_CODES
        payable = balance < 0 and first_level in PAYABLE_CODES
        if not (receivable or payable):
            continue
        since = open_since(group["day"].tolist(), group["cents"].tolist(), 1 if receivable else -1)
        records.append(
            {
                "kind": "应收" if receivable else "应付",
                "account": display_name(str(account).rpartition(":")[0]) or display_name(account),
                "party": leaf_name(str(account)),
                "amount": abs(balance),
                "since": date.fromordinal(since),
                "age": end - since,
                "order": 0 if receivable else 1,
            }
        )
    rows = frame(records, DEBT_COLUMNS)
    if records:
        rows = rows.sort_values(["order", "age"], ascending=[True, False]).reset_index(drop=True)
    totals = [
        {"kind": f"{kind}合计", "amount": int(rows[rows["kind"] == kind]["amount"].sum())}
        for kind in ("应收", "应付")
    ]
    note = "按明细科目（对方单位/个人）列示；发生日期为尚未结清部分中最早一笔的日期（先进先出）。"
    return Table("debts", "债权债务明细", DEBT_COLUMNS, rows, totals, note)


def open_since(days: Sequence[int], amounts: Sequence[int], sign: int) -> int:
    """The day the oldest still-open part of a balance arose, settling first in first out."""
    lots: deque[list[int]] = deque()
    for day, amount in zip(days, amounts, strict=True):
        amount *= sign
        if amount > 0:
            lots.append([day, amount])
            continue
        owed = -amount
        while owed and lots:
            take = min(owed, lots[0][1])
            lots[0][1] -= take
            owed -= take
            if lots[0][1] == 0:
                lots.popleft()
    return lots[0][0] if lots else days[-1]
