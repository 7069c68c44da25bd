"""VL9xx 配置: the ledger's own directives and policy must be well formed and no looser than the
township's.

VL901: a malformed `任职`/`离任`/`亲属`/`会议决议`/`财务制度`/`公开封存` directive, an unknown
policy key, a value of the wrong type, or an account without a usable code.
VL902: a village policy item looser than the township's (a higher cap or limit, a shorter
split-payment window, a dropped keyword, a letter no longer required).
"""

from __future__ import annotations

from collections.abc import Iterator

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit
from village_ledger.model import LedgerModel
from village_ledger.registry import rule

__plugins__ = (make_plugin("config"),)


@rule("VL901", "指令或科目格式错误")
def malformed_directive(model: LedgerModel) -> Iterator[Hit]:
    """A directive of the ledger contract or an account's code is malformed."""
    yield from model.config_hits


@rule("VL902", "本村财务制度宽于乡镇规定", reads=("财务制度",))
def policy_looser_than_township(model: LedgerModel) -> Iterator[Hit]:
    """A village policy item is looser than the township's ceiling."""
    yield from model.policy.looser
