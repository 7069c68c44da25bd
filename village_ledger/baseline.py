"""Baselines: a ledger with years of history adopts the rules without fixing every year at once.

`check --write-baseline FILE` records the open findings of a check; `check --baseline FILE`
then reports only the findings that are not in it, and says how many of the recorded ones are
gone (corrected, or put right by a `整改`). A finding is recorded by its fingerprint: a hash of
its rule code, village and subject (voucher number or directive identity, never a line number),
so editing and reordering the files moves nothing in or out of the baseline. Two findings with
the same fingerprint are recorded twice: the file is a multiset.

The file is JSON sorted by village, rule and subject, so that its diffs in git read as the
list of problems shrinking.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from village_ledger import __version__
from village_ledger.findings import Finding
from village_ledger.writing import write_file

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Baseline:
    fingerprints: Counter[str]

    @property
    def size(self) -> int:
        return sum(self.fingerprints.values())


@dataclass(frozen=True)
class Applied:
    """A check's findings against a baseline."""

    shown: list[Finding]  # the findings not in the baseline (and every rectified one)
    baselined: list[Finding]  # open findings the baseline holds
    gone: int  # recorded findings that no longer appear open


def entry(finding: Finding) -> dict[str, Any]:
    return {
        "fingerprint": finding.fingerprint,
        "village": finding.village,
        "rule": finding.rule,
        "subject": finding.subject,
        "message": finding.message,
    }


def document(findings: Iterable[Finding]) -> dict[str, Any]:
    records = sorted(
        (entry(f) for f in findings if f.is_open),
        key=lambda e: (e["village"], e["rule"], e["subject"], e["message"]),
    )
    return {
        "format": FORMAT,
        "tool": f"village-ledger {__version__}",
        "说明": "village-ledger check --baseline 的基线：其中的发现不再报告；请逐条整改，使其只减不增。",
        "findings": records,
    }


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the open findings as a baseline, atomically (`writing.write_file`: a failure
    leaves the old file whole; raises `WriteRefused`); returns how many were written."""
    doc = document(findings)
    write_file(path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return len(doc["findings"])


def read_baseline(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"基线文件不存在：{path}（先用 --write-baseline {path} 生成）"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"无法读取基线文件 {path}：{exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"基线文件 {path} 第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON：{exc.msg}"
        ) from None
    return Baseline(Counter(_fingerprints(doc, path)))


def _fingerprints(doc: Any, path: Path) -> list[str]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BaselineError(
            f"{path} 不是 village-ledger 的基线文件（应为 --write-baseline 写出的 format {FORMAT} 文件）"
        )
    records = doc.get("findings")
    if not isinstance(records, list):
        raise BaselineError(f"基线文件 {path} 缺少 findings 列表")
    found = []
    for number, record in enumerate(records, 1):
        fingerprint = record.get("fingerprint") if isinstance(record, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"基线文件 {path} 第 {number} 条发现缺少 fingerprint")
        found.append(fingerprint)
    return found


def apply_baseline(findings: Sequence[Finding], baseline: Baseline) -> Applied:
    """Open findings the baseline holds are set aside, each recorded fingerprint matching at
    most as many findings as it was recorded times; rectified findings are always shown."""
    left = Counter(baseline.fingerprints)
    shown: list[Finding] = []
    baselined: list[Finding] = []
    for finding in findings:
        if finding.is_open and left[finding.fingerprint] > 0:
            left[finding.fingerprint] -= 1
            baselined.append(finding)
        else:
            shown.append(finding)
    return Applied(shown, baselined, sum(left.values()))
