"""Settling a village's findings against its `整改` directives, once every rule has run.

`settle(findings, records)` marks each finding that a 整改 with standing names (same code,
same subject, dated on or before the 整改) as rectified, and returns the 整改 that name no
finding at all; those become VL903 findings (`unmatched_findings`). It runs after the
cross-village rules, because a 整改 may put right a finding only the whole run sees (VL303).
A finding is never dropped: a rectified one stays in every report, marked 已整改.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from village_ledger.findings import Finding, Hit, Rectification

UNMATCHED = "VL903"


def settle(
    findings: Sequence[Finding], records: Iterable[Rectification]
) -> tuple[list[Finding], list[Rectification]]:
    """The findings with those put right marked, and the records that name no finding."""
    settled = list(findings)
    by_identity: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, finding in enumerate(settled):
        by_identity[(finding.rule, finding.subject)].append(i)
    unmatched = []
    for record in sorted(records, key=lambda r: (r.day, r.file, r.line)):
        named = [
            i
            for i in by_identity.get((record.code, record.subject), ())
            if (day := settled[i].date) is None or day <= record.day
        ]
        if not named:
            unmatched.append(record)
            continue
        if record.standing is not None:  # VL904: it puts nothing right
            continue
        for i in named:
            if settled[i].rectified is None:
                settled[i] = settled[i]._replace(rectified=record)
    return settled, unmatched


def unmatched_hit(record: Rectification) -> Hit:
    """The VL903 hit of a 整改 that names no finding of the village."""
    return Hit(
        {"filename": record.file, "lineno": record.line},
        f"整改所指的审计发现不存在：{record.day} 及以前没有“{record.subject}”上的 {record.code} "
        "发现（规则代码或凭证号、指令编号写错，或问题已直接更正，无须整改记录）",
        record.day,
    )


def rectification_subject(record: Rectification) -> str:
    """The subject of the 整改 directive itself (what a finding about it is about)."""
    values = [record.code, record.subject, record.way, record.accepted_by]
    if record.evidence:
        values.append(record.evidence)
    return " ".join([str(record.day), "整改", *values])


def settle_run(
    findings: Iterable[Finding],
    records: Mapping[str, Sequence[Rectification]],
    wants: Callable[[str], bool],
) -> list[Finding]:
    """Every village's findings settled against its 整改 (`records` by village), with a VL903
    finding for each 整改 that names none when the run wants VL903."""
    from village_ledger.engine import to_finding
    from village_ledger.registry import get_rule

    by_village: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_village[finding.village].append(finding)
    rule = get_rule(UNMATCHED)
    result: list[Finding] = []
    for village in by_village.keys() | records.keys():
        mine, unmatched = settle(by_village.get(village, []), records.get(village, ()))
        result += mine
        if rule is not None and wants(UNMATCHED):
            result += [
                to_finding(rule, village, unmatched_hit(r))._replace(
                    subject=rectification_subject(r)
                )
                for r in unmatched
            ]
    return result


def needs_every_rule(wants: Callable[[str], bool]) -> bool:
    """VL903 asks whether a finding exists: every rule must run for it, shown or not."""
    return wants(UNMATCHED)


def open_on(finding: Finding, day: date) -> bool:
    """Whether the finding still stood on `day`: not yet put right by then."""
    return finding.rectified is None or finding.rectified.day > day
