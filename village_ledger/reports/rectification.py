"""整改台账: every finding of a village since a day, with its status, days open and its 整改.

`build_rectification(...)` takes the village's settled findings (the audit's, each either open or
carrying the `Rectification` that put it right) and lays out three tables: the count by rule
family, the open findings and the rectified ones. Days open run from the finding's date to the
整改's date, or to the report's date while the finding is open. Nothing is recomputed by the
renderers (HTML, PDF, Excel, JSON, in `reports.rectification_render`), which go through
`render.render` like every report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from village_ledger.findings import SEVERITY_ZH, STATUS_ZH, Finding
from village_ledger.registry import family_label
from village_ledger.reports.render import Renderers
from village_ledger.reports.tables import Column, Table, frame

FINDING_COLUMNS = (
    Column("rule", "规则", width=1.1),
    Column("severity", "级别", width=0.8),
    Column("date", "发现日期", "date"),
    Column("subject", "凭证号或指令", width=2.4),
    Column("message", "问题", width=6.5),
    Column("days", "挂账天数", "int"),
)
RECTIFIED_COLUMNS = (
    *FINDING_COLUMNS,
    Column("rectified_on", "整改日期", "date"),
    Column("way", "整改方式", width=2.6),
    Column("accepted_by", "验收人", width=1.2),
    Column("evidence", "整改凭证或决议", width=1.8),
)
SUMMARY_COLUMNS = (
    Column("family", "类别", width=3.0),
    Column("open_errors", "未整改错误", "int"),
    Column("open_warnings", "未整改预警", "int"),
    Column("rectified", "已整改", "int"),
    Column("count", "合计", "int"),
)
COUNTED = ("open_errors", "open_warnings", "rectified", "count")


@dataclass
class Rectification:
    """The 整改台账 of one village."""

    village: str
    village_title: str
    since: date
    day: date  # the report's date: open findings' days run to it
    summary: Table
    open: Table
    rectified: Table

    renderers: ClassVar[Renderers[Rectification]] = Renderers(
        "village_ledger.reports.rectification_render"
    )

    @property
    def title(self) -> str:
        return f"{self.village_title or self.village}整改台账"

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        return (self.summary, self.open, self.rectified)


def build_rectification(
    village: str, title: str, findings: Iterable[Finding], since: date, day: date
) -> Rectification:
    """The findings dated from `since` to `day` (and those about no date), settled."""
    mine = sorted(
        (f for f in findings if f.date is None or since <= f.date <= day),
        key=lambda f: (f.date or date.min, f.rule, f.subject),
    )
    open_records = [record(f, day) for f in mine if f.is_open]
    done_records = [record(f, day) for f in mine if not f.is_open]
    listing = Table("open", "未整改的问题", FINDING_COLUMNS, frame(open_records, FINDING_COLUMNS))
    listing.empty = "没有未整改的问题"
    listing.note = f"挂账天数算到 {day}。"
    done = Table(
        "rectified", "已整改的问题", RECTIFIED_COLUMNS, frame(done_records, RECTIFIED_COLUMNS)
    )
    done.empty = "没有已整改的问题"
    done.note = "挂账天数算到整改日期；整改由乡镇农经员、乡镇纪检员或监委会主任、委员验收。"
    return Rectification(village, title, since, day, summary_table(mine), listing, done)


def record(finding: Finding, day: date) -> dict[str, Any]:
    done = finding.rectified
    until = done.day if done is not None else day
    return {
        "rule": finding.rule,
        "severity": SEVERITY_ZH[str(finding.severity)],
        "date": finding.date,
        "subject": finding.subject,
        "message": finding.message,
        "status": STATUS_ZH[finding.status],
        "days": (until - finding.date).days if finding.date is not None else None,
        "rectified_on": done.day if done else None,
        "way": done.way if done else None,
        "accepted_by": done.accepted_by if done else None,
        "evidence": (done.evidence or None) if done else None,
    }


def summary_table(findings: list[Finding]) -> Table:
    counts: dict[str, dict[str, Any]] = {}
    for f in findings:
        label = family_label(f.rule)
        row = counts.setdefault(label, {"family": label, **dict.fromkeys(COUNTED, 0)})
        key = "rectified" if not f.is_open else ("open_errors" if f.is_error else "open_warnings")
        row[key] += 1
        row["count"] += 1
    rows = [counts[label] for label in sorted(counts)]
    table = Table("summary", "整改情况（按类别）", SUMMARY_COLUMNS, frame(rows, SUMMARY_COLUMNS))
    table.totals = [{"family": "合计", **{k: sum(r[k] for r in rows) for k in COUNTED}}]
    table.empty = "期间内没有审计发现"
    return table
