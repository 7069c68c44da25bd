"""The registry of rules: one entry per code, with its Chinese title and the policy it reads.

A rule is a small function `(model) -> Iterable[Hit]` registered with `@rule(...)` in the
plugin module of its family (`plugins/<family>.py`). A code never changes meaning once shipped.

Each rule carries its `Explanation` (`explain=`): the Chinese text `village-ledger rule CODE`
prints and the user guide's rule catalogue is generated from, kept next to the rule so that it
changes with it. `village_ledger.catalogue` adds the two codes no rule owns (BEANCOUNT, VL900).

A rule that must look across villages (an invoice number reused in another village) also
registers `collect` and `across`: `collect(model)` returns a small picklable summary of one
village, and `across(summaries)` turns the summaries of a whole run into hits.

A rule judged as of a day (VL603: quarters overdue for publication on the audit's day) registers
`dated`: `dated.state(model)` is the small picklable part of the village it needs, whatever the
day, and `dated.judge(state, as_of)` the hits on a day. The audit service runs the two apart, so
a cached village is judged again on each day without loading its books (`village_ledger.cache`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from village_ledger.findings import BEANCOUNT, Hit, Severity

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

CheckFn = Callable[["LedgerModel"], Iterable[Hit]]
CollectFn = Callable[["LedgerModel"], Any]
# (village, summary) pairs in run order -> hits with their village
AcrossFn = Callable[[Sequence[tuple[str, Any]]], Iterable[tuple[str, Hit]]]


class Dated(NamedTuple):
    """The two halves of a rule judged as of a day: `state(model)`, small and picklable, the same
    on every day; `judge(state, as_of)`, the hits on that day."""

    state: Callable[[LedgerModel], Any]
    judge: Callable[[Any, date], Iterable[Hit]]


class Family(NamedTuple):
    prefix: str
    module: str
    title: str


FAMILIES: tuple[Family, ...] = (
    Family("VL1", "approval", "审批"),
    Family("VL2", "cash", "现金"),
    Family("VL3", "receipts", "票据"),
    Family("VL4", "entertainment", "招待费"),
    Family("VL5", "funds", "资金与资产"),
    Family("VL6", "periods", "期间与公开"),
    Family("VL7", "contracts", "合同与资源"),
    Family("VL9", "config", "配置"),
)


def family_of(code: str) -> Family | None:
    for family in FAMILIES:
        if code.startswith(family.prefix):
            return family
    return None


def family_label(code: str) -> str:
    """`VL402` -> `VL4xx 招待费`; Beancount's own checks have a label of their own."""
    if code == BEANCOUNT:
        return "Beancount 基本检查"
    family = family_of(code)
    return f"{family.prefix}xx {family.title}" if family else code


class Explanation(NamedTuple):
    """A rule explained to the accountant and the auditor, in Chinese, ruff-style.

    The examples are ledger text appended to the example village (`village_ledger.catalogue`
    describes it: the township chart and policy, a full roster, bank and cash balances); the
    registry test loads each one and checks that the compliant one has no finding of the code
    and the offending one has it.
    """

    checks: str  # 检查什么: what the rule reports, in one paragraph
    why: str  # 为什么: the inspection finding or regulation behind it
    compliant: str  # 合规示例: Beancount text with no finding of this code
    offending: str  # 违规示例: Beancount text with a finding of this code
    decisions: tuple[str, ...]  # 本项目的约定: what the project decided where rules are silent
    fix: str = ""  # 如何改正: optional advice on correcting an offending entry
    as_of: str = ""  # YYYY-MM-DD: the "today" the examples are judged on, for rules that read it


class Rule(NamedTuple):
    code: str
    title: str
    severity: Severity
    reads: tuple[str, ...]
    check: CheckFn
    collect: CollectFn | None = None
    across: AcrossFn | None = None
    explanation: Explanation | None = None
    dated: Dated | None = None

    @property
    def family(self) -> Family:
        family = family_of(self.code)
        assert family is not None, self.code
        return family

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    title: str,
    severity: Severity = Severity.ERROR,
    reads: Sequence[str] = (),
    collect: CollectFn | None = None,
    across: AcrossFn | None = None,
    explain: Explanation | None = None,
    dated: Dated | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register a rule under its code, with its explanation (every shipped rule has one)."""
    if family_of(code) is None:
        raise ValueError(f"rule code {code!r} belongs to no family")

    def register(check: CheckFn) -> CheckFn:
        existing = _RULES.get(code)
        if existing is not None:
            if existing.check.__qualname__ != check.__qualname__:
                raise ValueError(f"rule code {code} registered twice")
            # the same family imported again under another name (`plugins.cash`): the first
            # registration stays, so the rules' identity (the result cache's key) does not move
            return check
        _RULES[code] = Rule(
            code, title, severity, tuple(reads), check, collect, across, explain, dated
        )
        return check

    return register


def load_families(modules: Iterable[str] | None = None) -> None:
    """Import the plugin modules so their rules register themselves."""
    for name in modules or [family.module for family in FAMILIES]:
        importlib.import_module(f"village_ledger.plugins.{name}")


def all_rules() -> list[Rule]:
    load_families()
    return sorted(_RULES.values(), key=lambda r: r.code)


def rules_of(modules: Iterable[str]) -> list[Rule]:
    """The rules of the named families only (what one plugin line enables)."""
    wanted = set(modules)
    load_families([name for name in wanted])
    return sorted((r for r in _RULES.values() if r.family.module in wanted), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    load_families()
    return _RULES.get(code)


# what villagers read for the codes no rule owns (Beancount's own checks, a crashed rule)
PLAIN_TITLES = {BEANCOUNT: "记账格式检查", "VL900": "规则执行出错"}


def plain_title(code: str) -> str:
    """A finding's rule in words, for public outputs: the rule's Chinese title, never its code
    (the code stays on the accountant's and the auditor's outputs)."""
    rule = get_rule(code)
    if rule is not None:
        return rule.title
    return PLAIN_TITLES.get(code, "其他检查")
