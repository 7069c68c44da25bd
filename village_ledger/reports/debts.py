"""债权债务明细: receivables and payables by counterparty (sub-account), each with the day its
oldest still-open part arose, settling first in first out, and its age."""

from __future__ import annotations

from typing import Any

from village_ledger.model import LedgerModel, Period
from village_ledger.reports.statements import cents, display_name, leaf_name
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


def debts_table(model: LedgerModel, period: Period) -> Table:
    """Open receivables and payables at the end of `period`, aged to that day, from
    `model.figures` (each account's balance and the day its oldest open part arose)."""
    figures = model.figures
    day = period.last
    records: list[dict[str, Any]] = []
    for account in (*figures.posted("Assets"), *figures.posted("Liabilities")):
        first_level = model.chart.get(account).first_level
        balance = cents(figures.balance_of(account, day))
        receivable = balance > 0 and first_level in RECEIVABLE_CODES
        payable = balance < 0 and first_level in PAYABLE_CODES
        since = figures.open_since(account, day) if receivable or payable else None
        if since is None:
            continue
        records.append(
            {
                "kind": "应收" if receivable else "应付",
                "account": display_name(account.rpartition(":")[0]) or display_name(account),
                "party": leaf_name(account),
                "amount": abs(balance),
                "since": since,
                "age": (day - since).days,
                "order": 0 if receivable else 1,
            }
        )
    records.sort(key=lambda r: (r["order"], -r["age"]))
    rows = frame(records, DEBT_COLUMNS)
    totals = [
        {"kind": f"{kind}合计", "amount": sum(r["amount"] for r in records if r["kind"] == kind)}
        for kind in ("应收", "应付")
    ]
    note = "按明细科目（对方单位/个人）列示；发生日期为尚未结清部分中最早一笔的日期（先进先出）。"
    return Table("debts", "债权债务明细", DEBT_COLUMNS, rows, totals, note)
