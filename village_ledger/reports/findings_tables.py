"""审计发现: the findings of a period one by one (rule, 级别, date, voucher, message) and counted
by rule family; `finding_records` is shared by every report that lists findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from beancount.core import data

from village_ledger.findings import SEVERITY_ZH, Finding
from village_ledger.model import LedgerModel, Period
from village_ledger.rectification import open_on
from village_ledger.registry import family_label, family_of, plain_title
from village_ledger.reports.tables import Column, Table, frame

# --- 审计发现 ---------------------------------------------------------------------------

# the 财务公开 is public: a finding's rule is shown by its title, not its code
FINDING_COLUMNS = (
    Column("rule", "规则", width=2.6),
    Column("severity", "级别", width=0.8),
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("message", "说明", width=6.0),
)
RECTIFIED_COLUMNS = (
    Column("rule", "规则", width=2.6),
    Column("date", "问题日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("message", "问题", width=4.0),
    Column("rectified_on", "整改日期", "date"),
    Column("way", "整改方式", width=2.4),
    Column("accepted_by", "验收人", width=1.2),
)
FAMILY_COLUMNS = (
    Column("family", "类别", width=3.0),
    Column("errors", "错误", "int"),
    Column("warnings", "预警", "int"),
    Column("rectified", "已整改", "int"),
    Column("count", "合计", "int"),
)
COUNTED = ("errors", "warnings", "rectified", "count")


def findings_tables(
    model: LedgerModel, findings: Iterable[Finding], period: Period, published: date
) -> tuple[Table, Table, Table]:
    """The period's problems still standing when it was published, those put right during the
    period (whenever they were found), and the period's findings counted by family. A 整改 dated
    after publication does not change what was published."""
    findings = list(findings)
    mine = finding_records(model, findings, period.contains, key=lambda f: (f.date, f.rule, f.line))
    for _, record in mine:
        record["rule"] = plain_title(record["rule"])
        record["message"] = plain_message(record["message"])
    standing = [(f, r) for f, r in mine if open_on(f, published)]
    listing = Table(
        "findings", "审计发现", FINDING_COLUMNS, frame([r for _, r in standing], FINDING_COLUMNS)
    )
    listing.empty = "本季度未发现问题" if len(standing) == len(mine) else "本季度发现的问题均已整改"
    counts: dict[str, dict[str, Any]] = {}
    for f, _ in mine:
        label = family_label(f.rule)  # in code order
        family = family_of(f.rule)
        # the sheet is read by villagers: the family by its name, not its code
        shown = family.title if family else label
        entry = counts.setdefault(label, {"family": shown, **dict.fromkeys(COUNTED, 0)})
        key = ("errors" if f.is_error else "warnings") if open_on(f, published) else "rectified"
        entry[key] += 1
        entry["count"] += 1
    records = [c for _, c in sorted(counts.items())]
    rows = frame(records, FAMILY_COLUMNS)
    totals = [{"family": "合计", **{k: sum(int(c[k]) for c in records) for k in COUNTED}}]
    by_family = Table("families", "审计发现分类统计", FAMILY_COLUMNS, rows, totals)
    by_family.empty = "本季度未发现问题"
    return listing, rectified_table(model, findings, period, published), by_family


def rectified_table(
    model: LedgerModel, findings: list[Finding], period: Period, published: date
) -> Table:
    """Problems put right by a 整改 dated in the period (and by publication)."""
    put_right = [
        f
        for f in findings
        if f.rectified is not None
        and period.contains(f.rectified.day)
        and f.rectified.day <= published
    ]
    mine = finding_records(model, put_right, lambda day: True, key=lambda f: (f.date, f.rule))
    records = [
        {
            "rule": plain_title(record["rule"]),
            **{k: record[k] for k in ("date", "voucher")},
            "message": plain_message(record["message"]),
            "rectified_on": f.rectified.day if f.rectified else None,
            "way": f.rectified.way if f.rectified else None,
            "accepted_by": f.rectified.accepted_by if f.rectified else None,
        }
        for f, record in mine
    ]
    table = Table(
        "rectified", "本季度整改的问题", RECTIFIED_COLUMNS, frame(records, RECTIFIED_COLUMNS)
    )
    table.empty = "本季度没有整改的问题"
    table.note = "整改由乡镇农经员、乡镇纪检员或村务监督委员会验收；问题仍留在原季度的记录中。"
    return table


FIELD_NAME = re.compile(r"[（(][a-z][a-z0-9_-]*[)）]")


def plain_message(message: str) -> str:
    """A finding's message as villagers read it on the sheet: without the metadata keys the
    accountant needs (`审核人（reviewer）` -> `审核人`)."""
    return FIELD_NAME.sub("", message)


def finding_records(
    model: LedgerModel,
    findings: Iterable[Finding],
    within: Callable[[date], bool],
    key: Callable[[Finding], Any],
) -> list[tuple[Finding, dict[str, Any]]]:
    """The dated findings for which `within(date)` holds, sorted by `key`, each with its record:
    rule, severity (in Chinese), date, voucher number (found by file and line) and message."""
    vouchers = vouchers_by_location(model.transactions)
    mine = sorted((f for f in findings if f.date is not None and within(f.date)), key=key)
    return [
        (
            f,
            {
                "rule": f.rule,
                "severity": SEVERITY_ZH[str(f.severity)],
                "date": f.date,
                "voucher": vouchers.get((f.file, f.line), ""),
                "message": f.message,
            },
        )
        for f in mine
    ]


def vouchers_by_location(entries: Iterable[data.Transaction]) -> dict[tuple[str, int], str]:
    found = {}
    for entry in entries:
        meta = entry.meta or {}
        voucher = meta.get("voucher")
        if voucher is not None:
            found[(str(meta.get("filename")), int(meta.get("lineno") or 0))] = str(voucher)
    return found
