"""`check`: Beancount's own checks and every rule family over each village of a run.

Every family runs whatever plugin lines a ledger has: deleting a plugin line is no way to pass
an audit. Each village is loaded once; villages run in parallel; rules that look across
villages (an invoice reused elsewhere) run last over the summaries of the whole run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from village_ledger.engine import (
    Selector,
    beancount_finding,
    collect,
    crash_finding,
    run_across,
    run_rules,
)
from village_ledger.findings import Finding, Severity
from village_ledger.loading import load_ledger
from village_ledger.model import build_model, village_of
from village_ledger.registry import Rule, all_rules


@dataclass
class VillageResult:
    village: str
    main_file: str
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckRun:
    villages: list[VillageResult]
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


ALL = Selector()


def selected_rules(selector: Selector) -> list[Rule]:
    return [r for r in all_rules() if selector.wants(r.code)]


def check_village(main_file: str | os.PathLike[str], selector: Selector) -> VillageResult:
    loaded = load_ledger(main_file)
    result = VillageResult(village_of(loaded.main_file), loaded.main_file)
    result.findings = [beancount_finding(result.village, e) for e in loaded.errors]
    rules = selected_rules(selector)
    try:
        model = build_model(loaded.entries, loaded.options)
    except Exception as exc:  # the ledger's Beancount errors are still worth reporting
        result.findings.append(crash_finding(_MODEL_RULE, None, exc))
        return result
    result.title = model.title
    result.findings += run_rules(model, rules)
    result.summaries = collect(model, rules)
    return result


# stands for the model builder when it fails, so the failure reads like a rule's crash
_MODEL_RULE = Rule("VL900", "建立账簿模型", Severity.ERROR, (), lambda model: ())


def check_paths(
    mains: Sequence[Path],
    selector: Selector = ALL,
    jobs: int = 1,
) -> CheckRun:
    if jobs <= 1 or len(mains) <= 1:
        results = [check_village(main, selector) for main in mains]
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(mains))) as pool:
            results = list(pool.map(check_village, mains, [selector] * len(mains)))
    findings = [f for r in results for f in r.findings]
    summaries: dict[str, list[tuple[str, Any]]] = {}
    for r in results:
        for code, summary in r.summaries.items():
            summaries.setdefault(code, []).append((r.village, summary))
    findings += run_across(selected_rules(selector), summaries)
    findings = [f for f in findings if selector.wants(f.rule)]
    findings.sort(key=lambda f: (f.village, f.file, f.line, f.rule))
    return CheckRun(results, findings)
