"""The township overview: one row per village, what a township accounting centre reads first.

For each village at a date: cash and bank, this year's income and spending, entertainment
against its cap, money in arrears under its contracts (and the part past the grace days, as
VL701 judges it), findings by rule family, the last sealed quarter, and the quarters whose
publication is overdue (ended more than 公开期限天数 before the date and still unsealed).

The findings are those of the audit service (`village_ledger.audit`) over every village of the
overview, judged as of the overview's date: the same findings `village-ledger check` reports
over the same PATH with `VILLAGE_LEDGER_TODAY` set to that date, cross-village ones (an invoice
booked in two villages) included, less those dated after the date. Each family's column counts
its errors and warnings together; 发现合计 adds the family columns, and 错误 and 预警 split it
by severity, as `check` counts them.

The township's name: the one the caller gives (`overview --title`), else the part the villages'
titles share up to its 乡, 镇 or 街道 (九池乡黄梅村… and 九池乡太白村… -> 九池乡), else none: the
overview is then titled 村级财务概览, never after a folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from village_ledger.audit import ALL, VillageAudit, audit
from village_ledger.findings import BEANCOUNT, Finding
from village_ledger.model import LedgerModel, Quarter
from village_ledger.rectification import open_on
from village_ledger.registry import FAMILIES, family_of
from village_ledger.reports.render import Renderers
from village_ledger.reports.statements import Books, cents
from village_ledger.reports.tables import Column, Table, frame
from village_ledger.sealing import seal_states

FAMILY_COLUMNS = (
    *(Column(f"f_{family.prefix}", family.title, "int") for family in FAMILIES),
    Column(f"f_{BEANCOUNT}", "基本检查", "int"),
)
COUNT_COLUMNS = (
    Column("findings", "发现合计", "int"),
    Column("errors", "错误", "int"),
    Column("warnings", "预警", "int"),
    Column("rectified", "已整改", "int"),
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
    Column("arrears", "合同欠收", "amount", width=2.1),
    Column("arrears_overdue", "其中逾期", "amount", width=2.1),
    *FAMILY_COLUMNS,
    *COUNT_COLUMNS,
    Column("last_sealed", "最近封存季度"),
    Column("overdue", "逾期未公开"),
)
SUMMED = (
    *("cash", "bank", "income", "expense", "entertainment", "arrears", "arrears_overdue"),
    *(c.key for c in FAMILY_COLUMNS),
    *(c.key for c in COUNT_COLUMNS),
)
UNNAMED = "村级财务概览"


@dataclass
class Overview:
    day: date
    township: str  # "" when no name was given and the titles share none
    table: Table

    renderers: ClassVar[Renderers[Overview]] = Renderers("village_ledger.reports.overview_render")

    @property
    def title(self) -> str:
        return f"{self.township}{UNNAMED}" if self.township else UNNAMED


def build_overview(
    paths: Sequence[str | os.PathLike[str]], day: date, jobs: int = 1, township: str = ""
) -> Overview:
    """The overview of the villages at `paths` at `day`; `township` names it (see above)."""
    run = audit(paths, ALL, day, jobs=jobs, keep_models=False, derive=village_figures)
    rows = [{**(v.derived or unread(v)), **finding_counts(v.findings, day)} for v in run.villages]
    rows.sort(key=lambda r: r["village"])
    table = Table("overview", "各村财务概览", COLUMNS, frame(rows, COLUMNS))
    table.totals = [{"village": "合计", **{k: sum(int(r[k]) for r in rows) for k in SUMMED}}]
    table.note = (
        f"金额为 {day} 日终余额及 {day.year} 年 1 月 1 日至 {day} 的发生额；"
        "合同欠收为发包、租赁、承包、借款合同截至该日已到期未收的金额，其中逾期为超过"
        "合同欠收宽限天数的部分；"
        f"审计发现为截至该日的发现条数（含跨村发现），各类为错误与预警之和，"
        "发现合计分为错误与预警；逾期未公开指季度结束超过公开期限天数仍未封存。"
    )
    table.empty = "没有村账簿"
    name = township.strip() or township_name([r["title"] for r in rows])
    return Overview(day, name, table)


def township_name(titles: Iterable[str]) -> str:
    """The township the villages' titles share (九池乡黄梅村… and 九池乡太白村… -> 九池乡), or ""."""
    named = [t for t in titles if t]
    # character by character is the point here: these are names, not paths
    prefix = os.path.commonprefix(named) if named else ""  # noqa: RUF071
    cut = max(
        prefix.rfind(unit) + len(unit) if unit in prefix else 0 for unit in ("乡", "镇", "街道")
    )
    return prefix[:cut]


def village_figures(village: VillageAudit) -> dict[str, Any] | None:
    """A village's row but its findings, computed where its model is (a worker process)."""
    model = village.model
    if model is None or model.as_of is None:
        return None
    return summarize(model, Books.of(model), model.as_of)


def unread(village: VillageAudit) -> dict[str, Any]:
    """The row of a village whose model could not be built: its findings say why."""
    row: dict[str, Any] = {c.key: 0 for c in COLUMNS}
    return row | {
        "village": village.village,
        "title": "（账簿无法读取）",
        "last_sealed": "无",
        "overdue": "否",
    }


def finding_counts(findings: Iterable[Finding], day: date) -> dict[str, int]:
    """Findings dated on or before `day` (or undated) and still open then, by family and by
    severity; those a 整改 put right by `day` are counted apart (已整改), never dropped."""
    counts = {c.key: 0 for c in (*FAMILY_COLUMNS, *COUNT_COLUMNS)}
    for finding in findings:
        if finding.date is not None and finding.date > day:
            continue
        if not open_on(finding, day):
            counts["rectified"] += 1
            continue
        family = family_of(finding.rule)
        counts[f"f_{family.prefix}" if family else f"f_{BEANCOUNT}"] += 1
        counts["findings"] += 1
        counts["errors" if finding.is_error else "warnings"] += 1
    return counts


def summarize(model: LedgerModel, books: Books, day: date) -> dict[str, Any]:
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
        **contract_arrears(model, day),
    }
    last = max((s for s in model.seals if s.day <= day), key=lambda s: s.quarter, default=None)
    row["last_sealed"] = str(last.quarter) if last else "无"
    overdue = overdue_quarters(model, day)
    row["overdue"] = "、".join(map(str, overdue)) if overdue else "否"
    return row


def contract_arrears(model: LedgerModel, day: date) -> dict[str, int]:
    """Money due under the village's receiving contracts (发包, 租赁, 承包, 借款) by `day` and not
    received, and the part of it past 合同欠收宽限天数: the schedules VL701 judges, as of `day`."""
    schedules = [
        model.figures.contracts.schedule(c, day)
        for c in model.contracts
        if c.receiving and c.day <= day
    ]
    return {
        "arrears": sum(cents(s.arrears) for s in schedules),
        "arrears_overdue": sum(cents(s.overdue) for s in schedules),
    }


def overdue_quarters(model: LedgerModel, day: date) -> list[Quarter]:
    """Quarters since the books began that ended over 公开期限天数 before `day`, unsealed
    (what VL603 warns about, from the same seal states)."""
    return [q for q, state in seal_states(model, day).items() if state.overdue]


def default_jobs() -> int:
    return os.cpu_count() or 1
