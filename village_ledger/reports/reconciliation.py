"""The 银行存款余额调节表 as a report, and the table of the latest checks of cash and bank that
the handover and the 财务公开 print.

Both read `model.reconciliation.Reconciliation` and `MoneyCheck` (the figures layer); nothing
here computes a balance. Amounts are integer 分 like every report table.

- `build_bank_reconciliation(model, rec)`: `BankReconciliation`, two tables: the 调节表 itself
  (企业账面余额 and 银行对账单余额 side by side, each with its 加/减 未达账项 and 调节后余额) and
  the 未达账项 one by one. `import-bank` renders it (HTML, PDF, Excel, JSON).
- `latest_checks_table(model, day)`: for each bank account its latest reconciliation on or
  before `day`, for each cash account its latest count (库存现金盘点).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import pandas as pd

from village_ledger.model import LedgerModel
from village_ledger.model.reconciliation import Item, Reconciliation
from village_ledger.reports.render import Renderers
from village_ledger.reports.statements import cents
from village_ledger.reports.tables import Column, Table

AGREES, DISAGREES = "相符", "不符"

ADJUSTMENT_COLUMNS = (
    Column("book_item", "项目", width=3.2),
    Column("book", "金额", "amount"),
    Column("bank_item", "项目", width=3.2),
    Column("bank", "金额", "amount"),
)
ITEM_COLUMNS = (
    Column("side", "未达账项", width=2.2),
    Column("day", "日期", "date", width=1.4),
    Column("ref", "凭证号 / 流水号", width=2.0),
    Column("text", "摘要", width=4.0),
    Column("amount", "金额", "amount"),
)
BANK_RECEIVED, BANK_PAID = "银行已收、企业未收", "银行已付、企业未付"
BOOK_RECEIVED, BOOK_PAID = "企业已收、银行未收", "企业已付、银行未付"


def account_name(account: str) -> str:
    """`Assets:102-银行存款:10201-农商行` as printed: `银行存款—农商行（10201）`."""
    parts = account.split(":")[1:]
    names = [p.split("-", 1)[-1] for p in parts]
    code = parts[-1].split("-", 1)[0] if parts else ""
    return "—".join(names) + (f"（{code}）" if code else "")


@dataclass
class BankReconciliation:
    village: str
    title: str
    account: str
    day: date
    source: str  # the statement's file name
    tables: dict[str, Table]
    agrees: bool
    difference: int  # 分: 调节后账面余额 − 调节后对账单余额

    renderers: ClassVar[Renderers[BankReconciliation]] = Renderers(
        "village_ledger.reports.reconciliation_render"
    )

    @property
    def label(self) -> str:
        return f"{account_name(self.account)} {self.day} 银行存款余额调节表"


def build_bank_reconciliation(
    model: LedgerModel, rec: Reconciliation, source: str = ""
) -> BankReconciliation:
    return BankReconciliation(
        village=model.village,
        title=model.title or model.village,
        account=rec.account,
        day=rec.day,
        source=source,
        tables={"adjustment": adjustment_table(rec), "items": items_table(rec)},
        agrees=rec.agrees,
        difference=cents(rec.difference),
    )


def adjustment_table(rec: Reconciliation) -> Table:
    rows = [
        ("企业银行存款日记账余额", rec.book, "银行对账单余额", rec.statement, "line"),
        (
            f"加：{BANK_RECEIVED}",
            rec.bank_received,
            f"加：{BOOK_RECEIVED}",
            rec.book_received,
            "line",
        ),
        (f"减：{BANK_PAID}", rec.bank_paid, f"减：{BOOK_PAID}", rec.book_paid, "line"),
        ("调节后的存款余额", rec.adjusted_book, "调节后的存款余额", rec.adjusted_bank, "total"),
    ]
    frame = pd.DataFrame.from_records(
        [
            {"book_item": a, "book": cents(b), "bank_item": c, "bank": cents(d), "role": role}
            for a, b, c, d, role in rows
        ]
    )
    state = AGREES if rec.agrees else f"{DISAGREES}，相差 {rec.difference:,.2f} 元"
    note = (
        f"截至 {rec.day} 日终。调节后两边余额应当相等：{state}。"
        "银行已收付、企业未入账的款项已在账上记为 `!` 草稿，待补全凭证。"
    )
    if rec.unknown:
        note += f"outstanding 中的凭证 {'、'.join(rec.unknown)} 在账上没有此账户的分录。"
    return Table("adjustment", "银行存款余额调节表", ADJUSTMENT_COLUMNS, frame, note=note)


def items_table(rec: Reconciliation) -> Table:
    def record(side: str, item: Item) -> dict[str, Any]:
        return {
            "side": side,
            "day": item.day,
            "ref": item.ref,
            "text": item.text,
            "amount": cents(abs(item.amount)),
        }

    records = [record(BANK_RECEIVED, i) for i in rec.bank_only if i.amount > 0]
    records += [record(BANK_PAID, i) for i in rec.bank_only if i.amount < 0]
    records += [record(BOOK_RECEIVED, i) for i in rec.book_only if i.amount > 0]
    records += [record(BOOK_PAID, i) for i in rec.book_only if i.amount < 0]
    frame = pd.DataFrame.from_records(records, columns=[c.key for c in ITEM_COLUMNS])
    table = Table("items", "未达账项明细", ITEM_COLUMNS, frame)
    table.empty = "没有未达账项"
    return table


# ---- the latest checks of cash and bank (handover, 财务公开) ----------------------------

CHECK_COLUMNS = (
    Column("item", "账户", width=2.6),
    Column("kind", "核对方式", width=1.6),
    Column("day", "核对日期", "date", width=1.4),
    Column("book", "账面余额", "amount"),
    Column("verified", "对账单 / 实存", "amount"),
    Column("adjusted", "调节后余额", "amount"),
    Column("state", "结果", width=1.6),
)


def latest_checks_table(model: LedgerModel, day: date) -> Table:
    """Each bank account's latest reconciliation and each cash account's latest count, through
    the end of `day`."""
    recs = model.figures.reconciliations
    records: list[dict[str, Any]] = []
    for count in recs.latest_counts(day):
        who = "、".join(p for p in (count.counted_by, count.witness) if p)
        records.append(
            {
                "item": account_name(count.account),
                "kind": f"现金盘点（{who}）" if who else "现金盘点",
                "day": count.day,
                "book": cents(count.amount),
                "verified": cents(count.amount),
                "adjusted": cents(count.amount),
                "state": AGREES,
            }
        )
    for rec in recs.latest(day):
        state = AGREES if rec.agrees else f"{DISAGREES}（差 {rec.difference:,.2f} 元）"
        outstanding = len(rec.items)
        records.append(
            {
                "item": account_name(rec.account),
                "kind": "银行对账" + (f"（未达账项 {outstanding} 笔）" if outstanding else ""),
                "day": rec.day,
                "book": cents(rec.book),
                "verified": cents(rec.statement),
                "adjusted": cents(rec.adjusted_bank),
                "state": state,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[c.key for c in CHECK_COLUMNS])
    note = (
        f"截至 {day} 最近一次库存现金盘点和每个银行账户最近一次对账。"
        "账面余额为核对日日终余额；银行对账的账面余额不含待补全的草稿凭证，调节后余额为对账单余额"
        "加减企业已收付、银行未收付的款项。"
    )
    table = Table("checks", "库存现金盘点与银行对账", CHECK_COLUMNS, frame, note=note)
    table.empty = "账簿中没有现金盘点或银行对账记录"
    return table
