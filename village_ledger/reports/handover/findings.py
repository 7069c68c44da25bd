"""三、任期审计发现: the term's findings by family and one by one, open advances, resolutions
over or under their approved amount, special funds handed on, and quarters left unsealed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from village_ledger.findings import Finding
from village_ledger.model import LedgerModel, Period, Quarter
from village_ledger.rectification import open_on
from village_ledger.registry import family_label
from village_ledger.reports.findings_tables import finding_records
from village_ledger.reports.spending_tables import funds_table, meetings_table
from village_ledger.reports.statements import Books, cents, display_name
from village_ledger.reports.tables import Column, Table, frame

FINDING_COLUMNS = (
    Column("family", "类别", width=2.0),
    Column("rule", "规则", width=1.1),
    Column("severity", "级别", width=0.8),
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=1.9),
    Column("message", "说明", width=5.5),
    Column("amount", "金额", "amount"),
)
FAMILY_COLUMNS = (
    Column("family", "类别", width=3.0),
    Column("severity", "级别", width=1.0),
    Column("count", "条数", "int"),
    Column("amount", "涉及金额", "amount"),
)


def findings_tables(
    model: LedgerModel, findings: Iterable[Finding], term: Period
) -> tuple[Table, Table]:
    # what the incoming team takes over: the term's problems still standing at its end; those
    # put right by then are counted in the note, never silently dropped
    within = [f for f in findings if f.date is not None and term.contains(f.date)]
    standing = [f for f in within if open_on(f, term.last_day)]
    rectified = len(within) - len(standing)
    mine = finding_records(
        model,
        standing,
        term.contains,
        key=lambda f: (family_label(f.rule), not f.is_error, f.date, f.rule, f.line),
    )
    records = [
        {
            "family": family_label(f.rule),
            **record,
            "amount": cents(f.amount) if f.amount is not None else None,
        }
        for f, record in mine
    ]
    listing = Table(
        "findings", "任期审计发现明细", FINDING_COLUMNS, frame(records, FINDING_COLUMNS)
    )
    listing.empty = "任期内未发现问题" if not rectified else "任期内发现的问题均已整改"
    if rectified:
        listing.note = f"另有 {rectified} 条任期内发现的问题已于交接前整改（见整改台账）。"
    summary = Table(
        "families", "任期审计发现（按类别和级别）", FAMILY_COLUMNS, *_family_rows(records)
    )
    summary.empty = "任期内未发现问题"
    summary.note = "涉及金额为各条发现所指金额之和（同一笔业务可能被多条规则指出）。"
    return summary, listing


def _family_rows(records: list[dict[str, Any]]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    families = dict.fromkeys(r["family"] for r in records)
    for family in families:
        mine = [r for r in records if r["family"] == family]
        for severity in ("错误", "预警"):
            part = [r for r in mine if r["severity"] == severity]
            if part:
                rows.append(
                    {"family": family, "severity": severity, **_count(part), "role": "line"}
                )
        rows.append({"family": f"{family} 小计", **_count(mine), "role": "total"})
    table = frame(rows, FAMILY_COLUMNS)
    if rows:
        table["role"] = [r["role"] for r in rows]
    return table, [{"family": "合计", **_count(records)}]


def _count(records: list[dict[str, Any]]) -> dict[str, int]:
    return {"count": len(records), "amount": sum(r["amount"] or 0 for r in records)}


ADVANCE_COLUMNS = (
    Column("party", "借支人"),
    Column("account", "科目"),
    Column("amount", "未结清金额", "amount"),
    Column("since", "借支日期", "date"),
    Column("age", "已借天数", "int"),
    Column("limit", "期限（天）", "int"),
    Column("overdue", "逾期", width=0.8),
)


def advances_table(model: LedgerModel, cutoff: date) -> Table:
    """Every personal advance still owed at the end of `cutoff`, one row per advance, settled
    first in first out and judged against the limit of its day, as VL206 judges it."""
    records: list[dict[str, Any]] = [
        {
            "party": advance.holder,
            "account": display_name(advance.account),
            "amount": cents(advance.open),
            "since": advance.day,
            "age": advance.age(cutoff),
            "limit": advance.limit,
            "overdue": "是" if advance.late(cutoff) else "",
        }
        for advance in model.figures.open_advances(cutoff)
    ]
    records.sort(key=lambda r: r["since"])
    rows = frame(records, ADVANCE_COLUMNS)
    totals = [{"party": "合计", "amount": sum(r["amount"] for r in records)}]
    note = (
        f"截至 {cutoff} 尚未结清的个人借支，每笔一行，先借先还；天数计至该日，"
        "期限为借支当日适用的财务制度“借支期限天数”。"
    )
    table = Table("advances", "未结清的个人借支", ADVANCE_COLUMNS, rows, totals, note)
    table.empty = "没有未结清的个人借支"
    return table


def resolutions_table(model: LedgerModel, term: Period) -> Table:
    table = meetings_table(model, term)
    rows = table.rows
    if len(rows):
        rows = rows[rows["left"] != 0].reset_index(drop=True)
        rows["over"] = ["超支" if left < 0 else "未用完" for left in rows["left"]]
    columns = tuple(
        dataclasses.replace(c, title=RENAMED.get(c.title, c.title)) for c in table.columns
    )
    columns = tuple(c if c.key != "over" else Column("over", "状态", width=1.3) for c in columns)
    totals = [{"subject": "合计", "left": int(rows["left"].sum()) if len(rows) else 0}]
    note = (
        "任期内作出或有支出的会议决议中，累计支出与批准金额不一致的：超支的须说明原因，"
        "未用完的由新一届继续执行或按程序终止。支出按凭证上注明该决议编号的付款计算。"
    )
    result = Table("resolutions", "会议决议执行情况（超支或未用完）", columns, rows, totals, note)
    result.empty = "任期内的会议决议均已按批准金额执行完毕"
    return result


RENAMED = {"本季支出": "任期支出", "本季拨入": "任期拨入", "累计支出": "累计支出"}


def special_funds_table(model: LedgerModel, books: Books, term: Period) -> Table:
    table = funds_table(model, term)
    columns = tuple(
        dataclasses.replace(c, title=RENAMED.get(c.title, c.title)) for c in table.columns
    )
    note = (
        "拨入为专项应付款、一事一议资金明细科目的贷方发生额；支出为注明该项目的付款"
        "（经应付款挂账的在挂账时计入）；"
        "结余为尚未使用、随账移交的专项资金，须专款专用。"
    )
    result = dataclasses.replace(table, columns=columns, title="专项资金结余", note=note)
    result.key = "funds"
    result.empty = "没有专项资金"
    return result


SEAL_COLUMNS = (
    Column("quarter", "季度"),
    Column("ended", "季度结束", "date"),
    Column("status", "状态", width=3.0),
)


def unsealed_table(model: LedgerModel, term: Period, day: date) -> Table:
    records = []
    quarter = Quarter.of(term.first_day)
    while quarter.first_day <= term.last_day:
        seal = model.seals.get(quarter)
        if seal is None or seal.day >= day:
            records.append(
                {
                    "quarter": quarter.label,
                    "ended": quarter.last_day,
                    "status": _seal_status(quarter, seal, day),
                }
            )
        quarter = quarter.next()
    rows = frame(records, SEAL_COLUMNS)
    note = "交接日之前未公开封存的季度，由新一届公开并封存（village-ledger disclose、seal）。"
    table = Table("unsealed", "未公开封存的季度", SEAL_COLUMNS, rows, note=note)
    table.empty = "任期内各季度均已公开封存"
    return table


def _seal_status(quarter: Quarter, seal: Any, day: date) -> str:
    if quarter.last_day >= day:
        return "交接时尚未结束"
    if seal is not None:
        return f"未封存（交接后于 {seal.day} 封存）"
    return "未封存"
