"""The registry of rules: one entry per code, with its Chinese title and the policy it reads.

A rule is a small function `(model) -> Iterable[Hit]` registered with `@rule(...)` in the
plugin module of its family (`plugins/<family>.py`). A code never changes meaning once shipped.

A rule that must look across villages (an invoice number reused in another village) also
registers `collect` and `across`: `collect(model)` returns a small picklable summary of one
village, and `across(summaries)` turns the summaries of a whole run into hits.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from village_ledger.findings import BEANCOUNT, Hit, Severity

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

CheckFn = Callable[["LedgerModel"], Iterable[Hit]]
CollectFn = Callable[["LedgerModel"], Any]
# (village, summary) pairs in run order -> hits with their village
AcrossFn = Callable[[Sequence[tuple[str, Any]]], Iterable[tuple[str, Hit]]]


@dataclass(frozen=True)
class Family:
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


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: Severity
    reads: tuple[str, ...]
    check: CheckFn
    collect: CollectFn | None = None
    across: AcrossFn | None = None

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
) -> Callable[[CheckFn], CheckFn]:
    """Register a rule under its code."""
    if family_of(code) is None:
        raise ValueError(f"rule code {code!r} belongs to no family")

    def register(check: CheckFn) -> CheckFn:
        existing = _RULES.get(code)
        if existing is not None and existing.check.__qualname__ != check.__qualname__:
            raise ValueError(f"rule code {code} registered twice")
        _RULES[code] = Rule(code, title, severity, tuple(reads), check, collect, across)
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
