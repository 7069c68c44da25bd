"""The township overview: one row per village, what a township accounting centre reads first.

For each village at a date: cash and bank, this year's income and spending, entertainment
against its cap, findings by rule family (every finding dated on or before the date), the last
sealed quarter, and the quarters whose publication is overdue (ended more than 公开期限天数
before the date and still unsealed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from village_ledger.engine import beancount_finding, run_rules
from village_ledger.findings import BEANCOUNT, Finding
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, Quarter, build_model
from village_ledger.registry import FAMILIES, all_rules, family_of
from village_ledger.reports.render import Renderers
from village_ledger.reports.statements import Books, cents
from village_ledger.reports.tables import Column, Table, frame

FAMILY_COLUMNS = (
    *(Column(f"f_{family.prefix}", family.title, "int") for family in FAMILIES),
    Column(f"f_{BEANCOUNT}", "基本检查", "int"),
)
COLUMNS = (
    Column("village", "村", width=2.3),
    Column("title", "名称", width=3.0),
    Column("cash", "库存现金", "amount", width=2.3),
    Column("bank", "银行存款", "amount", width=2.5),
    Column("income", "本年收入", "amount", width=2.4),
    Column("expense", "本年支出", "amount", width=2.4),
    Column("entertainment", "本年招待费", "amount", width=2.1),
    Column("cap", "招待费限额", "amount", width=2.1),
    *FAMILY_COLUMNS,
    Column("errors", "错误合计", "int"),
    Column("last_sealed", "最近封存季度"),
    Column("overdue", "逾期未公开"),
)
SUMMED = (
    *("cash", "bank", "income", "expense", "entertainment", "errors"),
    *(c.key for c in FAMILY_COLUMNS),
)


@dataclass
class Overview:
    day: date
    township: str
    table: Table

    renderers: ClassVar[Renderers[Overview]] = Renderers("village_ledger.reports.overview_render")

    @property
    def title(self) -> str:
        return f"{self.township}村级财务概览"


def build_overview(mains: Sequence[Path], day: date, jobs: int = 1) -> Overview:
    if jobs > 1 and len(mains) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(mains))) as pool:
            rows = list(pool.map(village_row, mains, [day] * len(mains)))
    else:
        rows = [village_row(main, day) for main in mains]
    rows.sort(key=lambda r: r["village"])
    table = Table("overview", "各村财务概览", COLUMNS, frame(rows, COLUMNS))
    table.totals = [{"village": "合计", **{k: sum(int(r[k]) for r in rows) for k in SUMMED}}]
    table.note = (
        f"金额为 {day} 日终余额及 {day.year} 年 1 月 1 日至 {day} 的发生额；"
        "审计发现为截至该日的全部发现条数；逾期未公开指季度结束超过公开期限天数仍未封存。"
    )
    table.empty = "没有村账簿"
    return Overview(day, township_name([r["title"] for r in rows], mains), table)


def township_name(titles: list[str], mains: Sequence[Path]) -> str:
    """The township the villages' titles share (九池乡黄梅村… and 九池乡太白村… -> 九池乡)."""
    # character by character is the point here: these are names, not paths
    prefix = os.path.commonprefix([t for t in titles if t]) if titles else ""  # noqa: RUF071
    cut = max(
        prefix.rfind(unit) + len(unit) if unit in prefix else 0 for unit in ("乡", "镇", "街道")
    )
    if cut:
        return prefix[:cut]
    parents = {Path(m).resolve().parent.parent.name for m in mains}
    return parents.pop() if len(parents) == 1 else "各村"


def village_row(main: Path, day: date) -> dict[str, Any]:
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    findings = [beancount_finding(model.village, e) for e in loaded.errors]
    findings += run_rules(model, all_rules())
    return summarize(model, Books.of(model), findings, day)


def summarize(
    model: LedgerModel, books: Books, findings: list[Finding], day: date
) -> dict[str, Any]:
    balances = books.with_info(books.window(None, day))
    money = balances[balances["is_money"]]
    cash = int(money[money["is_cash"]]["cents"].sum())
    year = books.with_info(books.window(date(day.year, 1, 1), day))
    income = -int(year[year["root"] == "Income"]["cents"].sum())
    expense = int(year[year["root"] == "Expenses"]["cents"].sum())
    reception = year[(year["root"] == "Expenses") & (year["category"] == "招待费")]
    row: dict[str, Any] = {
        "village": model.village,
        "title": model.title,
        "cash": cash,
        "bank": int(money["cents"].sum()) - cash,
        "income": income,
        "expense": expense,
        "entertainment": int(reception["cents"].sum()),
        "cap": cents(model.policy.value("招待费年度限额", day)),
    }
    row.update({c.key: 0 for c in FAMILY_COLUMNS})
    row["errors"] = 0
    for finding in findings:
        if finding.date is not None and finding.date > day:
            continue
        family = family_of(finding.rule)
        key = f"f_{family.prefix}" if family else f"f_{BEANCOUNT}"
        row[key] = row.get(key, 0) + 1
        row["errors"] += finding.is_error
    last = max((s for s in model.seals if s.day <= day), key=lambda s: s.quarter, default=None)
    row["last_sealed"] = str(last.quarter) if last else "无"
    overdue = overdue_quarters(model, books, day)
    row["overdue"] = "、".join(map(str, overdue)) if overdue else "否"
    return row


def overdue_quarters(model: LedgerModel, books: Books, day: date) -> list[Quarter]:
    """Quarters since the books began that ended over 公开期限天数 before `day`, unsealed."""
    if not model.vouchers:
        return []
    quarter = Quarter.of(model.vouchers[0].date)
    late = []
    while quarter.last_day < day:
        allowed = int(model.policy.value("公开期限天数", quarter.last_day))
        seal = model.seals.get(quarter)
        sealed = seal is not None and seal.day <= day
        if not sealed and quarter.last_day + timedelta(days=allowed) < day:
            late.append(quarter)
        quarter = quarter.next()
    return late


def default_jobs() -> int:
    return os.cpu_count() or 1
