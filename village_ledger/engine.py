"""Running rules over a model and turning their hits into findings.

A rule that raises does not stop the others: it becomes one VL900 finding that names the rule
and the entry it was looking at when it failed.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from datetime import date
from types import TracebackType
from typing import Any, NamedTuple

from village_ledger.findings import BEANCOUNT, Finding, Hit, Severity, meta_location
from village_ledger.gcpause import without_gc
from village_ledger.model import LedgerModel
from village_ledger.model.subjects import subject_at, subject_of
from village_ledger.registry import Rule

CRASH = "VL900"


class Selector(NamedTuple):
    """`--select` / `--ignore`: codes or code prefixes (`VL1`, `VL40`, `VL402`, `BEANCOUNT`)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selector:
        return cls(_codes(select), _codes(ignore))

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def to_finding(rule: Rule, village: str, hit: Hit, model: LedgerModel | None = None) -> Finding:
    """The finding of a hit; `model` names its subject when it sits on no voucher."""
    file, line = meta_location(hit.meta)
    return Finding(
        village=village,
        file=file,
        line=line,
        date=hit.day,
        rule=rule.code,
        severity=rule.severity,
        message=hit.message,
        amount=hit.amount,
        policy=hit.policy,
        subject=hit.subject if hit.subject is not None else subject_at(model, hit.meta),
    )


@without_gc
def run_rules(model: LedgerModel, rules: Sequence[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings.extend(
                to_finding(rule, model.village, hit, model) for hit in rule.check(model)
            )
        except Exception as exc:  # a broken rule must not hide the others' findings
            findings.append(crash_finding(rule, model, exc))
    return findings


def run_across(rules: Sequence[Rule], summaries: dict[str, list[tuple[str, Any]]]) -> list[Finding]:
    """Cross-village rules over the summaries collected from every village of a run."""
    findings: list[Finding] = []
    for rule in rules:
        if rule.across is None:
            continue
        try:
            findings.extend(
                to_finding(rule, village, hit)
                for village, hit in rule.across(summaries.get(rule.code, []))
            )
        except Exception as exc:
            findings.append(crash_finding(rule, None, exc))
    return findings


@without_gc
def dated_states(model: LedgerModel, rules: Sequence[Rule]) -> tuple[dict[str, Any], list[Finding]]:
    """The day-free state of every rule judged as of a day (`registry.Dated`), and a VL900
    finding for each whose state could not be taken."""
    states: dict[str, Any] = {}
    crashes: list[Finding] = []
    for rule in rules:
        if rule.dated is not None:
            try:
                states[rule.code] = rule.dated.state(model)
            except Exception as exc:
                crashes.append(crash_finding(rule, model, exc))
    return states, crashes


def judge_dated(
    rules: Sequence[Rule], village: str, states: dict[str, Any], as_of: date
) -> list[Finding]:
    """The findings on `as_of` of the rules judged as of a day, from their states alone."""
    findings: list[Finding] = []
    for rule in rules:
        if rule.dated is None or rule.code not in states:
            continue
        try:
            hits = list(rule.dated.judge(states[rule.code], as_of))
        except Exception as exc:
            crash = crash_finding(rule, None, exc)
            findings.append(crash._replace(village=village))
            continue
        findings.extend(to_finding(rule, village, hit) for hit in hits)
    return findings


@without_gc
def collect(model: LedgerModel, rules: Sequence[Rule]) -> dict[str, Any]:
    summaries: dict[str, Any] = {}
    for rule in rules:
        if rule.collect is not None:
            try:
                summaries[rule.code] = rule.collect(model)
            except Exception:  # its twin `check` reports the crash within the village
                continue
    return summaries


def crash_finding(rule: Rule, model: LedgerModel | None, exc: BaseException) -> Finding:
    meta = _meta_in_traceback(exc.__traceback__)
    if meta is None and model is not None:
        meta = {"filename": model.main_file, "lineno": 0}
    file, line = meta_location(meta)
    where = f"（处理 {file} 第 {line} 行时）" if meta and line else ""
    detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return Finding(
        village=model.village if model is not None else "",
        file=file,
        line=line,
        date=None,
        rule=CRASH,
        severity=Severity.ERROR,
        message=f"规则 {rule.code}（{rule.title}）执行出错{where}，其余规则照常检查：{detail}",
    )


def _meta_in_traceback(tb: TracebackType | None) -> dict[str, Any] | None:
    """The metadata of the innermost ledger entry a failing rule had in hand."""
    found = None
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            meta = _entry_meta(value)
            if meta is not None:
                found = meta
        tb = tb.tb_next
    return found


def _entry_meta(value: Any) -> dict[str, Any] | None:
    for candidate in (value, getattr(value, "entry", None)):
        meta = getattr(candidate, "meta", None)
        if isinstance(meta, dict) and "lineno" in meta:
            return meta
    return None


def beancount_finding(village: str, error: Any) -> Finding:
    file, line = meta_location(getattr(error, "source", None))
    entry = getattr(error, "entry", None)
    day = getattr(entry, "date", None)
    return Finding(
        village=village,
        file=file,
        line=line,
        date=day,
        rule=BEANCOUNT,
        severity=Severity.ERROR,
        message=str(error.message).strip(),
        subject=subject_of(entry) if entry is not None else "",
    )
